// core/v1 Namespace: cluster-scoped, named by DNS-1123 labels, labelled with its own name.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, enumOf, kindSchema, list, object, ref, str, time } from '../../schema/build.js';
import { table } from '../table.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.Namespace': kindSchema(
    { group: '', version: 'v1', kind: 'Namespace' },
    {
      spec: ref('io.k8s.api.core.v1.NamespaceSpec', { default: {} }),
      status: ref('io.k8s.api.core.v1.NamespaceStatus', { default: {} }),
    },
    { description: 'Namespace provides a scope for names.', proto: { metadata: 1, spec: 2, status: 3 } },
  ),
  'io.k8s.api.core.v1.NamespaceSpec': object(
    {
      finalizers: list(str(), { 'x-kubernetes-list-type': 'atomic', description: 'Finalizers that must be empty before the namespace is removed.' }),
    },
    { proto: { finalizers: 1 } },
  ),
  'io.k8s.api.core.v1.NamespaceStatus': object(
    {
      phase: enumOf(['Active', 'Terminating'], { description: 'The current lifecycle phase of the namespace.' }),
      conditions: {
        type: 'array',
        items: ref('io.k8s.api.core.v1.NamespaceCondition'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'type',
      },
    },
    { proto: { phase: 1, conditions: 2 } },
  ),
  'io.k8s.api.core.v1.NamespaceCondition': object(
    { type: str(), status: str(), lastTransitionTime: time(), reason: str(), message: str() },
    { required: ['type', 'status'], proto: { type: 1, status: 2, lastTransitionTime: 4, reason: 5, message: 6 } },
  ),
});

function labelWithName(ns: Namespace): void {
  const name = ns.metadata?.name;
  if (!name) return;
  ns.metadata!.labels = { ...(ns.metadata!.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

export const namespaces: ResourceDefinition<Namespace> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  nameRule: 'label',
  schemaName: 'io.k8s.api.core.v1.Namespace',
  definitions,
  subresources: { status: true, others: ['finalize'] },
  defaults: labelWithName,
  prepareForCreate(ns) {
    ns.spec = { finalizers: ['kubernetes'] };
    ns.status = { phase: 'Active' };
    labelWithName(ns);
  },
  prepareForUpdate(ns, old) {
    ns.spec = old.spec;
    labelWithName(ns);
  },
  specFinalizers: (ns) => ns.spec?.finalizers,
  prepareForDelete(ns) {
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
  },
  table: table<Namespace>([{ name: 'Status', type: 'string', description: 'The status of the namespace' }], (ns) => [ns.status?.phase ?? '']),
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase ?? '' },
};
