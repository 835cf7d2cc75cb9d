// core/v1 PersistentVolume: a piece of storage in the cluster, bound to at most one claim.
// Volume sources shared with pods (hostPath, nfs, …) and NodeSelector are defined in podspec.ts.
import type { PersistentVolume, PersistentVolumeSpec, SecretReference } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition, TableDefinition } from '../../registry.js';
import { bool, define, enumOf, int32, kindSchema, list, object, ref, str, stringMap, time } from '../../schema/build.js';
import { fieldErrors, FieldPath, GoValue, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG, inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateNamespaceName } from '../../meta/validation.js';
import { nowRFC3339 } from '../../meta/time.js';
import { age, ageColumn, nameColumn } from '../table.js';
import { parseResourceQuantity, resourceList, roundUpResourceList, validateBasicResource, validatePositiveQuantityValue } from './resourcequota.js';

const V1 = 'io.k8s.api.core.v1';
const requiredString = (description: string) => str({ default: '', description });
const atomicStrings = (description: string) => list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description });
const secretRef = (description: string) => ref(`${V1}.SecretReference`, { description });
const readOnly = bool({ description: 'Mount the volume read-only.' });
const fsType = str({ description: 'The filesystem type to mount, such as ext4 or xfs.' });

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;
export const accessModesSchema = (description: string) =>
  list(str({ default: '', enum: ACCESS_MODES }), { 'x-kubernetes-list-type': 'atomic', description });

