// ServiceAccount: a new pod runs as the `default` ServiceAccount unless it names one, and the
// account must exist; the account's imagePullSecrets are copied to a pod that has none. Mirror
// pods may reference neither accounts nor secrets. (The projected token volume arrives with
// the token issuer.)
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbiddenFor } from './forbidden.js';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export interface ServiceAccountOptions {
  /** Waits between lookups of a `default` account not created yet (its controller is about to). */
  sleep?: (ms: number) => Promise<void>;
}

export function serviceAccount(opts: ServiceAccountOptions = {}): AdmissionPlugin {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function find(attrs: AdmissionAttributes, name: string): Promise<ServiceAccount | undefined> {
    // The default account is created by a controller right after its namespace: give it a moment, as upstream does.
    const attempts = name === DEFAULT_SERVICE_ACCOUNT_NAME ? 10 : 1;
    const interval = 100 + Math.floor(Math.random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(interval);
      const sa = attrs.lookup('', 'serviceaccounts', attrs.namespace, name);
      if (sa) return sa as ServiceAccount;
    }
    return undefined;
  }

  return {
    name: 'ServiceAccount',
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.def.group !== '' || attrs.def.plural !== 'pods' || !attrs.object) return;
      const pod = attrs.object as Pod;
      const spec = (pod.spec ??= { containers: [] });
      if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
        if (spec.serviceAccountName) throw forbiddenFor(attrs, 'a mirror pod may not reference service accounts');
        if (spec.volumes?.some((v) => v.secret)) throw forbiddenFor(attrs, 'a mirror pod may not reference secrets');
        return;
      }
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
      const name = spec.serviceAccountName;
      const sa = await find(attrs, name);
      if (!sa) throw forbiddenFor(attrs, `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ ...s }));
    },
  };
}
