// The PersistentVolume binder (kube-controller-manager's persistentvolume-binder): binds each
// claim to the smallest available volume that satisfies it, or hands it to the StorageClass's
// provisioner; keeps claim and volume phases current (Pending, Bound, Lost; Available, Bound,
// Released) and reclaims volumes whose claims are gone: Retain keeps them Released, Delete
// deletes them (dynamically provisioned volumes are deleted by their external provisioner).
// WaitForFirstConsumer claims wait for the scheduler's `volume.kubernetes.io/selected-node`.
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { ResourceClient } from '../client/client.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClassName,
  claimSelectorMatches,
  defaultStorageClass,
  isVolumeBoundToClaim,
  NOT_SUPPORTED_PROVISIONER,
  storageBytes,
  volumeClassName,
  volumeMismatch,
} from '../api/helpers/volume-binding.js';
import { compileNodeSelector } from '../api/helpers/node-selection.js';
import { deepCopy } from '../api/patch/json.js';

const CLAIM = 'claim:';
const VOLUME = 'volume:';

export class PersistentVolumeBinder extends Controller {
  readonly name = 'persistentvolume-binder';
  private volumes!: Informer<PersistentVolume>;
  private claims!: Informer<PersistentVolumeClaim>;
  private classes!: Informer<StorageClass>;
  private nodes!: Informer<Node>;
  private readonly pvClient: ResourceClient<PersistentVolume>;
  private readonly pvcClient: ResourceClient<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.pvClient = ctx.client.resource<PersistentVolume>(resources.persistentVolumes);
    this.pvcClient = ctx.client.resource<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.recorder = ctx.recorder('persistentvolume-controller');
  }

  setup(): void {
    const f = this.ctx.informers;
    this.volumes = f.informerFor<PersistentVolume>(resources.persistentVolumes);
    this.claims = f.informerFor<PersistentVolumeClaim>(resources.persistentVolumeClaims);
    this.classes = f.informerFor<StorageClass>(resources.storageClasses);
    this.nodes = f.informerFor<Node>(resources.nodes);
    const volume = (pv: PersistentVolume) => {
      this.queue.add(VOLUME + pv.metadata!.name);
      // A volume nobody claims may be what a pending claim waits for.
      if (!pv.spec?.claimRef) this.enqueuePendingClaims();
    };
    const claim = (pvc: PersistentVolumeClaim) => this.queue.add(CLAIM + metaNamespaceKey(pvc));
    this.volumes.addEventHandler({
      onAdd: volume,
      onUpdate: (_, pv) => volume(pv),
      // A deleted volume may leave its claim Lost.
      onDelete: (pv) => {
        const ref = pv.spec?.claimRef;
        if (ref?.namespace && ref.name) this.queue.add(`${CLAIM}${ref.namespace}/${ref.name}`);
      },
    });
    this.claims.addEventHandler({
      onAdd: claim,
      onUpdate: (_, pvc) => claim(pvc),
      // A deleted claim releases its volume.
      onDelete: (pvc) => {
        if (pvc.spec?.volumeName) this.queue.add(VOLUME + pvc.spec.volumeName);
      },
    });
    // A class created after its claims lets them proceed.
    this.classes.addEventHandler({ onAdd: () => this.enqueuePendingClaims(), onUpdate: () => this.enqueuePendingClaims() });
  }

  private enqueuePendingClaims(): void {
    for (const pvc of this.claims.store.list()) if (!pvc.spec?.volumeName) this.queue.add(CLAIM + metaNamespaceKey(pvc));
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) {
      const pvc = this.claims.store.get(key.slice(CLAIM.length));
      if (pvc) await this.syncClaim(pvc);
    } else if (key.startsWith(VOLUME)) {
      const pv = this.volumes.store.get(key.slice(VOLUME.length));
      if (pv) await this.syncVolume(pv);
    }
  }

  // ---------------------------------------------------------------- claims

  private async syncClaim(pvc: PersistentVolumeClaim): Promise<void> {
    if (pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] === undefined) await this.syncUnboundClaim(pvc);
    else await this.syncBoundClaim(pvc);
  }

  private async syncUnboundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    if (volumeName) {
      // Bound by the user to a named volume.
      const pv = this.volumes.store.get(volumeName);
      if (!pv) {
        await this.setClaimPhase(pvc, 'Pending');
        return;
      }
      if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, pvc)) {
        const why = volumeMismatch(pv, pvc);
        if (why) {
          this.recorder.event(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${why}`);
          await this.setClaimPhase(pvc, 'Pending');
          return;
        }
        await this.bind(pv, pvc);
        return;
      }
      this.recorder.event(pvc, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
      await this.setClaimPhase(pvc, 'Pending');
      return;
    }
    if (pvc.metadata?.deletionTimestamp) return;
    // A claim without a class gets the default one when a default exists (retroactive assignment).
    if ((pvc.spec?.storageClassName === undefined || pvc.spec.storageClassName === null) && pvc.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] === undefined) {
      const def = defaultStorageClass(this.classes.store.list());
      if (def) {
        const updated = deepCopy(pvc);
        updated.spec = { ...updated.spec, storageClassName: def.metadata!.name };
        await this.pvcClient.update(updated);
        return;
      }
    }
    const className = claimClassName(pvc);
    const sc = className ? this.classes.store.get(className) : undefined;
    const selectedNode = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
    const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode;
    const pv = this.findBestMatch(pvc, delayBinding, selectedNode);
    if (pv) {
      await this.bind(pv, pvc);
      return;
    }
    if (delayBinding) {
      this.recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (!className) {
      this.recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    } else if (!sc) {
      this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    } else if (sc.provisioner === NOT_SUPPORTED_PROVISIONER) {
      this.recorder.event(pvc, 'Normal', 'WaitForPodScheduled', 'waiting for pod to be scheduled');
    } else {
      await this.provisionClaim(pvc, sc);
      return;
    }
    await this.setClaimPhase(pvc, 'Pending');
  }

  /** Hands the claim to the class's provisioner (all are external here) and tells the user. */
  private async provisionClaim(pvc: PersistentVolumeClaim, sc: StorageClass): Promise<void> {
    const provisioner = sc.provisioner;
    const annotations = pvc.metadata?.annotations ?? {};
    if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      const updated = deepCopy(pvc);
      updated.metadata!.annotations = { ...annotations, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner };
      await this.pvcClient.update(updated);
    }
    this.recorder.event(
      pvc,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /**
   * findMatchingVolume: a volume already pre-bound to the claim, else the smallest Available
   * one of the claim's class, modes and selector (with delayed binding, only pre-bound ones).
   */
  private findBestMatch(pvc: PersistentVolumeClaim, delayBinding: boolean, selectedNode: string | undefined): PersistentVolume | undefined {
    const node = selectedNode ? this.nodes.store.get(selectedNode) : undefined;
    const requested = storageBytes(pvc.spec?.resources?.requests?.storage);
    const className = claimClassName(pvc);
    const modes = pvc.spec?.accessModes ?? [];
    let best: PersistentVolume | undefined;
    let bestSize = Infinity;
    for (const pv of this.volumes.store.list()) {
      if (pv.metadata?.deletionTimestamp) continue;
      if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
      const size = storageBytes(pv.spec?.capacity?.storage);
      if (size < requested) continue;
      const affinity = pv.spec?.nodeAffinity?.required;
      const fitsNode = !affinity || !node || compileNodeSelector(affinity)(node.metadata?.labels ?? {}, node.metadata!.name!);
      if (isVolumeBoundToClaim(pv, pvc)) return fitsNode ? pv : undefined;
      if (delayBinding) continue;
      if (pv.spec?.claimRef || pv.status?.phase !== 'Available') continue;
      if (volumeClassName(pv) !== className) continue;
      if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
      if (!claimSelectorMatches(pvc, pv)) continue;
      if (!fitsNode || (affinity && selectedNode && !node)) continue;
      if (size < bestSize) {
        best = pv;
        bestSize = size;
      }
    }
    return best;
  }

  private async syncBoundClaim(pvc: PersistentVolumeClaim): Promise<void> {
    const volumeName = pvc.spec?.volumeName;
    if (!volumeName) {
      await this.claimLost(pvc, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const pv = this.volumes.store.get(volumeName);
    if (!pv) {
      await this.claimLost(pvc, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, pvc)) {
      // Finish a binding that was interrupted, or repair the volume's side.
      await this.bind(pv, pvc);
      return;
    }
    this.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    await this.setClaimPhase(pvc, 'Lost');
  }

  private async claimLost(pvc: PersistentVolumeClaim, message: string): Promise<void> {
    if (pvc.status?.phase === 'Lost') return;
    await this.setClaimPhase(pvc, 'Lost');
    this.recorder.event(pvc, 'Warning', 'ClaimLost', message);
  }

  /** Volume first (claimRef, then phase), then the claim (volumeName and annotations, then phase), as upstream orders it. */
  private async bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
    let volume = pv;
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid !== pvc.metadata?.uid || ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace) {
      const updated = deepCopy(volume);
      updated.spec = {
        ...updated.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: pvc.metadata!.namespace,
          name: pvc.metadata!.name,
          uid: pvc.metadata!.uid,
          resourceVersion: pvc.metadata!.resourceVersion,
        },
      };
      // A volume the user pre-bound to this claim by name is not marked as the controller's doing.
      if (!isVolumeBoundToClaim(volume, pvc)) updated.metadata!.annotations = { ...updated.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      volume = await this.pvClient.update(updated);
    }
    if (volume.status?.phase !== 'Bound') volume = await this.setVolumePhase(volume, 'Bound');

    let claim = pvc;
    const annotations = claim.metadata?.annotations ?? {};
    const setVolumeName = claim.spec?.volumeName !== volume.metadata!.name;
    if (setVolumeName || annotations[ANN_BIND_COMPLETED] !== 'yes') {
      const updated = deepCopy(claim);
      updated.spec = { ...updated.spec, volumeName: volume.metadata!.name };
      const next: Record<string, string> = { ...annotations, [ANN_BIND_COMPLETED]: 'yes' };
      if (setVolumeName) next[ANN_BOUND_BY_CONTROLLER] = 'yes';
      updated.metadata!.annotations = next;
      claim = await this.pvcClient.update(updated);
    }
    const capacity = volume.spec?.capacity;
    const accessModes = volume.spec?.accessModes;
    const status = claim.status ?? {};
    if (status.phase !== 'Bound' || JSON.stringify(status.capacity) !== JSON.stringify(capacity) || JSON.stringify(status.accessModes) !== JSON.stringify(accessModes)) {
      await this.pvcClient.updateStatus({ ...claim, status: { ...claim.status, phase: 'Bound', capacity, accessModes } });
    }
  }

  private async setClaimPhase(pvc: PersistentVolumeClaim, phase: 'Pending' | 'Bound' | 'Lost'): Promise<void> {
    if (pvc.status?.phase === phase) return;
    await this.pvcClient.updateStatus({ ...pvc, status: { ...pvc.status, phase } });
  }

  // ---------------------------------------------------------------- volumes

  private async setVolumePhase(pv: PersistentVolume, phase: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): Promise<PersistentVolume> {
    if (pv.status?.phase === phase && pv.status.message === message) return pv;
    const { message: _, ...rest } = pv.status ?? {};
    return this.pvClient.updateStatus({ ...pv, status: message ? { ...rest, phase, message } : { ...rest, phase } });
  }

  private async syncVolume(pv: PersistentVolume): Promise<void> {
    const ref = pv.spec?.claimRef;
    if (!ref) {
      await this.setVolumePhase(pv, 'Available');
      return;
    }
    const claimKey = `${ref.namespace}/${ref.name}`;
    if (!ref.uid) {
      // Pre-bound by the user to a claim name: the claim's sync binds it.
      if (this.claims.store.get(claimKey)) this.queue.add(CLAIM + claimKey);
      await this.setVolumePhase(pv, 'Available');
      return;
    }
    let pvc = this.claims.store.get(claimKey);
    if (!pvc || pvc.metadata?.uid !== ref.uid) {
      // The cache may not have a claim that was just created: ask the API before releasing.
      pvc = await this.pvcClient
        .namespace(ref.namespace!)
        .get(ref.name!)
        .catch((err) => {
          if (isNotFound(err)) return undefined;
          throw err;
        });
    }
    if (!pvc || pvc.metadata?.uid !== ref.uid) {
      await this.releaseVolume(pv);
      return;
    }
    if (!pvc.spec?.volumeName) {
      // Chosen for this claim (by the scheduler or this controller): the claim's sync finishes the binding.
      this.queue.add(CLAIM + claimKey);
      return;
    }
    if (pvc.spec.volumeName === pv.metadata!.name) {
      await this.setVolumePhase(pv, 'Bound');
      return;
    }
    // The claim went to another volume: undo what this controller did, leave a user's binding alone.
    if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      const updated = deepCopy(pv);
      delete updated.spec!.claimRef;
      delete updated.metadata!.annotations![ANN_BOUND_BY_CONTROLLER];
      const unbound = await this.pvClient.update(updated);
      await this.setVolumePhase(unbound, 'Available');
    }
  }

  /** The volume's claim is gone: Released, then reclaimed as its policy says. */
  private async releaseVolume(pv: PersistentVolume): Promise<void> {
    let volume = pv;
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.setVolumePhase(volume, 'Released');
    switch (volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
      case 'Retain':
        return;
      case 'Delete': {
        const provisioner = volume.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
        // Volumes of an external provisioner (every provisioner is external here) are deleted by it.
        if (provisioner) return;
        if (volume.metadata?.deletionTimestamp) return;
        const noDeleter = inTreeDeleterError(volume);
        if (noDeleter) {
          if (volume.status?.phase === 'Failed') return;
          this.recorder.event(volume, 'Warning', 'VolumeFailedDelete', noDeleter);
          await this.setVolumePhase(volume, 'Failed', noDeleter);
          return;
        }
        try {
          await this.pvClient.delete(volume.metadata!.name!, { preconditions: { uid: volume.metadata!.uid } });
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
        return;
      }
      default:
        this.recorder.event(volume, 'Warning', 'VolumeFailedRecycle', 'Recycle policy is not supported');
        await this.setVolumePhase(volume, 'Failed', 'Recycle policy is not supported');
    }
  }
}

/**
 * Why a volume nobody provisioned cannot be deleted, as upstream's in-tree deleters answer: only
 * hostPath volumes whose path matches /tmp/.+ have one (the simulated nodes have nothing to remove).
 */
function inTreeDeleterError(volume: PersistentVolume): string | undefined {
  const name = volume.metadata?.name ?? '';
  const hostPath = volume.spec?.hostPath?.path;
  if (hostPath === undefined) return `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`;
  if (!/\/tmp\/.+/.test(hostPath)) return `failed to create deleter for volume "${name}": host_path deleter only supports /tmp/.+ but received provided ${hostPath}`;
  return undefined;
}

export const persistentVolumeBinderController: ControllerFactory = (ctx) => new PersistentVolumeBinder(ctx);
