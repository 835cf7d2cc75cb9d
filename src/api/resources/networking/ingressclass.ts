// networking.k8s.io/v1 IngressClass: which controller implements the ingresses of a class, and its parameters.
import type { IngressClass, IngressClassParametersReference, IngressClassSpec } from 'kubernetes-types/networking/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, kindSchema, object, ref, str } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  longerThan,
  regexError,
  validateNamespaceName,
} from '../../meta/validation.js';
import { table } from '../table.js';

const V1 = 'io.k8s.api.networking.v1';

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.IngressClass`]: kindSchema(
    { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' },
    { spec: ref(`${V1}.IngressClassSpec`, { default: {}, description: 'The controller and parameters of the class.' }) },
    { proto: { metadata: 1, spec: 2 }, description:
        'IngressClass names the controller that implements ingresses of the class; the ingressclass.kubernetes.io/is-default-class annotation marks the default.',
    },
  ),
  [`${V1}.IngressClassSpec`]: object(
    {
      controller: str({ description: 'The controller handling the class, as a domain-prefixed path such as example.com/ingress; immutable.' }),
      parameters: ref(`${V1}.IngressClassParametersReference`, { description: 'An object holding extra configuration for the controller.' }),
    },
    { proto: { controller: 1, parameters: 2 }, description: 'What an IngressClass stands for.' },
  ),
  [`${V1}.IngressClassParametersReference`]: object(
    {
      apiGroup: str({ description: 'The API group of the referenced object; empty for the core group.' }),
      kind: str({ default: '', description: 'The kind of the referenced object.' }),
      name: str({ default: '', description: 'The name of the referenced object.' }),
      namespace: str({ description: 'The namespace of the object, when scope is Namespace.' }),
      scope: str({ description: 'Cluster (the default) or Namespace.' }),
    },
    {
      proto: { apiGroup: 1, kind: 2, name: 3, scope: 4, namespace: 5 },
      protoPointers: ['apiGroup', 'namespace', 'scope'],
      required: ['kind', 'name'],
      description: 'A reference to a cluster- or namespace-scoped object.',
    },
  ),
});

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];
const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRegexp = new RegExp(`^${httpPathFmt}$`);

/** validation.IsDomainPrefixedPath: `<DNS subdomain>/<HTTP path characters>`. */
export function isDomainPrefixedPath(path: FieldPath, value: string): FieldError[] {
  if (!value) return [fieldErrors.required(path.path, '')];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !rest) return [fieldErrors.invalid(path.path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => fieldErrors.invalid(path.path, host, msg));
  if (!httpPathRegexp.test(rest)) errs.push(fieldErrors.invalid(path.path, rest, regexError('Invalid path', httpPathFmt)));
  return errs;
}

function validateParameters(params: IngressClassParametersReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (params.apiGroup != null) {
    for (const msg of isDNS1123Subdomain(params.apiGroup)) errs.push(fieldErrors.invalid(path.child('apiGroup').path, params.apiGroup, msg));
  }
  for (const f of ['kind', 'name'] as const) {
    const v = params[f] ?? '';
    if (!v) errs.push(fieldErrors.required(path.child(f).path, ''));
    else for (const msg of isValidPathSegmentName(v)) errs.push(fieldErrors.invalid(path.child(f).path, v, msg));
  }
  if (params.scope == null) {
    errs.push(fieldErrors.required(path.child('scope').path, ''));
    return errs;
  }
  const namespacePath = path.child('namespace').path;
  if (!SCOPES.includes(params.scope)) errs.push(fieldErrors.notSupported(path.child('scope').path, params.scope, SCOPES));
  else if (params.scope === 'Namespace') {
    if (params.namespace == null) errs.push(fieldErrors.required(namespacePath, "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of validateNamespaceName(params.namespace, false)) errs.push(fieldErrors.invalid(namespacePath, params.namespace, msg));
  } else if (params.namespace != null) {
    errs.push(fieldErrors.forbidden(namespacePath, "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

function validateSpec(spec: IngressClassSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const controller = spec.controller ?? '';
  const controllerPath = path.child('controller');
  if (!controller) errs.push(fieldErrors.required(controllerPath.path, ''));
  else {
    if (longerThan(controller, MAX_CONTROLLER_LENGTH)) errs.push(fieldErrors.tooLong(controllerPath.path, MAX_CONTROLLER_LENGTH));
    errs.push(...isDomainPrefixedPath(controllerPath, controller));
  }
  if (spec.parameters) errs.push(...validateParameters(spec.parameters, path.child('parameters')));
  return errs;
}

export const ingressClasses: ResourceDefinition<IngressClass> = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  schemaName: `${V1}.IngressClass`,
  definitions,
  tracksGeneration: true,
  defaults(ic) {
    if (ic.spec?.parameters && ic.spec.parameters.scope == null) ic.spec.parameters.scope = 'Cluster';
  },
  validate(ic) {
    return validateSpec(ic.spec ?? {}, new FieldPath('spec'));
  },
  validateUpdate(ic, old) {
    const controller = ic.spec?.controller ?? '';
    if (controller === (old.spec?.controller ?? '')) return [];
    return [fieldErrors.invalid('spec.controller', controller, FIELD_IMMUTABLE_ERROR_MSG)];
  },
  table: table<IngressClass>(
    [
      { name: 'Controller', type: 'string', description: 'The controller that handles the class.' },
      { name: 'Parameters', type: 'string', description: 'The object holding the controller parameters.' },
    ],
    (ic) => {
      const p = ic.spec?.parameters;
      const parameters = p ? `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
      return [ic.spec?.controller ?? '', parameters];
    },
  ),
};
