// apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's or StatefulSet's template.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Definitions } from '../../schema/types.js';
import { define, int64, kindSchema, ref } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { getControllerOf } from '../../meta/objectmeta.js';
import { parseApiVersion, type ResourceDefinition } from '../../registry.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../meta/validation.js';
import { semanticEqual } from '../core/podspec.js';
import { table } from '../table.js';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.apps.v1.ControllerRevision': kindSchema(
    { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
    {
      data: ref('io.k8s.apimachinery.pkg.runtime.RawExtension', { description: 'The recorded state, serialized; it can never change.' }),
      revision: int64({ default: 0, description: 'The revision number of the recorded state.' }),
    },
    {
      proto: { metadata: 1, data: 2, revision: 3 },
      required: ['revision'],
      description: 'ControllerRevision records one revision of a controller’s state, for rollout and rollback.',
    },
  ),
});

/** `daemonset.apps/web`, as formatResourceName prints the controlling owner; `<none>` without one. */
function controllerName(cr: ControllerRevision): string {
  const ref = getControllerOf(cr);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion ?? '');
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisions: ResourceDefinition<ControllerRevision> = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schemaName: 'io.k8s.api.apps.v1.ControllerRevision',
  definitions,
  validate(cr) {
    const errs: FieldError[] = [];
    if (cr.data === undefined || cr.data === null) errs.push(fieldErrors.required('data', 'data is mandatory'));
    errs.push(...validateNonnegativeField(cr.revision ?? 0, new FieldPath('revision')));
    return errs;
  },
  validateUpdate(cr, old) {
    return semanticEqual(cr.data, old.data) ? [] : [fieldErrors.invalid('data', cr.data ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
  },
  table: table<ControllerRevision>(
    [
      { name: 'Controller', type: 'string', description: 'The object that owns this revision.' },
      { name: 'Revision', type: 'string', description: 'The revision number.' },
    ],
    (cr) => [controllerName(cr), cr.revision ?? 0],
  ),
};
