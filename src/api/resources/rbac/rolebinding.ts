// rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole to subjects within a namespace.
import type { RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { KubeObject, ResourceDefinition, TableDefinition } from '../../registry.js';
import { define, kindSchema, list, object, ref, str } from '../../schema/build.js';
import { goQuote, goStruct } from '../../meta/go.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { isValidPathSegmentName, nameIsDNSSubdomain } from '../../meta/validation.js';
import { table } from '../table.js';
import { RBAC_GROUP, RBAC_V1 } from './role.js';

const definitions: Definitions = new Map();
define(definitions, {
  [`${RBAC_V1}.RoleBinding`]: kindSchema(
    { group: RBAC_GROUP, version: 'v1', kind: 'RoleBinding' },
    {
      subjects: list(ref(`${RBAC_V1}.Subject`, { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Who the role is granted to.' }),
      roleRef: ref(`${RBAC_V1}.RoleRef`, { default: {}, description: 'The Role in this namespace or the ClusterRole granted; immutable.' }),
    },
    {
      proto: { metadata: 1, subjects: 2, roleRef: 3 },
      required: ['roleRef'],
      description: 'RoleBinding grants the permissions of a role to subjects within a namespace.',
    },
  ),
  [`${RBAC_V1}.Subject`]: object(
    {
      kind: str({ default: '', description: 'User, Group or ServiceAccount.' }),
      apiGroup: str({ description: '"" for service accounts, rbac.authorization.k8s.io for users and groups.' }),
      name: str({ default: '', description: 'The name of the subject.' }),
      namespace: str({ description: 'The namespace of a service account.' }),
    },
    {
      proto: { kind: 1, apiGroup: 2, name: 3, namespace: 4 },
      required: ['kind', 'name'],
      'x-kubernetes-map-type': 'atomic',
      description: 'A user, group or service account a role is granted to.',
    },
  ),
  [`${RBAC_V1}.RoleRef`]: object(
    {
      apiGroup: str({ default: '', description: 'The group of the referenced role: rbac.authorization.k8s.io.' }),
      kind: str({ default: '', description: 'Role or ClusterRole.' }),
      name: str({ default: '', description: 'The name of the role.' }),
    },
    {
      proto: { apiGroup: 1, kind: 2, name: 3 },
      required: ['apiGroup', 'kind', 'name'],
      'x-kubernetes-map-type': 'atomic',
      description: 'The role a binding grants.',
    },
  ),
});

type Binding = KubeObject & { roleRef?: RoleRef; subjects?: Subject[] };

/** ValidateRoleBindingSubject: the apiGroup each kind needs; service accounts of cluster bindings need a namespace. */
function validateSubject(subject: Subject, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = subject.name ?? '';
  const apiGroup = subject.apiGroup ?? '';
  if (!name) errs.push(fieldErrors.required(path.child('name').path, ''));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name) for (const msg of nameIsDNSSubdomain(name, false)) errs.push(fieldErrors.invalid(path.child('name').path, name, msg));
      if (apiGroup) errs.push(fieldErrors.notSupported(path.child('apiGroup').path, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(fieldErrors.required(path.child('namespace').path, ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported(path.child('apiGroup').path, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('kind').path, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** ValidateRoleBinding / ValidateClusterRoleBinding: the role reference and the subjects. */
export function validateBinding(binding: Binding, roleKinds: string[], namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef: Partial<RoleRef> = binding.roleRef ?? {};
  if (roleRef.apiGroup !== RBAC_GROUP) errs.push(fieldErrors.notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [RBAC_GROUP]));
  if (!roleKinds.includes(roleRef.kind ?? '')) errs.push(fieldErrors.notSupported('roleRef.kind', roleRef.kind ?? '', roleKinds));
  if (!roleRef.name) errs.push(fieldErrors.required('roleRef.name', ''));
  else for (const msg of isValidPathSegmentName(roleRef.name)) errs.push(fieldErrors.invalid('roleRef.name', roleRef.name, msg));
  (binding.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, new FieldPath('subjects').index(i))));
  return errs;
}

/** The role a binding grants may not change: delete and recreate the binding instead. */
export function validateRoleRefUpdate(binding: Binding, old: Binding): FieldError[] {
  const a: Partial<RoleRef> = binding.roleRef ?? {};
  const b: Partial<RoleRef> = old.roleRef ?? {};
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  const printed = goStruct('rbac.RoleRef', [
    ['APIGroup', goQuote(a.apiGroup ?? '')],
    ['Kind', goQuote(a.kind ?? '')],
    ['Name', goQuote(a.name ?? '')],
  ]);
  return [fieldErrors.invalid('roleRef', new GoValue(printed), 'cannot change roleRef')];
}

/** The USERS, GROUPS and SERVICEACCOUNTS cells (rbac.SubjectsStrings). */
function subjectsStrings(subjects: Subject[]): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects) {
    if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

/** NAME ROLE AGE, and with -o wide USERS GROUPS SERVICEACCOUNTS. */
export function bindingTable<T extends Binding>(): TableDefinition<T> {
  return table<T>(
    [{ name: 'Role', type: 'string', description: 'The role the binding grants.' }],
    (b) => [`${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`],
    {
      columns: [
        { name: 'Users', type: 'string', description: 'Users bound.' },
        { name: 'Groups', type: 'string', description: 'Groups bound.' },
        { name: 'ServiceAccounts', type: 'string', description: 'Service accounts bound.' },
      ],
      cells: (b) => subjectsStrings(b.subjects ?? []),
    },
  );
}

export const roleBindings: ResourceDefinition<RoleBinding> = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  nameRule: 'path-segment',
  schemaName: `${RBAC_V1}.RoleBinding`,
  definitions,
  allowCreateOnUpdate: true,
  validate: (rb) => validateBinding(rb, ['Role', 'ClusterRole'], true),
  validateUpdate: validateRoleRefUpdate,
  table: bindingTable<RoleBinding>(),
};
