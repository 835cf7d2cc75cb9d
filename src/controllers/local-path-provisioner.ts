// The local-path provisioner (an external provisioner, as rancher's local-path-provisioner):
// for claims of a StorageClass with provisioner `k8ts.io/local-path` that the scheduler placed
// on a node, it creates a hostPath PersistentVolume under the storage directory with node
// affinity to that node; when such a volume is Released with reclaim policy Delete, it removes
// the directory and the volume. Directories are touched only for nodes on this machine.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { ResourceClient } from '../client/client.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClassName, IS_DEFAULT_CLASS_ANNOTATION } from '../api/helpers/volume-binding.js';

export const LOCAL_PATH_PROVISIONER = 'k8ts.io/local-path';
export const LOCAL_PATH_STORAGE_CLASS_NAME = 'local-path';

/** The cluster's default StorageClass, created at start-up. */
export const localPathStorageClass: Readonly<StorageClass> = Object.freeze({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_STORAGE_CLASS_NAME, annotations: { [IS_DEFAULT_CLASS_ANNOTATION]: 'true' } },
  provisioner: LOCAL_PATH_PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
});

export interface LocalPathOptions {
  /** Where volumes' directories go (`<data-dir>/storage`). */
  storageDir: string;
  /** Whether a node runs on this machine, so its directories can be made and removed here (default: none). */
  isLocalNode?(nodeName: string): boolean;
}

const CLAIM = 'claim:';
const VOLUME = 'volume:';

export class LocalPathProvisioner extends Controller {
  readonly name = 'local-path-provisioner';
  private claims!: Informer<PersistentVolumeClaim>;
  private volumes!: Informer<PersistentVolume>;
  private classes!: Informer<StorageClass>;
  private readonly pvClient: ResourceClient<PersistentVolume>;
  private readonly recorder: EventRecorder;

  constructor(
    ctx: ControllerContext,
    private readonly opts: LocalPathOptions,
  ) {
    super(ctx);
    this.pvClient = ctx.client.resource<PersistentVolume>(resources.persistentVolumes);
    this.recorder = ctx.recorder(LOCAL_PATH_PROVISIONER);
  }

  setup(): void {
    const f = this.ctx.informers;
    this.claims = f.informerFor<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.volumes = f.informerFor<PersistentVolume>(resources.persistentVolumes);
    this.classes = f.informerFor<StorageClass>(resources.storageClasses);
    const claim = (pvc: PersistentVolumeClaim) => this.queue.add(CLAIM + metaNamespaceKey(pvc));
    this.claims.addEventHandler({ onAdd: claim, onUpdate: (_, pvc) => claim(pvc) });
    const volume = (pv: PersistentVolume) => {
      if (pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === LOCAL_PATH_PROVISIONER) this.queue.add(VOLUME + pv.metadata.name);
    };
    this.volumes.addEventHandler({ onAdd: volume, onUpdate: (_, pv) => volume(pv) });
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) {
      const pvc = this.claims.store.get(key.slice(CLAIM.length));
      if (pvc) await this.provision(pvc);
    } else {
      const pv = this.volumes.store.get(key.slice(VOLUME.length));
      if (pv) await this.reclaim(pv);
    }
  }

  /** The volume's directory: `<storageDir>/pvc-<uid>_<namespace>_<name>`, as local-path-provisioner names it. */
  private directoryFor(pvc: PersistentVolumeClaim, volumeName: string): string {
    return join(this.opts.storageDir, `${volumeName}_${pvc.metadata!.namespace}_${pvc.metadata!.name}`);
  }

  private async provision(pvc: PersistentVolumeClaim): Promise<void> {
    if (pvc.spec?.volumeName || pvc.metadata?.deletionTimestamp) return;
    if (pvc.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== LOCAL_PATH_PROVISIONER) return;
    const sc = this.classes.store.get(claimClassName(pvc));
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const volumeName = `pvc-${pvc.metadata!.uid}`;
    if (this.volumes.store.get(volumeName)) return;
    const node = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (!node) {
      this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', 'failed to provision volume with StorageClass "' + sc.metadata!.name + '": configuration error, no node was specified');
      return;
    }
    const claimKey = `${pvc.metadata!.namespace}/${pvc.metadata!.name}`;
    this.recorder.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey}"`);
    const path = this.directoryFor(pvc, volumeName);
    if (this.opts.isLocalNode?.(node)) mkdirSync(path, { recursive: true, mode: 0o777 });
    const pv: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volumeName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PATH_PROVISIONER } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata!.name,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: pvc.metadata!.namespace,
          name: pvc.metadata!.name,
          uid: pvc.metadata!.uid,
          resourceVersion: pvc.metadata!.resourceVersion,
        },
        hostPath: { path, type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
        ...(sc.mountOptions?.length ? { mountOptions: sc.mountOptions } : {}),
      },
    };
    try {
      await this.pvClient.create(pv);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    this.recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName}`);
  }

  /** Released volumes with reclaim policy Delete: the directory, then the volume. */
  private async reclaim(pv: PersistentVolume): Promise<void> {
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete' || pv.metadata?.deletionTimestamp) return;
    const node = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values?.[0];
    const path = pv.spec?.hostPath?.path;
    if (node && path && path.startsWith(this.opts.storageDir) && this.opts.isLocalNode?.(node)) rmSync(path, { recursive: true, force: true });
    try {
      await this.pvClient.delete(pv.metadata!.name!, { preconditions: { uid: pv.metadata!.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

export function localPathProvisionerController(opts: LocalPathOptions): ControllerFactory {
  return (ctx) => new LocalPathProvisioner(ctx, opts);
}