const definitions: Definitions = new Map();
define(definitions, {
  [`${V1}.PersistentVolume`]: kindSchema(
    { group: '', version: 'v1', kind: 'PersistentVolume' },
    {
      spec: ref(`${V1}.PersistentVolumeSpec`, { default: {}, description: 'The storage and how it may be used.' }),
      status: ref(`${V1}.PersistentVolumeStatus`, { default: {}, description: 'The current state of the volume.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'PersistentVolume is a piece of storage provisioned by an administrator or a provisioner.' },
  ),
  [`${V1}.PersistentVolumeSpec`]: object(
    {
      capacity: resourceList('The size of the volume (storage).'),
      gcePersistentDisk: ref(`${V1}.GCEPersistentDiskVolumeSource`, { description: 'Deprecated: a GCE persistent disk.' }),
      awsElasticBlockStore: ref(`${V1}.AWSElasticBlockStoreVolumeSource`, { description: 'Deprecated: an AWS EBS volume.' }),
      hostPath: ref(`${V1}.HostPathVolumeSource`, { description: 'A directory on the node; for single-node testing.' }),
      glusterfs: ref(`${V1}.GlusterfsPersistentVolumeSource`, { description: 'Deprecated: a GlusterFS volume.' }),
      nfs: ref(`${V1}.NFSVolumeSource`, { description: 'An NFS export.' }),
      rbd: ref(`${V1}.RBDPersistentVolumeSource`, { description: 'Deprecated: a Ceph RBD image.' }),
      iscsi: ref(`${V1}.ISCSIPersistentVolumeSource`, { description: 'An iSCSI disk.' }),
      cinder: ref(`${V1}.CinderPersistentVolumeSource`, { description: 'Deprecated: an OpenStack Cinder volume.' }),
      cephfs: ref(`${V1}.CephFSPersistentVolumeSource`, { description: 'Deprecated: a CephFS mount.' }),
      fc: ref(`${V1}.FCVolumeSource`, { description: 'A Fibre Channel disk.' }),
      flocker: ref(`${V1}.FlockerVolumeSource`, { description: 'Deprecated: a Flocker dataset.' }),
      flexVolume: ref(`${V1}.FlexPersistentVolumeSource`, { description: 'Deprecated: a volume handled by a FlexVolume driver.' }),
      azureFile: ref(`${V1}.AzureFilePersistentVolumeSource`, { description: 'Deprecated: an Azure File share.' }),
      vsphereVolume: ref(`${V1}.VsphereVirtualDiskVolumeSource`, { description: 'Deprecated: a vSphere volume.' }),
      quobyte: ref(`${V1}.QuobyteVolumeSource`, { description: 'Deprecated: a Quobyte volume.' }),
      azureDisk: ref(`${V1}.AzureDiskVolumeSource`, { description: 'Deprecated: an Azure data disk.' }),
      photonPersistentDisk: ref(`${V1}.PhotonPersistentDiskVolumeSource`, { description: 'Deprecated: a Photon Controller disk.' }),
      portworxVolume: ref(`${V1}.PortworxVolumeSource`, { description: 'Deprecated: a Portworx volume.' }),
      scaleIO: ref(`${V1}.ScaleIOPersistentVolumeSource`, { description: 'Deprecated: a ScaleIO volume.' }),
      local: ref(`${V1}.LocalVolumeSource`, { description: 'A local disk, partition or directory on one node.' }),
      storageos: ref(`${V1}.StorageOSPersistentVolumeSource`, { description: 'Deprecated: a StorageOS volume.' }),
      csi: ref(`${V1}.CSIPersistentVolumeSource`, { description: 'A volume handled by a CSI driver.' }),
      accessModes: accessModesSchema('The ways the volume can be mounted.'),
      claimRef: ref(`${V1}.ObjectReference`, { 'x-kubernetes-map-type': 'granular', description: 'The claim the volume is bound to.' }),
      persistentVolumeReclaimPolicy: enumOf(['Delete', 'Recycle', 'Retain'], { description: 'What happens to the volume when its claim is deleted.' }),
      storageClassName: str({ description: 'The storage class the volume belongs to.' }),
      mountOptions: atomicStrings('Mount options, such as ro or soft.'),
      volumeMode: enumOf(VOLUME_MODES, { description: 'Whether the volume is a filesystem or a raw block device.' }),
      nodeAffinity: ref(`${V1}.VolumeNodeAffinity`, { description: 'The nodes the volume can be used from.' }),
      volumeAttributesClassName: str({ description: 'The VolumeAttributesClass the volume belongs to.' }),
    },
    {
      proto: {
        capacity: 1, accessModes: 3, claimRef: 4, persistentVolumeReclaimPolicy: 5, storageClassName: 6, mountOptions: 7, volumeMode: 8,
        nodeAffinity: 9, volumeAttributesClassName: 10,
      },
      protoPointers: ['volumeMode', 'volumeAttributesClassName'],
      protoInline: [
        {
          field: 2,
          proto: {
            gcePersistentDisk: 1, awsElasticBlockStore: 2, hostPath: 3, glusterfs: 4, nfs: 5, rbd: 6, iscsi: 7, cinder: 8, cephfs: 9, fc: 10,
            flocker: 11, flexVolume: 12, azureFile: 13, vsphereVolume: 14, quobyte: 15, azureDisk: 16, photonPersistentDisk: 17, portworxVolume: 18,
            scaleIO: 19, local: 20, storageos: 21, csi: 22,
          },
        },
      ],
      description: 'The characteristics and source of a persistent volume.',
    },
  ),
  [`${V1}.PersistentVolumeStatus`]: object(
    {
      phase: enumOf(['Available', 'Bound', 'Failed', 'Pending', 'Released'], { description: 'The lifecycle phase of the volume.' }),
      message: str({ description: 'Why the volume is in this phase, for humans.' }),
      reason: str({ description: 'Why the volume is in this phase, in CamelCase.' }),
      lastPhaseTransitionTime: time({ description: 'When the volume last changed phase.' }),
    },
    { proto: { phase: 1, message: 2, reason: 3, lastPhaseTransitionTime: 4 }, protoPointers: ['lastPhaseTransitionTime'], description: 'The current state of a persistent volume.' },
  ),
  [`${V1}.VolumeNodeAffinity`]: object(
    { required: ref(`${V1}.NodeSelector`, { description: 'Nodes the volume can be used from.' }) },
    { proto: { required: 1 }, description: 'Constraints on the nodes a volume can be used from.' },
  ),
  [`${V1}.SecretReference`]: object(
    { name: str({ description: 'The name of the secret.' }), namespace: str({ description: 'The namespace of the secret.' }) },
    { proto: { name: 1, namespace: 2 }, 'x-kubernetes-map-type': 'atomic', description: 'A secret in any namespace.' },
  ),
  [`${V1}.GlusterfsPersistentVolumeSource`]: object(
    {
      endpoints: requiredString('The Endpoints naming the Glusterfs servers.'),
      path: requiredString('The Glusterfs volume path.'),
      readOnly,
      endpointsNamespace: str({ description: 'The namespace of the endpoints; defaults to the claim namespace.' }),
    },
    {
      proto: { endpoints: 1, path: 2, readOnly: 3, endpointsNamespace: 4 },
      protoPointers: ['endpointsNamespace'],
      required: ['endpoints', 'path'],
      description: 'A Glusterfs mount.',
    },
  ),
  [`${V1}.RBDPersistentVolumeSource`]: object(
    {
      monitors: atomicStrings('The Ceph monitors.'),
      image: requiredString('The RADOS image name.'),
      fsType,
      pool: str({ default: 'rbd', description: 'The RADOS pool.' }),
      user: str({ default: 'admin', description: 'The RADOS user.' }),
      keyring: str({ default: '/etc/ceph/keyring', description: 'The keyring path.' }),
      secretRef: secretRef('The secret with the RBD user key; overrides keyring.'),
      readOnly,
    },
    { proto: { monitors: 1, image: 2, fsType: 3, pool: 4, user: 5, keyring: 6, secretRef: 7, readOnly: 8 }, required: ['monitors', 'image'], description: 'A Ceph RBD image.' },
  ),
  [`${V1}.ISCSIPersistentVolumeSource`]: object(
    {
      targetPortal: requiredString('The target portal, IP or ip:port.'),
      iqn: requiredString('The target iSCSI qualified name.'),
      lun: int32({ default: 0, description: 'The target LUN number.' }),
      iscsiInterface: str({ default: 'default', description: 'The iSCSI interface name.' }),
      fsType,
      readOnly,
      portals: atomicStrings('Further target portals.'),
      chapAuthDiscovery: bool({ description: 'Use CHAP authentication for discovery.' }),
      chapAuthSession: bool({ description: 'Use CHAP authentication for sessions.' }),
      secretRef: secretRef('The CHAP secret.'),
      initiatorName: str({ description: 'A custom initiator name.' }),
    },
    {
      proto: {
        targetPortal: 1, iqn: 2, lun: 3, iscsiInterface: 4, fsType: 5, readOnly: 6, portals: 7, chapAuthDiscovery: 8, chapAuthSession: 11,
        secretRef: 10, initiatorName: 12,
      },
      protoPointers: ['initiatorName'],
      required: ['targetPortal', 'iqn', 'lun'],
      description: 'An iSCSI disk.',
    },
  ),
  [`${V1}.CinderPersistentVolumeSource`]: object(
    { volumeID: requiredString('The Cinder volume ID.'), fsType, readOnly, secretRef: secretRef('The OpenStack credentials.') },
    { proto: { volumeID: 1, fsType: 2, readOnly: 3, secretRef: 4 }, required: ['volumeID'], description: 'An OpenStack Cinder volume.' },
  ),
  [`${V1}.CephFSPersistentVolumeSource`]: object(
    {
      monitors: atomicStrings('The Ceph monitors.'),
      path: str({ description: 'The mounted root; defaults to /.' }),
      user: str({ description: 'The RADOS user.' }),
      secretFile: str({ description: 'The keyring path.' }),
      secretRef: secretRef('The secret with the user key.'),
      readOnly,
    },
    { proto: { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: 5, readOnly: 6 }, required: ['monitors'], description: 'A CephFS mount.' },
  ),
  [`${V1}.FlexPersistentVolumeSource`]: object(
    {
      driver: requiredString('The FlexVolume driver.'),
      fsType,
      secretRef: secretRef('A secret passed to the driver.'),
      readOnly,
      options: stringMap({ additionalProperties: str({ default: '' }), description: 'Extra options for the driver.' }),
    },
    { proto: { driver: 1, fsType: 2, secretRef: 3, readOnly: 4, options: 5 }, required: ['driver'], description: 'A volume handled by a FlexVolume driver.' },
  ),
  [`${V1}.AzureFilePersistentVolumeSource`]: object(
    {
      secretName: requiredString('The secret with the storage account name and key.'),
      shareName: requiredString('The share name.'),
      readOnly,
      secretNamespace: str({ description: 'The namespace of the secret; defaults to the pod namespace.' }),
    },
    {
      proto: { secretName: 1, shareName: 2, readOnly: 3, secretNamespace: 4 },
      protoPointers: ['secretNamespace'],
      required: ['secretName', 'shareName'],
      description: 'An Azure File share.',
    },
  ),
  [`${V1}.ScaleIOPersistentVolumeSource`]: object(
    {
      gateway: requiredString('The ScaleIO API gateway address.'),
      system: requiredString('The ScaleIO storage system.'),
      secretRef: secretRef('The ScaleIO credentials.'),
      sslEnabled: bool({ description: 'Use SSL towards the gateway.' }),
      protectionDomain: str({ description: 'The protection domain.' }),
      storagePool: str({ description: 'The storage pool.' }),
      storageMode: str({ default: 'ThinProvisioned', description: 'ThickProvisioned or ThinProvisioned.' }),
      volumeName: str({ description: 'The name of an existing volume.' }),
      fsType: str({ default: 'xfs', description: 'The filesystem type to mount.' }),
      readOnly,
    },
    {
      proto: {
        gateway: 1, system: 2, secretRef: 3, sslEnabled: 4, protectionDomain: 5, storagePool: 6, storageMode: 7, volumeName: 8, fsType: 9,
        readOnly: 10,
      },
      required: ['gateway', 'system', 'secretRef'],
      description: 'A ScaleIO volume.',
    },
  ),
  [`${V1}.LocalVolumeSource`]: object(
    { path: requiredString('The full path on the node.'), fsType: str({ description: 'The filesystem of a block device path.' }) },
    { proto: { path: 1, fsType: 2 }, protoPointers: ['fsType'], required: ['path'], description: 'A local disk, partition or directory.' },
  ),
  [`${V1}.StorageOSPersistentVolumeSource`]: object(
    {
      volumeName: str({ description: 'The StorageOS volume name.' }),
      volumeNamespace: str({ description: 'The StorageOS namespace.' }),
      fsType,
      readOnly,
      secretRef: ref(`${V1}.ObjectReference`, { description: 'The StorageOS API credentials.' }),
    },
    { proto: { volumeName: 1, volumeNamespace: 2, fsType: 3, readOnly: 4, secretRef: 5 }, description: 'A StorageOS volume.' },
  ),
  [`${V1}.CSIPersistentVolumeSource`]: object(
    {
      driver: requiredString('The CSI driver name.'),
      volumeHandle: requiredString('The volume ID the driver returned.'),
      readOnly: bool({ description: 'Publish the volume read-only.' }),
      fsType,
      volumeAttributes: stringMap({ additionalProperties: str({ default: '' }), description: 'Driver-specific attributes of the volume.' }),
      controllerPublishSecretRef: secretRef('Secret for ControllerPublishVolume and ControllerUnpublishVolume.'),
      nodeStageSecretRef: secretRef('Secret for NodeStageVolume and NodeUnstageVolume.'),
      nodePublishSecretRef: secretRef('Secret for NodePublishVolume and NodeUnpublishVolume.'),
      controllerExpandSecretRef: secretRef('Secret for ControllerExpandVolume.'),
      nodeExpandSecretRef: secretRef('Secret for NodeExpandVolume.'),
    },
    {
      proto: {
        driver: 1, volumeHandle: 2, readOnly: 3, fsType: 4, volumeAttributes: 5, controllerPublishSecretRef: 6, nodeStageSecretRef: 7,
        nodePublishSecretRef: 8, controllerExpandSecretRef: 9, nodeExpandSecretRef: 10,
      },
      required: ['driver', 'volumeHandle'],
      description: 'A volume managed by an external CSI driver.',
    },
  ),
});

// ---- validation ----

/** The fields of PersistentVolumeSource, in upstream's order of checking. */
const PV_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;
type SourceName = (typeof PV_SOURCES)[number];
type Source = Record<string, any>;

const required = (path: FieldPath, ...names: string[]) => (src: Source) =>
  names.filter((n) => !src[n] || (Array.isArray(src[n]) && src[n].length === 0)).map((n) => fieldErrors.required(path.child(n).path));

function dnsLabel(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldErrors.invalid(path.path, value, msg));
}

function noBacksteps(p: string, path: FieldPath): FieldError[] {
  return p.split('/').includes('..') ? [fieldErrors.invalid(path.path, p, "must not contain '..'")] : [];
}

function validatePVSecretReference(ref: SecretReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(fieldErrors.required(path.child('name').path));
  else for (const msg of isDNS1123Subdomain(ref.name)) errs.push(fieldErrors.invalid(path.child('name').path, ref.name, msg));
  if (!ref.namespace) errs.push(fieldErrors.required(path.child('namespace').path));
  else errs.push(...dnsLabel(ref.namespace, path.child('namespace')));
  return errs;
}

const IQN = /^iqn\.\d{4}-\d{2}\.([a-zA-Z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const EUI = /^eui\.[a-zA-Z0-9]{16}$/;
const NAA = /^naa\.[a-zA-Z0-9]{32}$/;

function validIQN(value: string): boolean {
  if (value.startsWith('iqn')) return IQN.test(value);
  if (value.startsWith('eui')) return EUI.test(value);
  return value.startsWith('naa') && NAA.test(value);
}

// Upstream's message names 1 although 0 is accepted.
const PD_PARTITION_MESSAGE = inclusiveRangeError(1, 255);
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Per-source checks of ValidatePersistentVolumeSpec. */
const sourceRules: Record<SourceName, (src: Source, path: FieldPath, pvName: string) => FieldError[]> = {
  hostPath: (src, path) => {
    if (!src.path) return [fieldErrors.required(path.child('path').path)];
    const errs = noBacksteps(src.path, path.child('path'));
    if (src.type !== undefined && !HOST_PATH_TYPES.includes(src.type)) errs.push(fieldErrors.notSupported(path.child('type').path, src.type, HOST_PATH_TYPES));
    return errs;
  },
  gcePersistentDisk: (src, path) => {
    const errs = required(path, 'pdName')(src);
    const partition = src.partition ?? 0;
    if (partition < 0 || partition > 255) errs.push(fieldErrors.invalid(path.child('partition').path, partition, PD_PARTITION_MESSAGE));
    return errs;
  },
  awsElasticBlockStore: (src, path) => {
    const errs = required(path, 'volumeID')(src);
    const partition = src.partition ?? 0;
    if (partition < 0 || partition > 255) errs.push(fieldErrors.invalid(path.child('partition').path, partition, PD_PARTITION_MESSAGE));
    return errs;
  },
  glusterfs: (src, path) => {
    const errs = required(path, 'endpoints', 'path')(src);
    const ns = src.endpointsNamespace;
    if (ns === '') errs.push(fieldErrors.invalid(path.child('endpointsNamespace').path, ns, 'if the endpointnamespace is set, it must be a valid namespace name'));
    else if (ns !== undefined) for (const msg of validateNamespaceName(ns, false)) errs.push(fieldErrors.invalid(path.child('endpointsNamespace').path, ns, msg));
    return errs;
  },
  flocker: (src, path) => {
    const errs: FieldError[] = [];
    if (!src.datasetName && !src.datasetUUID) errs.push(fieldErrors.required(path.path, 'one of datasetName and datasetUUID is required'));
    if (src.datasetName && src.datasetUUID) errs.push(fieldErrors.invalid(path.path, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
    if ((src.datasetName ?? '').includes('/')) errs.push(fieldErrors.invalid(path.child('datasetName').path, src.datasetName, "must not contain '/'"));
    return errs;
  },
  nfs: (src, path) => {
    const errs = required(path, 'server', 'path')(src);
    if (!(src.path ?? '').startsWith('/')) errs.push(fieldErrors.invalid(path.child('path').path, src.path ?? '', 'must be an absolute path'));
    return errs;
  },
  rbd: (src, path) => required(path, 'monitors', 'image')(src),
  quobyte: (src, path) => {
    const errs: FieldError[] = [];
    const registryMsg = 'must be a host:port pair or multiple pairs separated by commas';
    if (!src.registry) errs.push(fieldErrors.required(path.child('registry').path, registryMsg));
    else if ((src.tenant ?? '').length >= 65) errs.push(fieldErrors.required(path.child('tenant').path, 'must be a UUID and may not exceed a length of 64 characters'));
    else {
      for (const pair of String(src.registry).split(',')) {
        if (!/^(\[[^\]]*\]|[^:]*):[^:]*$/.test(pair)) errs.push(fieldErrors.invalid(path.child('registry').path, src.registry, registryMsg));
      }
    }
    if (!src.volume) errs.push(fieldErrors.required(path.child('volume').path));
    return errs;
  },
  cephfs: (src, path) => required(path, 'monitors')(src),
  iscsi: (src, path, pvName) => {
    const errs = required(path, 'targetPortal')(src);
    if (src.initiatorName !== undefined && `${pvName}:${src.targetPortal ?? ''}`.length > 64) {
      errs.push(
        fieldErrors.invalid(
          path.child('targetportal').path,
          src.targetPortal ?? '',
          'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
        ),
      );
    }
    if (!src.iqn) errs.push(fieldErrors.required(path.child('iqn').path));
    else if (!validIQN(src.iqn)) errs.push(fieldErrors.invalid(path.child('iqn').path, src.iqn, 'must be valid format'));
    const lun = src.lun ?? 0;
    if (lun < 0 || lun > 255) errs.push(fieldErrors.invalid(path.child('lun').path, lun, inclusiveRangeError(0, 255)));
    if ((src.chapAuthDiscovery || src.chapAuthSession) && !src.secretRef) errs.push(fieldErrors.required(path.child('secretRef').path));
    if (src.secretRef && !src.secretRef.name) errs.push(fieldErrors.required(path.child('secretRef').child('name').path));
    if (src.initiatorName !== undefined && !validIQN(src.initiatorName)) {
      errs.push(fieldErrors.invalid(path.child('initiatorname').path, src.initiatorName, 'must be valid format'));
    }
    return errs;
  },
  cinder: (src, path) => {
    const errs = required(path, 'volumeID')(src);
    if (src.secretRef) errs.push(...required(path.child('secretRef'), 'name', 'namespace')(src.secretRef));
    return errs;
  },
  fc: (src, path) => {
    const errs: FieldError[] = [];
    const wwns = src.targetWWNs ?? [];
    const wwids = src.wwids ?? [];
    if (wwns.length < 1 && wwids.length < 1) errs.push(fieldErrors.required(path.child('targetWWNs').path, 'must specify either targetWWNs or wwids, but not both'));
    if (wwns.length && wwids.length) errs.push(fieldErrors.invalid(path.child('targetWWNs').path, wwns, 'targetWWNs and wwids can not be specified simultaneously'));
    if (wwns.length) {
      if (src.lun === undefined) errs.push(fieldErrors.required(path.child('lun').path, 'lun is required if targetWWNs is specified'));
      else if (src.lun < 0 || src.lun > 255) errs.push(fieldErrors.invalid(path.child('lun').path, src.lun, inclusiveRangeError(0, 255)));
    }
    return errs;
  },
  flexVolume: (src, path) => {
    const errs = required(path, 'driver')(src);
    for (const k of Object.keys(src.options ?? {})) {
      const slash = k.indexOf('/');
      const domain = `.${(slash < 0 ? k : k.slice(0, slash)).toLowerCase()}`;
      if (domain.endsWith('.kubernetes.io') || domain.endsWith('.k8s.io')) {
        errs.push(fieldErrors.invalid(path.child('options').key(k).path, k, 'kubernetes.io and k8s.io namespaces are reserved'));
      }
    }
    return errs;
  },
  azureFile: (src, path) => {
    const errs = required(path, 'secretName', 'shareName')(src);
    if (src.secretNamespace === '') errs.push(fieldErrors.required(path.child('secretNamespace').path));
    return errs;
  },
  vsphereVolume: (src, path) => required(path, 'volumePath')(src),
  photonPersistentDisk: (src, path) => required(path, 'pdID')(src),
  portworxVolume: (src, path) => required(path, 'volumeID')(src),
  azureDisk: (src, path) => {
    const errs = required(path, 'diskName', 'diskURI')(src);
    const cachingModes = ['None', 'ReadOnly', 'ReadWrite'];
    const kinds = ['Dedicated', 'Managed', 'Shared'];
    if (src.cachingMode !== undefined && !cachingModes.includes(src.cachingMode)) {
      errs.push(fieldErrors.notSupported(path.child('cachingMode').path, src.cachingMode, cachingModes));
    }
    if (src.kind !== undefined && !kinds.includes(src.kind)) errs.push(fieldErrors.notSupported(path.child('kind').path, src.kind, kinds));
    const uri = src.diskURI ?? '';
    if (src.kind === 'Managed' && !uri.startsWith('/subscriptions/')) {
      errs.push(fieldErrors.notSupported(path.child('diskURI').path, uri, ['/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}']));
    }
    if (src.kind !== undefined && src.kind !== 'Managed' && !uri.startsWith('https://')) {
      errs.push(fieldErrors.notSupported(path.child('diskURI').path, uri, ['https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd']));
    }
    return errs;
  },
  scaleIO: (src, path) => required(path, 'gateway', 'system', 'volumeName')(src),
  local: (src, path) => (src.path ? noBacksteps(src.path, path.child('path')) : [fieldErrors.required(path.child('path').path)]),
  storageos: (src, path) => {
    const errs: FieldError[] = [];
    if (!src.volumeName) errs.push(fieldErrors.required(path.child('volumeName').path));
    else errs.push(...dnsLabel(src.volumeName, path.child('volumeName')));
    if (src.volumeNamespace) errs.push(...dnsLabel(src.volumeNamespace, path.child('volumeNamespace')));
    if (src.secretRef) errs.push(...required(path.child('secretRef'), 'name', 'namespace')(src.secretRef));
    return errs;
  },
  csi: (src, path) => {
    const errs: FieldError[] = [];
    const driver: string = src.driver ?? '';
    const driverPath = path.child('driver');
    if (!driver) errs.push(fieldErrors.required(driverPath.path));
    if (driver.length > 63) errs.push(fieldErrors.tooLong(driverPath.path, 63));
    for (const msg of isDNS1123Subdomain(driver.toLowerCase())) errs.push(fieldErrors.invalid(driverPath.path, driver, msg));
    if (!src.volumeHandle) errs.push(fieldErrors.required(path.child('volumeHandle').path));
    for (const f of ['controllerPublishSecretRef', 'controllerExpandSecretRef', 'nodePublishSecretRef', 'nodeExpandSecretRef']) {
      if (src[f]) errs.push(...validatePVSecretReference(src[f], path.child(f)));
    }
    return errs;
  },
};

/** gcePersistentDisk is checked under the path `persistentDisk`, as upstream does. */
const sourcePathName = (name: SourceName): string => (name === 'gcePersistentDisk' ? 'persistentDisk' : name);

export const ACCESS_MODE_ABBREVIATIONS: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** The accessModes checks shared by volumes and claims. */
export function validateAccessModes(modes: readonly string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Unknown modes are refused by the schema's enum.
  const known = modes.filter((m) => m in ACCESS_MODE_ABBREVIATIONS);
  if (known.includes('ReadWriteOncePod') && known.some((m) => m !== 'ReadWriteOncePod')) {
    errs.push(fieldErrors.forbidden(path.path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

/** ValidateClassName: storage and volume attributes class names are DNS subdomains. */
export function validateClassName(name: string, path: FieldPath): FieldError[] {
  return nameIsDNSSubdomain(name, false).map((msg) => fieldErrors.invalid(path.path, name, msg));
}

function validatePersistentVolumeSpec(spec: PersistentVolumeSpec, pvName: string): FieldError[] {
  const errs: FieldError[] = [];
  const path = new FieldPath('spec');
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(fieldErrors.required('spec.accessModes'));
  errs.push(...validateAccessModes(modes, path.child('accessModes')));
  const capacity = spec.capacity ?? {};
  const names = Object.keys(capacity);
  if (names.length === 0) errs.push(fieldErrors.required('spec.capacity'));
  if (!('storage' in capacity) || names.length > 1) {
    // An empty core.ResourceList is left out like an unset one: upstream holds and prints a nil map.
    errs.push(fieldErrors.notSupported('spec.capacity', names.length ? capacity : new GoValue('core.ResourceList(nil)'), ['storage']));
  }
  for (const name of names) {
    const q = parseResourceQuantity(capacity[name]);
    if (!q) continue;
    const p = path.child('capacity').key(name);
    errs.push(...validateBasicResource(q, p), ...validatePositiveQuantityValue(q, p));
  }
  let nodeAffinitySpecified = false;
  if (spec.nodeAffinity) {
    nodeAffinitySpecified = true;
    if (!spec.nodeAffinity.required) errs.push(fieldErrors.required('spec.nodeAffinity.required', 'must specify required node constraints'));
  }
  let count = 0;
  const src = spec as Record<string, any>;
  for (const name of PV_SOURCES) {
    if (!src[name]) continue;
    const p = path.child(name);
    if (count > 0) {
      errs.push(fieldErrors.forbidden(p.path, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...sourceRules[name](src[name], path.child(sourcePathName(name)), pvName));
    if (name === 'local' && !nodeAffinitySpecified) errs.push(fieldErrors.required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (count === 0) errs.push(fieldErrors.required('spec', 'must specify a volume type'));
  if (spec.hostPath && cleanPath(spec.hostPath.path ?? '') === '/' && spec.persistentVolumeReclaimPolicy === 'Recycle') {
    errs.push(fieldErrors.forbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (spec.storageClassName) errs.push(...validateClassName(spec.storageClassName, path.child('storageClassName')));
  if (spec.volumeAttributesClassName !== undefined) {
    if (spec.volumeAttributesClassName === '') errs.push(fieldErrors.required('spec.volumeAttributesClassName', 'an empty string is disallowed'));
    else errs.push(...validateClassName(spec.volumeAttributesClassName, path.child('volumeAttributesClassName')));
    if (!spec.csi) errs.push(fieldErrors.required('spec.csi', 'has to be specified when using volumeAttributesClassName'));
  }
  return errs;
}

/** Go's path.Clean, enough to recognise the root. */
function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return p.startsWith('/') ? `/${parts.join('/')}` : parts.join('/') || '.';
}

function sourceOf(spec: PersistentVolumeSpec | undefined): string {
  const src = (spec ?? {}) as Record<string, unknown>;
  return JSON.stringify(PV_SOURCES.map((name) => src[name] ?? null));
}

function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs: FieldError[] = [];
  const spec = pv.spec ?? {};
  const oldSpec = old.spec ?? {};
  // A CSI controllerExpandSecretRef may be added later.
  const adjusted =
    oldSpec.csi && !oldSpec.csi.controllerExpandSecretRef && spec.csi?.controllerExpandSecretRef
      ? { ...spec, csi: { ...spec.csi, controllerExpandSecretRef: undefined } }
      : spec;
  if (sourceOf(adjusted) !== sourceOf(oldSpec)) {
    errs.push(fieldErrors.forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if (spec.volumeMode !== oldSpec.volumeMode) errs.push(fieldErrors.invalid('volumeMode', spec.volumeMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  if (oldSpec.nodeAffinity && JSON.stringify(spec.nodeAffinity ?? null) !== JSON.stringify(oldSpec.nodeAffinity)) {
    errs.push(fieldErrors.invalid('nodeAffinity', spec.nodeAffinity ?? null, `${FIELD_IMMUTABLE_ERROR_MSG}, except for updating from beta label to GA`));
  }
  if (oldSpec.volumeAttributesClassName !== undefined && spec.volumeAttributesClassName === undefined) {
    errs.push(fieldErrors.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
  }
  return errs;
}

/** `RWO,ROX,RWX,RWOP`: the access modes in that fixed order, without repeats. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']
    .filter((m) => set.has(m))
    .map((m) => ACCESS_MODE_ABBREVIATIONS[m])
    .join(',');
}

export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const pvTable: TableDefinition<PersistentVolume> = {
  columns: [
    nameColumn,
    { name: 'Capacity', type: 'string', description: 'The size of the volume.' },
    { name: 'Access Modes', type: 'string', description: 'The ways the volume can be mounted.' },
    { name: 'Reclaim Policy', type: 'string', description: 'What happens to the volume when its claim is deleted.' },
    { name: 'Status', type: 'string', description: 'The lifecycle phase of the volume.' },
    { name: 'Claim', type: 'string', description: 'The claim the volume is bound to.' },
    { name: 'StorageClass', type: 'string', description: 'StorageClass of the pv' },
    { name: 'VolumeAttributesClass', type: 'string', description: 'VolumeAttributesClass of the pv' },
    { name: 'Reason', type: 'string', description: 'Why the volume is in this phase.' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, description: 'Whether the volume is a filesystem or a raw block device.' },
  ],
  cells(pv, now) {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const capacity = spec.capacity?.storage;
    return [
      pv.metadata?.name,
      capacity === undefined ? '0' : (parseResourceQuantity(capacity)?.toString() ?? String(capacity)),
      accessModesString(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      claim,
      pv.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? spec.storageClassName ?? '',
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      age(pv.metadata?.creationTimestamp, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
};

export const persistentVolumes: ResourceDefinition<PersistentVolume> = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  schemaName: 'io.k8s.api.core.v1.PersistentVolume',
  definitions,
  subresources: { status: true },
  defaults(pv) {
    const spec = (pv.spec ??= {});
    spec.persistentVolumeReclaimPolicy ||= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    roundUpResourceList(spec.capacity);
    if (pv.status) pv.status.phase ||= 'Pending';
  },
  prepareForCreate(pv) {
    Object.assign(pv, { status: { phase: 'Pending', lastPhaseTransitionTime: nowRFC3339() } });
  },
  prepareForUpdate(pv, old) {
    Object.assign(pv, { status: old.status });
  },
  prepareForStatusUpdate(pv, old) {
    const status = pv.status;
    if (!status || status.phase === old.status?.phase) return;
    if (!status.lastPhaseTransitionTime || status.lastPhaseTransitionTime === old.status?.lastPhaseTransitionTime) {
      status.lastPhaseTransitionTime = nowRFC3339();
    }
  },
  validate: (pv) => validatePersistentVolumeSpec(pv.spec ?? {}, pv.metadata?.name ?? ''),
  validateUpdate: validatePersistentVolumeUpdate,
  table: pvTable,
  // Upstream keeps a bare `name` field label for compatibility.
  fieldSelectors: { name: (pv) => pv.metadata?.name ?? '' },
};
