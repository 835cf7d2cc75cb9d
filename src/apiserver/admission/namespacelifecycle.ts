// NamespaceLifecycle: nothing is created in a namespace that does not exist or is being
// deleted, and the system namespaces cannot be deleted. Upstream's plugin is a mutating one, the
// first of the chain, so a pod in a missing namespace is refused for the namespace before the
// ServiceAccount plugin looks for its account there; this server admits deletions in the
// validating phase only, so the deletion check lives there.
import { failure, forbidden, notFound } from '../../api/meta/status.js';
import type { AdmissionPlugin } from './types.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export function namespaceLifecycle(): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    validate(attrs) {
      if (attrs.def.group === '' && attrs.def.plural === 'namespaces' && attrs.operation === 'DELETE' && IMMORTAL.has(attrs.name)) {
        throw forbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
    },
    async admit(attrs) {
      const { def, operation } = attrs;
      if (!def.namespaced || operation !== 'CREATE') return;
      // A namespace created an instant ago may not be in the cache yet: then read it consistently, as upstream.
      const ns = attrs.lookup('', 'namespaces', '', attrs.namespace) ?? (await attrs.lookupConsistent('', 'namespaces', '', attrs.namespace));
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      if (ns.status?.phase === 'Terminating') {
        const resource = def.group ? `${def.plural}.${def.group}` : def.plural;
        throw failure(
          403,
          'Forbidden',
          `${resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
          {
            name: attrs.name,
            kind: def.plural,
            ...(def.group ? { group: def.group } : {}),
            causes: [{ reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' }],
          },
        );
      }
    },
  };
}
