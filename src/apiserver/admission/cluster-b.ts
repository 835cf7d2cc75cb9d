// The admission plugins of issue 6 part 2, in kube-apiserver's order (NamespaceLifecycle goes
// before them, the webhooks would go before ResourceQuota), and how they read the cluster:
// lists from the watch caches, quota status writes through the resourcequotas storage.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../api/registry.js';
import type { ApiServer } from '../apiserver.js';
import type { AdmissionPlugin } from './types.js';
import { limitRanger } from './limitranger.js';
import { serviceAccount } from './serviceaccount.js';
import { priority } from './priority.js';
import { defaultTolerationSeconds } from './defaulttolerationseconds.js';
import { defaultStorageClassPlugin } from './defaultstorageclass.js';
import { storageObjectInUseProtection } from './storageobjectinuseprotection.js';
import { persistentVolumeClaimResize } from './persistentvolumeclaimresize.js';
import { resourceQuota } from './resourcequota.js';

export interface ClusterAdmissionDeps {
  /** Objects of one resource in a namespace ('' for cluster-scoped resources or all namespaces). */
  list(group: string, plural: string, namespace: string): Iterable<Readonly<KubeObject>>;
  /** Read-modify-write of an object's status subresource, run again on conflicts; `mutate` may throw. */
  updateStatus(group: string, plural: string, namespace: string, name: string, mutate: (current: KubeObject) => KubeObject): Promise<void>;
}

/** LimitRanger, ServiceAccount, Priority, DefaultTolerationSeconds, DefaultStorageClass, StorageObjectInUseProtection, PersistentVolumeClaimResize, ResourceQuota. */
export function clusterAdmissionPlugins(deps: ClusterAdmissionDeps): AdmissionPlugin[] {
  return [
    limitRanger({ limitRanges: (ns) => deps.list('', 'limitranges', ns) as Iterable<LimitRange> }),
    serviceAccount(),
    priority({ priorityClasses: () => deps.list('scheduling.k8s.io', 'priorityclasses', '') as Iterable<PriorityClass> }),
    defaultTolerationSeconds(),
    defaultStorageClassPlugin({ storageClasses: () => deps.list('storage.k8s.io', 'storageclasses', '') as Iterable<StorageClass> }),
    storageObjectInUseProtection(),
    persistentVolumeClaimResize(),
    resourceQuota({
      quotas: (ns) => deps.list('', 'resourcequotas', ns) as Iterable<ResourceQuota>,
      updateQuotaStatus: (ns, name, mutate) => deps.updateStatus('', 'resourcequotas', ns, name, (cur) => mutate(cur as ResourceQuota)),
    }),
  ];
}

/** The deps served by an API server (a function, since plugins are built before the server starts). */
export function apiServerAdmissionDeps(api: () => ApiServer | undefined): ClusterAdmissionDeps {
  return {
    *list(group, plural, namespace) {
      const s = api()?.storage(group, plural);
      if (!s) return;
      for (const o of s.cache.sortedUnder(s.keyPrefix(namespace))) yield o.object;
    },
    async updateStatus(group, plural, namespace, name, mutate) {
      const s = api()?.storage(group, plural);
      if (!s) throw new Error(`no storage for ${plural}`);
      await s.update(
        namespace,
        name,
        (current) => {
          const next = mutate(current);
          // Without a resourceVersion the storage retries against whatever is stored, re-running `mutate`.
          delete next.metadata?.resourceVersion;
          return next;
        },
        { dryRun: false, warnings: [] },
        { subresource: 'status' },
      );
    },
  };
}
