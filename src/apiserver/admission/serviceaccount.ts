// ServiceAccount: a new pod runs as the `default` ServiceAccount unless it names one, and the
// account must exist; unless the pod or its account opts out, every container gets the
// account's API credentials (a projected `kube-api-access-xxxxx` volume: a bound token, the
// cluster CA and the namespace) read-only at /var/run/secrets/kubernetes.io/serviceaccount;
// the account's imagePullSecrets are copied to a pod that has none. Mirror pods may reference
// neither accounts, secrets nor token projections.
import type { Container, Pod, PodSpec, ProjectedVolumeSource, ServiceAccount, VolumeMount } from 'kubernetes-types/core/v1.js';
import { WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from '../../api/auth/serviceaccount.js';
import { randomSuffix } from '../rest.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';
import { forbiddenFor } from './forbidden.js';

export const DEFAULT_SERVICE_ACCOUNT_NAME = 'default';
/** The prefix of the generated volume's name. */
export const SERVICE_ACCOUNT_VOLUME_NAME = 'kube-api-access';
/** Where containers find token, ca.crt and namespace. */
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** corev1.ProjectedVolumeSourceDefaultMode (0644), set explicitly as upstream does. */
const PROJECTED_DEFAULT_MODE = 0o644;

export interface ServiceAccountOptions {
  /** Waits between lookups of a `default` account not created yet (its controller is about to). */
  sleep?: (ms: number) => Promise<void>;
  /** Names the token volume from its prefix (default: five random characters appended, as generateName). */
  generateName?: (prefix: string) => string;
}

/** The projected volume of a pod's API credentials (upstream TokenVolumeSource). */
export function tokenVolumeSource(): ProjectedVolumeSource {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: PROJECTED_DEFAULT_MODE,
  };
}

/** The pod's choice wins, then the account's; mounting is the default. */
function shouldAutomount(sa: ServiceAccount, pod: Pod): boolean {
  return pod.spec?.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

/**
 * Mounts the token volume in every container and init container without a mount at the token
 * path, and adds the volume when one of them needed it (a `kube-api-access-*` volume already
 * there is reused).
 */
function mountServiceAccountToken(spec: PodSpec, generateName: (prefix: string) => string): void {
  const existing = spec.volumes?.find((v) => v.name.startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`));
  const volumeName = existing?.name ?? generateName(`${SERVICE_ACCOUNT_VOLUME_NAME}-`);
  let needsVolume = false;
  const mountIn = (containers: Container[] | undefined) => {
    for (const c of containers ?? []) {
      if (c.volumeMounts?.some((m) => m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
      const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH };
      (c.volumeMounts ??= []).push(mount);
      needsVolume = true;
    }
  };
  mountIn(spec.initContainers);
  mountIn(spec.containers);
  if (!existing && needsVolume) (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() });
}

export function serviceAccount(opts: ServiceAccountOptions = {}): AdmissionPlugin {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const generateName = opts.generateName ?? ((prefix: string) => prefix + randomSuffix());

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
        if (spec.volumes?.some((v) => v.projected?.sources?.some((p) => p.serviceAccountToken))) {
          throw forbiddenFor(attrs, 'a mirror pod may not use ServiceAccountToken volume projections');
        }
        return;
      }
      if (!spec.serviceAccountName) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT_NAME;
      const name = spec.serviceAccountName;
      const sa = await find(attrs, name);
      if (!sa) throw forbiddenFor(attrs, `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`);
      if (shouldAutomount(sa, pod)) mountServiceAccountToken(spec, generateName);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ ...s }));
    },
  };
}
