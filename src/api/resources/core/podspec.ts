// core/v1 PodSpec and everything it refers to: the schema shared by pods and every pod
// template (workloads), upstream's pod spec defaulting (SetDefaults_PodSpec and friends)
// and ValidatePodSpec / ValidatePodTemplateSpec / the pod update rules.
import type {
  Container,
  EphemeralContainer,
  PodSpec,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Toleration,
  Volume,
} from 'kubernetes-types/core/v1.js';
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { Definitions } from '../../schema/types.js';
import {
  bool,
  define,
  enumOf,
  int32,
  int64,
  intOrString,
  labelSelector,
  list,
  mapOf,
  mergeList,
  object,
  objectMeta,
  quantity,
  ref,
  str,
  time,
} from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import {
  inclusiveRangeError,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isHTTPHeaderName,
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateLabelName,
  validateLabels,
  validateLabelSelector,
  validateNamespaceName,
  validateNonnegativeField,
  IS_NEGATIVE_ERROR_MSG,
} from '../../meta/validation.js';
import { Quantity } from '../../meta/quantity.js';
import { isHugePageResourceName, isNativeResource, isOvercommitAllowed } from './resourcequota.js';
import { selectorFromSet } from '../../meta/labels.js';
import { deepCopy } from '../../patch/json.js';

export const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.PodTemplateSpec': object(
    {
      metadata: objectMeta({ default: {}, description: 'Metadata of the pods created from this template.' }),
      spec: ref('io.k8s.api.core.v1.PodSpec', { default: {}, description: 'Spec of the pods created from this template.' }),
    },
    { proto: { metadata: 1, spec: 2 }, description: 'What a pod created from a template looks like.' },
  ),
  'io.k8s.api.core.v1.PodSpec': object(
    {
      volumes: mergeList(ref('io.k8s.api.core.v1.Volume', { default: {} }), 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', description: "Volumes the pod's containers can mount." }),
      initContainers: mergeList(ref('io.k8s.api.core.v1.Container', { default: {} }), 'name', { description: 'Containers run in order, each to completion, before the app containers start.' }),
      containers: mergeList(ref('io.k8s.api.core.v1.Container', { default: {} }), 'name', { description: 'The containers of the pod; at least one.' }),
      ephemeralContainers: mergeList(ref('io.k8s.api.core.v1.EphemeralContainer', { default: {} }), 'name', { description: 'Containers added to a running pod for debugging, through the ephemeralcontainers subresource.' }),
      restartPolicy: enumOf(['Always', 'Never', 'OnFailure'], { description: 'When containers are restarted: Always (default), OnFailure or Never.' }),
      terminationGracePeriodSeconds: int64({ description: 'Seconds the pod has to stop after a termination signal; defaults to 30.' }),
      activeDeadlineSeconds: int64({ description: 'Seconds the pod may be active on a node before the system fails it.' }),
      dnsPolicy: enumOf(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], { description: "How the pod's DNS is set up: ClusterFirst (default), ClusterFirstWithHostNet, Default or None." }),
      nodeSelector: mapOf(str({ default: '' }), { 'x-kubernetes-map-type': 'atomic', description: 'Labels a node must have for the pod to be scheduled onto it.' }),
      serviceAccountName: str({ description: 'The service account the pod runs as.' }),
      serviceAccount: str({ description: 'Deprecated alias of serviceAccountName.' }),
      automountServiceAccountToken: bool({ description: 'Whether a service account token is mounted automatically.' }),
      nodeName: str({ description: 'The node the pod is bound to; set by the scheduler through binding.' }),
      hostNetwork: bool({ description: "Use the host's network namespace." }),
      hostPID: bool({ description: "Use the host's process namespace." }),
      hostIPC: bool({ description: "Use the host's IPC namespace." }),
      shareProcessNamespace: bool({ description: 'Share one process namespace between all containers of the pod.' }),
      securityContext: ref('io.k8s.api.core.v1.PodSecurityContext', { description: 'Pod-level security attributes and common container settings.' }),
      imagePullSecrets: mergeList(ref('io.k8s.api.core.v1.LocalObjectReference', { default: {} }), 'name', { description: "Secrets in the pod's namespace used to pull its images." }),
      hostname: str({ description: "The pod's hostname; defaults to a system value." }),
      subdomain: str({ description: "Subdomain of the pod's fully qualified name: <hostname>.<subdomain>.<namespace>.svc.<cluster domain>." }),
      affinity: ref('io.k8s.api.core.v1.Affinity', { description: 'Affinity and anti-affinity scheduling constraints.' }),
      schedulerName: str({ description: 'The scheduler that places the pod; defaults to default-scheduler.' }),
      tolerations: list(ref('io.k8s.api.core.v1.Toleration', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Taints the pod tolerates.' }),
      hostAliases: mergeList(ref('io.k8s.api.core.v1.HostAlias', { default: {} }), 'ip', { description: "Extra entries for the pod's hosts file." }),
      priorityClassName: str({ description: 'The priority class of the pod.' }),
      priority: int32({ description: "The pod's priority, resolved from its priority class by admission." }),
      dnsConfig: ref('io.k8s.api.core.v1.PodDNSConfig', { description: 'DNS settings merged into those dnsPolicy produces.' }),
      readinessGates: list(ref('io.k8s.api.core.v1.PodReadinessGate', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Extra conditions that must be true for the pod to be ready.' }),
      runtimeClassName: str({ description: 'The RuntimeClass the pod runs with.' }),
      enableServiceLinks: bool({ description: 'Whether service information is injected as environment variables; defaults to true.' }),
      preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], { description: 'Whether the pod may preempt lower-priority pods: PreemptLowerPriority (default) or Never.' }),
      overhead: mapOf(quantity(), { description: "Resources the pod's sandbox uses beyond its containers, set from the RuntimeClass." }),
      topologySpreadConstraints: mergeList(ref('io.k8s.api.core.v1.TopologySpreadConstraint', { default: {} }), 'topologyKey', { mapKeys: ['topologyKey', 'whenUnsatisfiable'], description: "How the pod's replicas spread across topology domains." }),
      setHostnameAsFQDN: bool({ description: "Set the hostname to the pod's fully qualified domain name." }),
      os: ref('io.k8s.api.core.v1.PodOS', { description: "The operating system the pod's containers need." }),
      hostUsers: bool({ description: "Use the host's user namespace; false gives the pod its own." }),
      schedulingGates: mergeList(ref('io.k8s.api.core.v1.PodSchedulingGate', { default: {} }), 'name', { description: 'Gates that keep the pod from being scheduled while any is present.' }),
      resourceClaims: mergeList(ref('io.k8s.api.core.v1.PodResourceClaim', { default: {} }), 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', description: "Resource claims the pod's containers may use." }),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements', { description: 'Total resources of the pod, shared by its containers.' }),
    },
    {
      proto: {
        volumes: 1, initContainers: 20, containers: 2, ephemeralContainers: 34, restartPolicy: 3, terminationGracePeriodSeconds: 4,
        activeDeadlineSeconds: 5, dnsPolicy: 6, nodeSelector: 7, serviceAccountName: 8, serviceAccount: 9, automountServiceAccountToken: 21,
        nodeName: 10, hostNetwork: 11, hostPID: 12, hostIPC: 13, shareProcessNamespace: 27, securityContext: 14, imagePullSecrets: 15, hostname: 16,
        subdomain: 17, affinity: 18, schedulerName: 19, tolerations: 22, hostAliases: 23, priorityClassName: 24, priority: 25, dnsConfig: 26,
        readinessGates: 28, runtimeClassName: 29, enableServiceLinks: 30, preemptionPolicy: 31, overhead: 32, topologySpreadConstraints: 33,
        setHostnameAsFQDN: 35, os: 36, hostUsers: 37, schedulingGates: 38, resourceClaims: 39, resources: 40,
      },
      protoPointers: [
        'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'automountServiceAccountToken', 'shareProcessNamespace', 'priority',
        'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'setHostnameAsFQDN', 'hostUsers',
      ],
      required: ['containers'],
      description: 'The description of a pod: its containers, volumes and scheduling constraints.',
    },
  ),
  'io.k8s.api.core.v1.PodStatus': object(
    {
      phase: enumOf(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], { description: 'Where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.' }),
      conditions: mergeList(ref('io.k8s.api.core.v1.PodCondition', { default: {} }), 'type', { description: 'Current service state of the pod.' }),
      message: str({ description: 'Why the pod is in this condition, for humans.' }),
      reason: str({ description: 'Why the pod is in this state, as a brief CamelCase word.' }),
      nominatedNodeName: str({ description: 'The node the pod may run on once preemption victims are gone.' }),
      hostIP: str({ description: 'Primary IP of the node the pod runs on.' }),
      hostIPs: list(ref('io.k8s.api.core.v1.HostIP', { default: {} }), { 'x-kubernetes-list-type': 'atomic', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'ip', description: 'IPs of the node the pod runs on.' }),
      podIP: str({ description: 'Primary IP of the pod.' }),
      podIPs: mergeList(ref('io.k8s.api.core.v1.PodIP', { default: {} }), 'ip', { description: 'IPs of the pod, at most one per family.' }),
      startTime: time({ description: 'When the kubelet accepted the pod.' }),
      initContainerStatuses: list(ref('io.k8s.api.core.v1.ContainerStatus', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Status of each init container.' }),
      containerStatuses: list(ref('io.k8s.api.core.v1.ContainerStatus', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Status of each app container.' }),
      qosClass: enumOf(['BestEffort', 'Burstable', 'Guaranteed'], { description: 'Quality of service class from the resource requests and limits.' }),
      ephemeralContainerStatuses: list(ref('io.k8s.api.core.v1.ContainerStatus', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Status of each ephemeral container.' }),
      resize: str({ description: "Status of a requested in-place resize of the pod's containers." }),
      resourceClaimStatuses: mergeList(ref('io.k8s.api.core.v1.PodResourceClaimStatus', { default: {} }), 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys', description: 'The generated ResourceClaim of each pod resource claim.' }),
    },
    {
      proto: {
        phase: 1, conditions: 2, message: 3, reason: 4, nominatedNodeName: 11, hostIP: 5, hostIPs: 16, podIP: 6, podIPs: 12, startTime: 7,
        initContainerStatuses: 10, containerStatuses: 8, qosClass: 9, ephemeralContainerStatuses: 13, resize: 14, resourceClaimStatuses: 15,
      },
      protoPointers: ['startTime'],
      description: 'The observed state of a pod.',
    },
  ),
  'io.k8s.api.core.v1.Volume': object(
    {
      name: str({ default: '', description: 'Name of the volume: a DNS label, unique within the pod.' }),
      hostPath: ref('io.k8s.api.core.v1.HostPathVolumeSource', { description: 'A file or directory on the host.' }),
      emptyDir: ref('io.k8s.api.core.v1.EmptyDirVolumeSource', { description: 'A temporary directory that lives as long as the pod.' }),
      gcePersistentDisk: ref('io.k8s.api.core.v1.GCEPersistentDiskVolumeSource', { description: 'A GCE persistent disk (deprecated in-tree source).' }),
      awsElasticBlockStore: ref('io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource', { description: 'An AWS EBS disk (deprecated in-tree source).' }),
      gitRepo: ref('io.k8s.api.core.v1.GitRepoVolumeSource', { description: 'A git repository cloned into an empty directory (deprecated).' }),
      secret: ref('io.k8s.api.core.v1.SecretVolumeSource', { description: "A secret's keys as files." }),
      nfs: ref('io.k8s.api.core.v1.NFSVolumeSource', { description: 'An NFS export.' }),
      iscsi: ref('io.k8s.api.core.v1.ISCSIVolumeSource', { description: 'An iSCSI disk.' }),
      glusterfs: ref('io.k8s.api.core.v1.GlusterfsVolumeSource', { description: 'A Glusterfs volume (removed in-tree source).' }),
      persistentVolumeClaim: ref('io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource', { description: "A persistent volume claim in the pod's namespace." }),
      rbd: ref('io.k8s.api.core.v1.RBDVolumeSource', { description: 'A Rados block device (deprecated in-tree source).' }),
      flexVolume: ref('io.k8s.api.core.v1.FlexVolumeSource', { description: 'A volume provided by a FlexVolume driver (deprecated).' }),
      cinder: ref('io.k8s.api.core.v1.CinderVolumeSource', { description: 'An OpenStack Cinder volume (deprecated in-tree source).' }),
      cephfs: ref('io.k8s.api.core.v1.CephFSVolumeSource', { description: 'A Ceph filesystem (deprecated in-tree source).' }),
      flocker: ref('io.k8s.api.core.v1.FlockerVolumeSource', { description: 'A Flocker dataset (deprecated).' }),
      downwardAPI: ref('io.k8s.api.core.v1.DownwardAPIVolumeSource', { description: 'Pod fields and container resources as files.' }),
      fc: ref('io.k8s.api.core.v1.FCVolumeSource', { description: 'A Fibre Channel disk.' }),
      azureFile: ref('io.k8s.api.core.v1.AzureFileVolumeSource', { description: 'An Azure File share (deprecated in-tree source).' }),
      configMap: ref('io.k8s.api.core.v1.ConfigMapVolumeSource', { description: "A config map's keys as files." }),
      vsphereVolume: ref('io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource', { description: 'A vSphere volume (deprecated in-tree source).' }),
      quobyte: ref('io.k8s.api.core.v1.QuobyteVolumeSource', { description: 'A Quobyte volume (deprecated).' }),
      azureDisk: ref('io.k8s.api.core.v1.AzureDiskVolumeSource', { description: 'An Azure data disk (deprecated in-tree source).' }),
      photonPersistentDisk: ref('io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource', { description: 'A Photon Controller disk (deprecated).' }),
      projected: ref('io.k8s.api.core.v1.ProjectedVolumeSource', { description: 'Several sources projected into one directory.' }),
      portworxVolume: ref('io.k8s.api.core.v1.PortworxVolumeSource', { description: 'A Portworx volume (deprecated in-tree source).' }),
      scaleIO: ref('io.k8s.api.core.v1.ScaleIOVolumeSource', { description: 'A ScaleIO volume (deprecated).' }),
      storageos: ref('io.k8s.api.core.v1.StorageOSVolumeSource', { description: 'A StorageOS volume (deprecated).' }),
      csi: ref('io.k8s.api.core.v1.CSIVolumeSource', { description: 'An ephemeral volume from a CSI driver.' }),
      ephemeral: ref('io.k8s.api.core.v1.EphemeralVolumeSource', { description: 'A volume from a claim created with the pod and deleted with it.' }),
      image: ref('io.k8s.api.core.v1.ImageVolumeSource', { description: 'The content of an OCI image or artifact.' }),
    },
    {
      proto: { name: 1 },
      protoInline: [
        {
          field: 2,
          proto: {
            hostPath: 1, emptyDir: 2, gcePersistentDisk: 3, awsElasticBlockStore: 4, gitRepo: 5, secret: 6, nfs: 7, iscsi: 8, glusterfs: 9,
            persistentVolumeClaim: 10, rbd: 11, flexVolume: 12, cinder: 13, cephfs: 14, flocker: 15, downwardAPI: 16, fc: 17, azureFile: 18,
            configMap: 19, vsphereVolume: 20, quobyte: 21, azureDisk: 22, photonPersistentDisk: 23, projected: 26, portworxVolume: 24, scaleIO: 25,
            storageos: 27, csi: 28, ephemeral: 29, image: 30,
          },
        },
      ],
      required: ['name'],
      description: "A named volume the pod's containers can mount; exactly one source.",
    },
  ),
  'io.k8s.api.core.v1.Container': object(
    {
      name: str({ default: '', description: 'Name of the container: a DNS label, unique within the pod.' }),
      image: str({ description: 'The container image to run.' }),
      command: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: "The entrypoint, replacing the image's ENTRYPOINT; $(VAR) references are expanded." }),
      args: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic', description: "Arguments to the entrypoint, replacing the image's CMD; $(VAR) references are expanded." }),
      workingDir: str({ description: "The working directory; defaults to the image's." }),
      ports: mergeList(ref('io.k8s.api.core.v1.ContainerPort', { default: {} }), 'containerPort', { mapKeys: ['containerPort', 'protocol'], description: 'Ports the container exposes, for information and for hostPort mappings.' }),
      envFrom: list(ref('io.k8s.api.core.v1.EnvFromSource', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Sources whose keys become environment variables.' }),
      env: mergeList(ref('io.k8s.api.core.v1.EnvVar', { default: {} }), 'name', { description: 'Environment variables to set.' }),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements', { default: {}, description: 'Compute resources the container requests and is limited to.' }),
      resizePolicy: list(ref('io.k8s.api.core.v1.ContainerResizePolicy', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'How each resource is resized in place.' }),
      restartPolicy: str({ description: 'For init containers, Always makes a sidecar that runs for the life of the pod.' }),
      volumeMounts: mergeList(ref('io.k8s.api.core.v1.VolumeMount', { default: {} }), 'mountPath', { description: "Volumes mounted into the container's filesystem." }),
      volumeDevices: mergeList(ref('io.k8s.api.core.v1.VolumeDevice', { default: {} }), 'devicePath', { description: 'Block devices the container uses.' }),
      livenessProbe: ref('io.k8s.api.core.v1.Probe', { description: 'Probe whose failure restarts the container.' }),
      readinessProbe: ref('io.k8s.api.core.v1.Probe', { description: 'Probe whose failure takes the container out of service endpoints.' }),
      startupProbe: ref('io.k8s.api.core.v1.Probe', { description: 'Probe that must succeed before the other probes begin.' }),
      lifecycle: ref('io.k8s.api.core.v1.Lifecycle', { description: 'Actions run after start and before stop.' }),
      terminationMessagePath: str({ description: 'File whose content becomes the termination message; defaults to /dev/termination-log.' }),
      terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File'], { description: 'Where the termination message comes from: File (default) or FallbackToLogsOnError.' }),
      imagePullPolicy: enumOf(['Always', 'IfNotPresent', 'Never'], { description: 'When the image is pulled: Always, Never or IfNotPresent.' }),
      securityContext: ref('io.k8s.api.core.v1.SecurityContext', { description: 'Security options of the container.' }),
      stdin: bool({ description: 'Keep a stdin buffer open for the container.' }),
      stdinOnce: bool({ description: 'Close stdin after the first attach session ends.' }),
      tty: bool({ description: 'Allocate a TTY for the container.' }),
    },
    {
      proto: {
        name: 1, image: 2, command: 3, args: 4, workingDir: 5, ports: 6, envFrom: 19, env: 7, resources: 8, resizePolicy: 23, restartPolicy: 24,
        volumeMounts: 9, volumeDevices: 21, livenessProbe: 10, readinessProbe: 11, startupProbe: 22, lifecycle: 12, terminationMessagePath: 13,
        terminationMessagePolicy: 20, imagePullPolicy: 14, securityContext: 15, stdin: 16, stdinOnce: 17, tty: 18,
      },
      protoPointers: ['restartPolicy'],
      required: ['name'],
      description: 'A container to run in the pod.',
    },
  ),
  'io.k8s.api.core.v1.EphemeralContainer': object(
    {
      name: str({ default: '' }),
      image: str(),
      command: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      args: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      workingDir: str(),
      ports: mergeList(ref('io.k8s.api.core.v1.ContainerPort', { default: {} }), 'containerPort', { mapKeys: ['containerPort', 'protocol'] }),
      envFrom: list(ref('io.k8s.api.core.v1.EnvFromSource', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      env: mergeList(ref('io.k8s.api.core.v1.EnvVar', { default: {} }), 'name'),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements', { default: {} }),
      resizePolicy: list(ref('io.k8s.api.core.v1.ContainerResizePolicy', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      restartPolicy: str(),
      volumeMounts: mergeList(ref('io.k8s.api.core.v1.VolumeMount', { default: {} }), 'mountPath'),
      volumeDevices: mergeList(ref('io.k8s.api.core.v1.VolumeDevice', { default: {} }), 'devicePath'),
      livenessProbe: ref('io.k8s.api.core.v1.Probe'),
      readinessProbe: ref('io.k8s.api.core.v1.Probe'),
      startupProbe: ref('io.k8s.api.core.v1.Probe'),
      lifecycle: ref('io.k8s.api.core.v1.Lifecycle'),
      terminationMessagePath: str(),
      terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File']),
      imagePullPolicy: enumOf(['Always', 'IfNotPresent', 'Never']),
      securityContext: ref('io.k8s.api.core.v1.SecurityContext'),
      stdin: bool(),
      stdinOnce: bool(),
      tty: bool(),
      targetContainerName: str({ description: 'The container whose namespaces (IPC, PID …) this one joins.' }),
    },
    {
      proto: { targetContainerName: 2 },
      protoInline: [
        {
          field: 1,
          proto: {
            name: 1, image: 2, command: 3, args: 4, workingDir: 5, ports: 6, envFrom: 19, env: 7, resources: 8, resizePolicy: 23, restartPolicy: 24,
            volumeMounts: 9, volumeDevices: 21, livenessProbe: 10, readinessProbe: 11, startupProbe: 22, lifecycle: 12, terminationMessagePath: 13,
            terminationMessagePolicy: 20, imagePullPolicy: 14, securityContext: 15, stdin: 16, stdinOnce: 17, tty: 18,
          },
          protoPointers: ['restartPolicy'],
        },
      ],
      required: ['name'],
      description: 'A temporary container added to a running pod, for debugging.',
    },
  ),
  'io.k8s.api.core.v1.PodSecurityContext': object(
    {
      seLinuxOptions: ref('io.k8s.api.core.v1.SELinuxOptions'),
      windowsOptions: ref('io.k8s.api.core.v1.WindowsSecurityContextOptions'),
      runAsUser: int64({ description: 'UID the container processes run as.' }),
      runAsGroup: int64({ description: 'GID the container processes run as.' }),
      runAsNonRoot: bool({ description: 'Refuse to start containers that would run as root.' }),
      supplementalGroups: list(int64(), { 'x-kubernetes-list-type': 'atomic', description: 'Extra groups for the first process of each container.' }),
      supplementalGroupsPolicy: enumOf(['Merge', 'Strict']),
      fsGroup: int64({ description: "Group that owns the pod's volumes and is added to each container." }),
      sysctls: list(ref('io.k8s.api.core.v1.Sysctl', { default: {} }), { 'x-kubernetes-list-type': 'atomic', description: 'Namespaced sysctls set for the pod.' }),
      fsGroupChangePolicy: enumOf(['Always', 'OnRootMismatch']),
      seccompProfile: ref('io.k8s.api.core.v1.SeccompProfile'),
      appArmorProfile: ref('io.k8s.api.core.v1.AppArmorProfile'),
      seLinuxChangePolicy: str(),
    },
    {
      proto: {
        seLinuxOptions: 1, windowsOptions: 8, runAsUser: 2, runAsGroup: 6, runAsNonRoot: 3, supplementalGroups: 4, supplementalGroupsPolicy: 12,
        fsGroup: 5, sysctls: 7, fsGroupChangePolicy: 9, seccompProfile: 10, appArmorProfile: 11, seLinuxChangePolicy: 13,
      },
      protoPointers: ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'supplementalGroupsPolicy', 'fsGroup', 'fsGroupChangePolicy', 'seLinuxChangePolicy'],
      description: 'Security settings that apply to the whole pod.',
    },
  ),
  'io.k8s.api.core.v1.LocalObjectReference': object(
    {
      name: str({ default: '', description: 'Name of the referent.' }),
    },
    { proto: { name: 1 }, 'x-kubernetes-map-type': 'atomic', description: 'A reference to an object in the same namespace, by name.' },
  ),
  'io.k8s.api.core.v1.Affinity': object(
    {
      nodeAffinity: ref('io.k8s.api.core.v1.NodeAffinity'),
      podAffinity: ref('io.k8s.api.core.v1.PodAffinity'),
      podAntiAffinity: ref('io.k8s.api.core.v1.PodAntiAffinity'),
    },
    { proto: { nodeAffinity: 1, podAffinity: 2, podAntiAffinity: 3 }, description: 'Affinity scheduling rules.' },
  ),
  'io.k8s.api.core.v1.Toleration': object(
    {
      key: str({ description: 'Taint key to match; empty matches all keys (with operator Exists).' }),
      operator: enumOf(['Equal', 'Exists'], { description: 'Exists or Equal (default).' }),
      value: str({ description: 'Taint value to match with operator Equal.' }),
      effect: enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], { description: 'Taint effect to match; empty matches all effects.' }),
      tolerationSeconds: int64({ description: 'How long a NoExecute taint is tolerated before eviction.' }),
    },
    {
      proto: { key: 1, operator: 2, value: 3, effect: 4, tolerationSeconds: 5 },
      protoPointers: ['tolerationSeconds'],
      description: 'Lets the pod schedule onto nodes with a matching taint.',
    },
  ),
  'io.k8s.api.core.v1.HostAlias': object(
    {
      ip: str({ default: '' }),
      hostnames: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { ip: 1, hostnames: 2 }, required: ['ip'], description: "An IP and the host names that resolve to it in the pod's hosts file." },
  ),
  'io.k8s.api.core.v1.PodDNSConfig': object(
    {
      nameservers: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      searches: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      options: list(ref('io.k8s.api.core.v1.PodDNSConfigOption', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { nameservers: 1, searches: 2, options: 3 }, description: 'DNS settings for the pod beyond those of its dnsPolicy.' },
  ),
  'io.k8s.api.core.v1.PodReadinessGate': object(
    {
      conditionType: str({ default: '' }),
    },
    { proto: { conditionType: 1 }, required: ['conditionType'], description: 'A pod condition that must be true for the pod to be ready.' },
  ),
  'io.k8s.api.core.v1.TopologySpreadConstraint': object(
    {
      maxSkew: int32({ default: 0 }),
      topologyKey: str({ default: '' }),
      whenUnsatisfiable: enumOf(['DoNotSchedule', 'ScheduleAnyway'], { default: '' }),
      labelSelector: labelSelector(),
      minDomains: int32(),
      nodeAffinityPolicy: enumOf(['Honor', 'Ignore']),
      nodeTaintsPolicy: enumOf(['Honor', 'Ignore']),
      matchLabelKeys: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    {
      proto: {
        maxSkew: 1, topologyKey: 2, whenUnsatisfiable: 3, labelSelector: 4, minDomains: 5, nodeAffinityPolicy: 6, nodeTaintsPolicy: 7,
        matchLabelKeys: 8,
      },
      protoPointers: ['minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy'],
      required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
      description: 'How to spread matching pods across a topology.',
    },
  ),
  'io.k8s.api.core.v1.PodOS': object(
    {
      name: str({ default: '', description: 'linux or windows.' }),
    },
    { proto: { name: 1 }, required: ['name'], description: 'The operating system of a pod.' },
  ),
  'io.k8s.api.core.v1.PodSchedulingGate': object(
    {
      name: str({ default: '' }),
    },
    { proto: { name: 1 }, required: ['name'], description: 'A gate that must be removed before the pod is scheduled.' },
  ),
  'io.k8s.api.core.v1.PodResourceClaim': object(
    {
      name: str({ default: '' }),
      resourceClaimName: str(),
      resourceClaimTemplateName: str(),
    },
    {
      proto: { name: 1, resourceClaimName: 3, resourceClaimTemplateName: 4 },
      protoPointers: ['resourceClaimName', 'resourceClaimTemplateName'],
      required: ['name'],
      description: 'A resource claim the pod refers to, by claim or template name.',
    },
  ),
  'io.k8s.api.core.v1.ResourceRequirements': object(
    {
      limits: mapOf(quantity(), { description: 'The most of each resource the container may use.' }),
      requests: mapOf(quantity(), { description: 'The least of each resource the container needs; defaults to the limits.' }),
      claims: list(ref('io.k8s.api.core.v1.ResourceClaim', { default: {} }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], description: "Names of the pod's resource claims this container uses." }),
    },
    { proto: { limits: 1, requests: 2, claims: 3 }, description: 'Compute resource requests and limits.' },
  ),
  'io.k8s.api.core.v1.PodCondition': object(
    {
      type: str({ default: '' }),
      status: str({ default: '' }),
      lastProbeTime: time(),
      lastTransitionTime: time(),
      reason: str(),
      message: str(),
    },
    { proto: { type: 1, status: 2, lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6 }, required: ['type', 'status'], description: 'A condition of a pod.' },
  ),
  'io.k8s.api.core.v1.HostIP': object(
    {
      ip: str({ default: '' }),
    },
    { proto: { ip: 1 }, required: ['ip'], description: "An IP address of the pod's node." },
  ),
  'io.k8s.api.core.v1.PodIP': object(
    {
      ip: str({ default: '' }),
    },
    { proto: { ip: 1 }, required: ['ip'], description: 'An IP address of the pod.' },
  ),
  'io.k8s.api.core.v1.ContainerStatus': object(
    {
      name: str({ default: '', description: 'Name of the container.' }),
      state: ref('io.k8s.api.core.v1.ContainerState', { default: {}, description: 'The current state.' }),
      lastState: ref('io.k8s.api.core.v1.ContainerState', { default: {}, description: 'The state of the last termination.' }),
      ready: bool({ default: false, description: 'Whether the container passes its readiness probe.' }),
      restartCount: int32({ default: 0, description: 'How many times the container has restarted.' }),
      image: str({ default: '', description: 'The image the container runs.' }),
      imageID: str({ default: '', description: 'The resolved ID of the image.' }),
      containerID: str({ description: "The container's ID, as <runtime>://<id>." }),
      started: bool({ description: 'Whether the container has passed its startup probe.' }),
      allocatedResources: mapOf(quantity()),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements'),
      volumeMounts: mergeList(ref('io.k8s.api.core.v1.VolumeMountStatus', { default: {} }), 'mountPath'),
      user: ref('io.k8s.api.core.v1.ContainerUser'),
      allocatedResourcesStatus: mergeList(ref('io.k8s.api.core.v1.ResourceStatus', { default: {} }), 'name'),
    },
    {
      proto: {
        name: 1, state: 2, lastState: 3, ready: 4, restartCount: 5, image: 6, imageID: 7, containerID: 8, started: 9, allocatedResources: 10,
        resources: 11, volumeMounts: 12, user: 13, allocatedResourcesStatus: 14,
      },
      protoPointers: ['started'],
      required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
      description: 'The state of one container of the pod.',
    },
  ),
  'io.k8s.api.core.v1.PodResourceClaimStatus': object(
    {
      name: str({ default: '' }),
      resourceClaimName: str(),
    },
    { proto: { name: 1, resourceClaimName: 2 }, protoPointers: ['resourceClaimName'], required: ['name'], description: 'The ResourceClaim generated for a pod resource claim.' },
  ),
  'io.k8s.api.core.v1.HostPathVolumeSource': object(
    {
      path: str({ default: '' }),
      type: enumOf(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']),
    },
    { proto: { path: 1, type: 2 }, protoPointers: ['type'], required: ['path'], description: 'A host path mapped into the pod.' },
  ),
  'io.k8s.api.core.v1.EmptyDirVolumeSource': object(
    {
      medium: str(),
      sizeLimit: quantity(),
    },
    { proto: { medium: 1, sizeLimit: 2 }, description: "An empty directory for the pod's lifetime." },
  ),
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource': object(
    {
      pdName: str({ default: '' }),
      fsType: str(),
      partition: int32(),
      readOnly: bool(),
    },
    { proto: { pdName: 1, fsType: 2, partition: 3, readOnly: 4 }, required: ['pdName'], description: 'A Google Compute Engine persistent disk.' },
  ),
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource': object(
    {
      volumeID: str({ default: '' }),
      fsType: str(),
      partition: int32(),
      readOnly: bool(),
    },
    { proto: { volumeID: 1, fsType: 2, partition: 3, readOnly: 4 }, required: ['volumeID'], description: 'An AWS Elastic Block Store disk.' },
  ),
  'io.k8s.api.core.v1.GitRepoVolumeSource': object(
    {
      repository: str({ default: '' }),
      revision: str(),
      directory: str(),
    },
    { proto: { repository: 1, revision: 2, directory: 3 }, required: ['repository'], description: 'A directory filled from a git repository.' },
  ),
  'io.k8s.api.core.v1.SecretVolumeSource': object(
    {
      secretName: str(),
      items: list(ref('io.k8s.api.core.v1.KeyToPath', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      defaultMode: int32(),
      optional: bool(),
    },
    { proto: { secretName: 1, items: 2, defaultMode: 3, optional: 4 }, protoPointers: ['defaultMode', 'optional'], description: 'Files from the keys of a secret.' },
  ),
  'io.k8s.api.core.v1.NFSVolumeSource': object(
    {
      server: str({ default: '' }),
      path: str({ default: '' }),
      readOnly: bool(),
    },
    { proto: { server: 1, path: 2, readOnly: 3 }, required: ['server', 'path'], description: 'An NFS mount.' },
  ),
  'io.k8s.api.core.v1.ISCSIVolumeSource': object(
    {
      targetPortal: str({ default: '' }),
      iqn: str({ default: '' }),
      lun: int32({ default: 0 }),
      iscsiInterface: str({ default: 'default' }),
      fsType: str(),
      readOnly: bool(),
      portals: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      chapAuthDiscovery: bool(),
      chapAuthSession: bool(),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
      initiatorName: str(),
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
  'io.k8s.api.core.v1.GlusterfsVolumeSource': object(
    {
      endpoints: str({ default: '' }),
      path: str({ default: '' }),
      readOnly: bool(),
    },
    { proto: { endpoints: 1, path: 2, readOnly: 3 }, required: ['endpoints', 'path'], description: 'A Glusterfs mount.' },
  ),
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource': object(
    {
      claimName: str({ default: '' }),
      readOnly: bool(),
    },
    { proto: { claimName: 1, readOnly: 2 }, required: ['claimName'], description: "A reference to a persistent volume claim in the pod's namespace." },
  ),
  'io.k8s.api.core.v1.RBDVolumeSource': object(
    {
      monitors: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      image: str({ default: '' }),
      fsType: str(),
      pool: str({ default: 'rbd' }),
      user: str({ default: 'admin' }),
      keyring: str({ default: '/etc/ceph/keyring' }),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
      readOnly: bool(),
    },
    { proto: { monitors: 1, image: 2, fsType: 3, pool: 4, user: 5, keyring: 6, secretRef: 7, readOnly: 8 }, required: ['monitors', 'image'], description: 'A Rados block device.' },
  ),
  'io.k8s.api.core.v1.FlexVolumeSource': object(
    {
      driver: str({ default: '' }),
      fsType: str(),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
      readOnly: bool(),
      options: mapOf(str({ default: '' })),
    },
    { proto: { driver: 1, fsType: 2, secretRef: 3, readOnly: 4, options: 5 }, required: ['driver'], description: 'A volume from a FlexVolume driver.' },
  ),
  'io.k8s.api.core.v1.CinderVolumeSource': object(
    {
      volumeID: str({ default: '' }),
      fsType: str(),
      readOnly: bool(),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
    },
    { proto: { volumeID: 1, fsType: 2, readOnly: 3, secretRef: 4 }, required: ['volumeID'], description: 'An OpenStack Cinder volume.' },
  ),
  'io.k8s.api.core.v1.CephFSVolumeSource': object(
    {
      monitors: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      path: str(),
      user: str(),
      secretFile: str(),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
      readOnly: bool(),
    },
    { proto: { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: 5, readOnly: 6 }, required: ['monitors'], description: 'A Ceph filesystem mount.' },
  ),
  'io.k8s.api.core.v1.FlockerVolumeSource': object(
    {
      datasetName: str(),
      datasetUUID: str(),
    },
    { proto: { datasetName: 1, datasetUUID: 2 }, description: 'A Flocker dataset.' },
  ),
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': object(
    {
      items: list(ref('io.k8s.api.core.v1.DownwardAPIVolumeFile', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      defaultMode: int32(),
    },
    { proto: { items: 1, defaultMode: 2 }, protoPointers: ['defaultMode'], description: 'Files with pod metadata and container resources.' },
  ),
  'io.k8s.api.core.v1.FCVolumeSource': object(
    {
      targetWWNs: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      lun: int32(),
      fsType: str(),
      readOnly: bool(),
      wwids: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { targetWWNs: 1, lun: 2, fsType: 3, readOnly: 4, wwids: 5 }, protoPointers: ['lun'], description: 'A Fibre Channel disk.' },
  ),
  'io.k8s.api.core.v1.AzureFileVolumeSource': object(
    {
      secretName: str({ default: '' }),
      shareName: str({ default: '' }),
      readOnly: bool(),
    },
    { proto: { secretName: 1, shareName: 2, readOnly: 3 }, required: ['secretName', 'shareName'], description: 'An Azure File share.' },
  ),
  'io.k8s.api.core.v1.ConfigMapVolumeSource': object(
    {
      name: str({ default: '' }),
      items: list(ref('io.k8s.api.core.v1.KeyToPath', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      defaultMode: int32(),
      optional: bool(),
    },
    {
      proto: { items: 2, defaultMode: 3, optional: 4 },
      protoPointers: ['defaultMode', 'optional'],
      protoInline: [{ field: 1, proto: { name: 1 } }],
      description: 'Files from the keys of a config map.',
    },
  ),
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource': object(
    {
      volumePath: str({ default: '' }),
      fsType: str(),
      storagePolicyName: str(),
      storagePolicyID: str(),
    },
    { proto: { volumePath: 1, fsType: 2, storagePolicyName: 3, storagePolicyID: 4 }, required: ['volumePath'], description: 'A vSphere virtual disk.' },
  ),
  'io.k8s.api.core.v1.QuobyteVolumeSource': object(
    {
      registry: str({ default: '' }),
      volume: str({ default: '' }),
      readOnly: bool(),
      user: str(),
      group: str(),
      tenant: str(),
    },
    { proto: { registry: 1, volume: 2, readOnly: 3, user: 4, group: 5, tenant: 6 }, required: ['registry', 'volume'], description: 'A Quobyte mount.' },
  ),
  'io.k8s.api.core.v1.AzureDiskVolumeSource': object(
    {
      diskName: str({ default: '' }),
      diskURI: str({ default: '' }),
      cachingMode: enumOf(['None', 'ReadOnly', 'ReadWrite'], { default: 'ReadWrite' }),
      fsType: str({ default: 'ext4' }),
      readOnly: bool({ default: false }),
      kind: enumOf(['Dedicated', 'Managed', 'Shared'], { default: 'Shared' }),
    },
    {
      proto: { diskName: 1, diskURI: 2, cachingMode: 3, fsType: 4, readOnly: 5, kind: 6 },
      protoPointers: ['cachingMode', 'fsType', 'readOnly', 'kind'],
      required: ['diskName', 'diskURI'],
      description: 'An Azure data disk.',
    },
  ),
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource': object(
    {
      pdID: str({ default: '' }),
      fsType: str(),
    },
    { proto: { pdID: 1, fsType: 2 }, required: ['pdID'], description: 'A Photon Controller persistent disk.' },
  ),
  'io.k8s.api.core.v1.ProjectedVolumeSource': object(
    {
      sources: list(ref('io.k8s.api.core.v1.VolumeProjection', { default: {} }), { 'x-kubernetes-list-type': 'atomic', nullable: true }),
      defaultMode: int32(),
    },
    { proto: { sources: 1, defaultMode: 2 }, protoPointers: ['defaultMode'], description: 'Several sources projected into one directory.' },
  ),
  'io.k8s.api.core.v1.PortworxVolumeSource': object(
    {
      volumeID: str({ default: '' }),
      fsType: str(),
      readOnly: bool(),
    },
    { proto: { volumeID: 1, fsType: 2, readOnly: 3 }, required: ['volumeID'], description: 'A Portworx volume.' },
  ),
  'io.k8s.api.core.v1.ScaleIOVolumeSource': object(
    {
      gateway: str({ default: '' }),
      system: str({ default: '' }),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
      sslEnabled: bool(),
      protectionDomain: str(),
      storagePool: str(),
      storageMode: str({ default: 'ThinProvisioned' }),
      volumeName: str(),
      fsType: str({ default: 'xfs' }),
      readOnly: bool(),
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
  'io.k8s.api.core.v1.StorageOSVolumeSource': object(
    {
      volumeName: str(),
      volumeNamespace: str(),
      fsType: str(),
      readOnly: bool(),
      secretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
    },
    { proto: { volumeName: 1, volumeNamespace: 2, fsType: 3, readOnly: 4, secretRef: 5 }, description: 'A StorageOS volume.' },
  ),
  'io.k8s.api.core.v1.CSIVolumeSource': object(
    {
      driver: str({ default: '' }),
      readOnly: bool(),
      fsType: str(),
      volumeAttributes: mapOf(str({ default: '' })),
      nodePublishSecretRef: ref('io.k8s.api.core.v1.LocalObjectReference'),
    },
    {
      proto: { driver: 1, readOnly: 2, fsType: 3, volumeAttributes: 4, nodePublishSecretRef: 5 },
      protoPointers: ['readOnly', 'fsType'],
      required: ['driver'],
      description: 'An ephemeral volume provided by a CSI driver.',
    },
  ),
  'io.k8s.api.core.v1.EphemeralVolumeSource': object(
    {
      volumeClaimTemplate: ref('io.k8s.api.core.v1.PersistentVolumeClaimTemplate'),
    },
    { proto: { volumeClaimTemplate: 1 }, description: 'A volume whose claim is created and deleted with the pod.' },
  ),
  'io.k8s.api.core.v1.ImageVolumeSource': object(
    {
      reference: str(),
      pullPolicy: enumOf(['Always', 'IfNotPresent', 'Never']),
    },
    { proto: { reference: 1, pullPolicy: 2 }, description: 'An OCI image or artifact mounted read-only.' },
  ),
  'io.k8s.api.core.v1.ContainerPort': object(
    {
      name: str({ description: 'An IANA service name for the port, unique within the pod.' }),
      hostPort: int32({ description: 'Port number to expose on the host.' }),
      containerPort: int32({ default: 0, description: "Port number on the pod's IP address." }),
      protocol: enumOf(['SCTP', 'TCP', 'UDP'], { default: 'TCP', description: 'UDP, TCP (default) or SCTP.' }),
      hostIP: str({ description: 'Host IP to bind the host port to.' }),
    },
    { proto: { name: 1, hostPort: 2, containerPort: 3, protocol: 4, hostIP: 5 }, required: ['containerPort'], description: 'A network port of a container.' },
  ),
  'io.k8s.api.core.v1.EnvFromSource': object(
    {
      prefix: str(),
      configMapRef: ref('io.k8s.api.core.v1.ConfigMapEnvSource'),
      secretRef: ref('io.k8s.api.core.v1.SecretEnvSource'),
    },
    { proto: { prefix: 1, configMapRef: 2, secretRef: 3 }, description: 'A source of environment variables: every key of a config map or secret.' },
  ),
  'io.k8s.api.core.v1.EnvVar': object(
    {
      name: str({ default: '', description: 'Name of the variable.' }),
      value: str({ description: 'Value, with $(VAR) references expanded; defaults to "".' }),
      valueFrom: ref('io.k8s.api.core.v1.EnvVarSource', { description: 'Where the value comes from, when value is empty.' }),
    },
    { proto: { name: 1, value: 2, valueFrom: 3 }, required: ['name'], description: 'An environment variable of a container.' },
  ),
  'io.k8s.api.core.v1.ContainerResizePolicy': object(
    {
      resourceName: str({ default: '' }),
      restartPolicy: str({ default: '' }),
    },
    { proto: { resourceName: 1, restartPolicy: 2 }, required: ['resourceName', 'restartPolicy'], description: 'The resize policy of one resource of a container.' },
  ),
  'io.k8s.api.core.v1.VolumeMount': object(
    {
      name: str({ default: '', description: 'The volume to mount, by name.' }),
      readOnly: bool({ description: 'Mount read-only.' }),
      recursiveReadOnly: str(),
      mountPath: str({ default: '', description: "Where the volume is mounted in the container; must not contain ':'." }),
      subPath: str({ description: 'Path within the volume to mount instead of its root.' }),
      mountPropagation: enumOf(['Bidirectional', 'HostToContainer', 'None']),
      subPathExpr: str({ description: "Like subPath, with $(VAR) references expanded from the container's environment." }),
    },
    {
      proto: { name: 1, readOnly: 2, recursiveReadOnly: 7, mountPath: 3, subPath: 4, mountPropagation: 5, subPathExpr: 6 },
      protoPointers: ['recursiveReadOnly', 'mountPropagation'],
      required: ['name', 'mountPath'],
      description: 'A volume mounted into a container.',
    },
  ),
  'io.k8s.api.core.v1.VolumeDevice': object(
    {
      name: str({ default: '' }),
      devicePath: str({ default: '' }),
    },
    { proto: { name: 1, devicePath: 2 }, required: ['name', 'devicePath'], description: 'A raw block volume mapped into a container.' },
  ),
  'io.k8s.api.core.v1.Probe': object(
    {
      exec: ref('io.k8s.api.core.v1.ExecAction'),
      httpGet: ref('io.k8s.api.core.v1.HTTPGetAction'),
      tcpSocket: ref('io.k8s.api.core.v1.TCPSocketAction'),
      grpc: ref('io.k8s.api.core.v1.GRPCAction'),
      initialDelaySeconds: int32({ description: 'Seconds after start before probing begins.' }),
      timeoutSeconds: int32({ description: 'Seconds before a probe attempt times out; defaults to 1.' }),
      periodSeconds: int32({ description: 'Seconds between probe attempts; defaults to 10.' }),
      successThreshold: int32({ description: 'Consecutive successes needed after a failure; defaults to 1.' }),
      failureThreshold: int32({ description: 'Consecutive failures before the probe fails; defaults to 3.' }),
      terminationGracePeriodSeconds: int64({ description: 'Grace period when a failed probe stops the container.' }),
    },
    {
      proto: { initialDelaySeconds: 2, timeoutSeconds: 3, periodSeconds: 4, successThreshold: 5, failureThreshold: 6, terminationGracePeriodSeconds: 7 },
      protoPointers: ['terminationGracePeriodSeconds'],
      protoInline: [{ field: 1, proto: { exec: 1, httpGet: 2, tcpSocket: 3, grpc: 4 } }],
      description: 'A health check run against a container.',
    },
  ),
  'io.k8s.api.core.v1.Lifecycle': object(
    {
      postStart: ref('io.k8s.api.core.v1.LifecycleHandler'),
      preStop: ref('io.k8s.api.core.v1.LifecycleHandler'),
    },
    { proto: { postStart: 1, preStop: 2 }, description: 'Actions the system runs at container lifecycle events.' },
  ),
  'io.k8s.api.core.v1.SecurityContext': object(
    {
      capabilities: ref('io.k8s.api.core.v1.Capabilities'),
      privileged: bool(),
      seLinuxOptions: ref('io.k8s.api.core.v1.SELinuxOptions'),
      windowsOptions: ref('io.k8s.api.core.v1.WindowsSecurityContextOptions'),
      runAsUser: int64(),
      runAsGroup: int64(),
      runAsNonRoot: bool(),
      readOnlyRootFilesystem: bool(),
      allowPrivilegeEscalation: bool(),
      procMount: enumOf(['Default', 'Unmasked']),
      seccompProfile: ref('io.k8s.api.core.v1.SeccompProfile'),
      appArmorProfile: ref('io.k8s.api.core.v1.AppArmorProfile'),
    },
    {
      proto: {
        capabilities: 1, privileged: 2, seLinuxOptions: 3, windowsOptions: 10, runAsUser: 4, runAsGroup: 8, runAsNonRoot: 5,
        readOnlyRootFilesystem: 6, allowPrivilegeEscalation: 7, procMount: 9, seccompProfile: 11, appArmorProfile: 12,
      },
      protoPointers: ['privileged', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'procMount'],
      description: "Security settings of a container, overriding the pod's.",
    },
  ),
  'io.k8s.api.core.v1.SELinuxOptions': object(
    {
      user: str(),
      role: str(),
      type: str(),
      level: str(),
    },
    { proto: { user: 1, role: 2, type: 3, level: 4 }, description: 'SELinux labels of a container.' },
  ),
  'io.k8s.api.core.v1.WindowsSecurityContextOptions': object(
    {
      gmsaCredentialSpecName: str(),
      gmsaCredentialSpec: str(),
      runAsUserName: str(),
      hostProcess: bool(),
    },
    {
      proto: { gmsaCredentialSpecName: 1, gmsaCredentialSpec: 2, runAsUserName: 3, hostProcess: 4 },
      protoPointers: ['gmsaCredentialSpecName', 'gmsaCredentialSpec', 'runAsUserName', 'hostProcess'],
      description: 'Windows-specific security settings.',
    },
  ),
  'io.k8s.api.core.v1.Sysctl': object(
    {
      name: str({ default: '' }),
      value: str({ default: '' }),
    },
    { proto: { name: 1, value: 2 }, required: ['name', 'value'], description: 'A kernel parameter to set.' },
  ),
  'io.k8s.api.core.v1.SeccompProfile': object(
    {
      type: enumOf(['Localhost', 'RuntimeDefault', 'Unconfined'], { default: '' }),
      localhostProfile: str(),
    },
    { proto: { type: 1, localhostProfile: 2 }, protoPointers: ['localhostProfile'], required: ['type'], description: 'The seccomp profile of a pod or container.' },
  ),
  'io.k8s.api.core.v1.AppArmorProfile': object(
    {
      type: enumOf(['Localhost', 'RuntimeDefault', 'Unconfined'], { default: '' }),
      localhostProfile: str(),
    },
    { proto: { type: 1, localhostProfile: 2 }, protoPointers: ['localhostProfile'], required: ['type'], description: 'The AppArmor profile of a pod or container.' },
  ),
  'io.k8s.api.core.v1.NodeAffinity': object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: ref('io.k8s.api.core.v1.NodeSelector'),
      preferredDuringSchedulingIgnoredDuringExecution: list(ref('io.k8s.api.core.v1.PreferredSchedulingTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 }, description: 'Node affinity scheduling rules.' },
  ),
  'io.k8s.api.core.v1.PodAffinity': object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: list(ref('io.k8s.api.core.v1.PodAffinityTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      preferredDuringSchedulingIgnoredDuringExecution: list(ref('io.k8s.api.core.v1.WeightedPodAffinityTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 }, description: 'Rules to place the pod near other pods.' },
  ),
  'io.k8s.api.core.v1.PodAntiAffinity': object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: list(ref('io.k8s.api.core.v1.PodAffinityTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      preferredDuringSchedulingIgnoredDuringExecution: list(ref('io.k8s.api.core.v1.WeightedPodAffinityTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    {
      proto: { requiredDuringSchedulingIgnoredDuringExecution: 1, preferredDuringSchedulingIgnoredDuringExecution: 2 },
      description: 'Rules to keep the pod away from other pods.',
    },
  ),
  'io.k8s.api.core.v1.PodDNSConfigOption': object(
    {
      name: str(),
      value: str(),
    },
    { proto: { name: 1, value: 2 }, protoPointers: ['value'], description: 'A resolver option.' },
  ),
  'io.k8s.api.core.v1.ResourceClaim': object(
    {
      name: str({ default: '' }),
      request: str(),
    },
    { proto: { name: 1, request: 2 }, required: ['name'], description: "A reference to one of the pod's resource claims." },
  ),
  'io.k8s.api.core.v1.ContainerState': object(
    {
      waiting: ref('io.k8s.api.core.v1.ContainerStateWaiting'),
      running: ref('io.k8s.api.core.v1.ContainerStateRunning'),
      terminated: ref('io.k8s.api.core.v1.ContainerStateTerminated'),
    },
    { proto: { waiting: 1, running: 2, terminated: 3 }, description: 'The state of a container: exactly one of waiting, running, terminated.' },
  ),
  'io.k8s.api.core.v1.VolumeMountStatus': object(
    {
      name: str({ default: '' }),
      mountPath: str({ default: '' }),
      readOnly: bool(),
      recursiveReadOnly: str(),
    },
    {
      proto: { name: 1, mountPath: 2, readOnly: 3, recursiveReadOnly: 4 },
      protoPointers: ['recursiveReadOnly'],
      required: ['name', 'mountPath'],
      description: 'The status of a volume mount.',
    },
  ),
  'io.k8s.api.core.v1.ContainerUser': object(
    {
      linux: ref('io.k8s.api.core.v1.LinuxContainerUser'),
    },
    { proto: { linux: 1 }, description: "The identity of a container's first process." },
  ),
  'io.k8s.api.core.v1.ResourceStatus': object(
    {
      name: str({ default: '' }),
      resources: list(ref('io.k8s.api.core.v1.ResourceHealth', { default: {} }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['resourceID'] }),
    },
    { proto: { name: 1, resources: 2 }, required: ['name'], description: 'The health of the devices allocated for one resource.' },
  ),
  'io.k8s.api.core.v1.KeyToPath': object(
    {
      key: str({ default: '' }),
      path: str({ default: '' }),
      mode: int32(),
    },
    { proto: { key: 1, path: 2, mode: 3 }, protoPointers: ['mode'], required: ['key', 'path'], description: 'A key projected to a path in a volume.' },
  ),
  'io.k8s.api.core.v1.DownwardAPIVolumeFile': object(
    {
      path: str({ default: '' }),
      fieldRef: ref('io.k8s.api.core.v1.ObjectFieldSelector'),
      resourceFieldRef: ref('io.k8s.api.core.v1.ResourceFieldSelector'),
      mode: int32(),
    },
    { proto: { path: 1, fieldRef: 2, resourceFieldRef: 3, mode: 4 }, protoPointers: ['mode'], required: ['path'], description: 'A file with a pod field or container resource.' },
  ),
  'io.k8s.api.core.v1.VolumeProjection': object(
    {
      secret: ref('io.k8s.api.core.v1.SecretProjection'),
      downwardAPI: ref('io.k8s.api.core.v1.DownwardAPIProjection'),
      configMap: ref('io.k8s.api.core.v1.ConfigMapProjection'),
      serviceAccountToken: ref('io.k8s.api.core.v1.ServiceAccountTokenProjection'),
      clusterTrustBundle: ref('io.k8s.api.core.v1.ClusterTrustBundleProjection'),
    },
    { proto: { secret: 1, downwardAPI: 2, configMap: 3, serviceAccountToken: 4, clusterTrustBundle: 5 }, description: 'A source projected with others into one volume.' },
  ),
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': object(
    {
      metadata: objectMeta({ default: {} }),
      spec: ref('io.k8s.api.core.v1.PersistentVolumeClaimSpec', { default: {} }),
    },
    { proto: { metadata: 1, spec: 2 }, required: ['spec'], description: 'The claim created for an ephemeral volume.' },
  ),
  'io.k8s.api.core.v1.ConfigMapEnvSource': object(
    {
      name: str({ default: '' }),
      optional: bool(),
    },
    { proto: { optional: 2 }, protoPointers: ['optional'], protoInline: [{ field: 1, proto: { name: 1 } }], description: 'A config map whose keys become environment variables.' },
  ),
  'io.k8s.api.core.v1.SecretEnvSource': object(
    {
      name: str({ default: '' }),
      optional: bool(),
    },
    { proto: { optional: 2 }, protoPointers: ['optional'], protoInline: [{ field: 1, proto: { name: 1 } }], description: 'A secret whose keys become environment variables.' },
  ),
  'io.k8s.api.core.v1.EnvVarSource': object(
    {
      fieldRef: ref('io.k8s.api.core.v1.ObjectFieldSelector'),
      resourceFieldRef: ref('io.k8s.api.core.v1.ResourceFieldSelector'),
      configMapKeyRef: ref('io.k8s.api.core.v1.ConfigMapKeySelector'),
      secretKeyRef: ref('io.k8s.api.core.v1.SecretKeySelector'),
    },
    { proto: { fieldRef: 1, resourceFieldRef: 2, configMapKeyRef: 3, secretKeyRef: 4 }, description: 'A source for the value of an environment variable.' },
  ),
  'io.k8s.api.core.v1.ExecAction': object(
    {
      command: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { command: 1 }, description: 'A command run in the container.' },
  ),
  'io.k8s.api.core.v1.HTTPGetAction': object(
    {
      path: str(),
      port: intOrString(),
      host: str(),
      scheme: enumOf(['HTTP', 'HTTPS']),
      httpHeaders: list(ref('io.k8s.api.core.v1.HTTPHeader', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { path: 1, port: 2, host: 3, scheme: 4, httpHeaders: 5 }, required: ['port'], description: 'An HTTP GET request.' },
  ),
  'io.k8s.api.core.v1.TCPSocketAction': object(
    {
      port: intOrString(),
      host: str(),
    },
    { proto: { port: 1, host: 2 }, required: ['port'], description: 'A TCP connection attempt.' },
  ),
  'io.k8s.api.core.v1.GRPCAction': object(
    {
      port: int32({ default: 0 }),
      service: str({ default: '' }),
    },
    { proto: { port: 1, service: 2 }, protoPointers: ['service'], required: ['port'], description: 'A gRPC health check.' },
  ),
  'io.k8s.api.core.v1.LifecycleHandler': object(
    {
      exec: ref('io.k8s.api.core.v1.ExecAction'),
      httpGet: ref('io.k8s.api.core.v1.HTTPGetAction'),
      tcpSocket: ref('io.k8s.api.core.v1.TCPSocketAction'),
      sleep: ref('io.k8s.api.core.v1.SleepAction'),
    },
    { proto: { exec: 1, httpGet: 2, tcpSocket: 3, sleep: 4 }, description: 'An action run at a lifecycle event; exactly one of its fields.' },
  ),
  'io.k8s.api.core.v1.Capabilities': object(
    {
      add: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      drop: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { add: 1, drop: 2 }, description: 'Linux capabilities to add and drop.' },
  ),
  'io.k8s.api.core.v1.NodeSelector': object(
    {
      nodeSelectorTerms: list(ref('io.k8s.api.core.v1.NodeSelectorTerm', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { nodeSelectorTerms: 1 }, required: ['nodeSelectorTerms'], 'x-kubernetes-map-type': 'atomic', description: 'Node selector terms, ORed.' },
  ),
  'io.k8s.api.core.v1.PreferredSchedulingTerm': object(
    {
      weight: int32({ default: 0 }),
      preference: ref('io.k8s.api.core.v1.NodeSelectorTerm', { default: {} }),
    },
    { proto: { weight: 1, preference: 2 }, required: ['weight', 'preference'], description: 'A weighted node preference.' },
  ),
  'io.k8s.api.core.v1.PodAffinityTerm': object(
    {
      labelSelector: labelSelector(),
      namespaces: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      topologyKey: str({ default: '' }),
      namespaceSelector: labelSelector(),
      matchLabelKeys: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
      mismatchLabelKeys: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    {
      proto: { labelSelector: 1, namespaces: 2, topologyKey: 3, namespaceSelector: 4, matchLabelKeys: 5, mismatchLabelKeys: 6 },
      required: ['topologyKey'],
      description: 'The pods a pod should be (or not be) co-located with, and the topology key.',
    },
  ),
  'io.k8s.api.core.v1.WeightedPodAffinityTerm': object(
    {
      weight: int32({ default: 0 }),
      podAffinityTerm: ref('io.k8s.api.core.v1.PodAffinityTerm', { default: {} }),
    },
    { proto: { weight: 1, podAffinityTerm: 2 }, required: ['weight', 'podAffinityTerm'], description: 'A weighted pod affinity term.' },
  ),
  'io.k8s.api.core.v1.ContainerStateWaiting': object(
    {
      reason: str(),
      message: str(),
    },
    { proto: { reason: 1, message: 2 }, description: 'A container that is not yet running.' },
  ),
  'io.k8s.api.core.v1.ContainerStateRunning': object(
    {
      startedAt: time(),
    },
    { proto: { startedAt: 1 }, description: 'A running container.' },
  ),
  'io.k8s.api.core.v1.ContainerStateTerminated': object(
    {
      exitCode: int32({ default: 0 }),
      signal: int32(),
      reason: str(),
      message: str(),
      startedAt: time(),
      finishedAt: time(),
      containerID: str(),
    },
    {
      proto: { exitCode: 1, signal: 2, reason: 3, message: 4, startedAt: 5, finishedAt: 6, containerID: 7 },
      required: ['exitCode'],
      description: 'A container that has terminated.',
    },
  ),
  'io.k8s.api.core.v1.LinuxContainerUser': object(
    {
      uid: int64({ default: 0 }),
      gid: int64({ default: 0 }),
      supplementalGroups: list(int64(), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { uid: 1, gid: 2, supplementalGroups: 3 }, required: ['uid', 'gid'], description: "Linux user and groups of a container's first process." },
  ),
  'io.k8s.api.core.v1.ResourceHealth': object(
    {
      resourceID: str({ default: '' }),
      health: str(),
    },
    { proto: { resourceID: 1, health: 2 }, required: ['resourceID'], description: 'The health of one device.' },
  ),
  'io.k8s.api.core.v1.ObjectFieldSelector': object(
    {
      apiVersion: str(),
      fieldPath: str({ default: '' }),
    },
    { proto: { apiVersion: 1, fieldPath: 2 }, required: ['fieldPath'], 'x-kubernetes-map-type': 'atomic', description: 'A field of the pod.' },
  ),
  'io.k8s.api.core.v1.ResourceFieldSelector': object(
    {
      containerName: str(),
      resource: str({ default: '' }),
      divisor: quantity(),
    },
    {
      proto: { containerName: 1, resource: 2, divisor: 3 },
      required: ['resource'],
      'x-kubernetes-map-type': 'atomic',
      description: 'A resource of a container: limits.cpu, requests.memory …',
    },
  ),
  'io.k8s.api.core.v1.SecretProjection': object(
    {
      name: str({ default: '' }),
      items: list(ref('io.k8s.api.core.v1.KeyToPath', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      optional: bool(),
    },
    { proto: { items: 2, optional: 4 }, protoPointers: ['optional'], protoInline: [{ field: 1, proto: { name: 1 } }], description: 'A secret projected into a volume.' },
  ),
  'io.k8s.api.core.v1.DownwardAPIProjection': object(
    {
      items: list(ref('io.k8s.api.core.v1.DownwardAPIVolumeFile', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { items: 1 }, description: 'Downward API files projected into a volume.' },
  ),
  'io.k8s.api.core.v1.ConfigMapProjection': object(
    {
      name: str({ default: '' }),
      items: list(ref('io.k8s.api.core.v1.KeyToPath', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      optional: bool(),
    },
    { proto: { items: 2, optional: 4 }, protoPointers: ['optional'], protoInline: [{ field: 1, proto: { name: 1 } }], description: 'A config map projected into a volume.' },
  ),
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': object(
    {
      audience: str(),
      expirationSeconds: int64(),
      path: str({ default: '' }),
    },
    {
      proto: { audience: 1, expirationSeconds: 2, path: 3 },
      protoPointers: ['expirationSeconds'],
      required: ['path'],
      description: 'A service account token projected into a volume.',
    },
  ),
  'io.k8s.api.core.v1.ClusterTrustBundleProjection': object(
    {
      name: str(),
      signerName: str(),
      labelSelector: labelSelector(),
      optional: bool(),
      path: str({ default: '' }),
    },
    {
      proto: { name: 1, signerName: 2, labelSelector: 3, optional: 5, path: 4 },
      protoPointers: ['name', 'signerName', 'optional'],
      required: ['path'],
      description: 'Certificates of ClusterTrustBundles projected into a file.',
    },
  ),
  'io.k8s.api.core.v1.ConfigMapKeySelector': object(
    {
      name: str({ default: '' }),
      key: str({ default: '' }),
      optional: bool(),
    },
    {
      proto: { key: 2, optional: 3 },
      protoPointers: ['optional'],
      protoInline: [{ field: 1, proto: { name: 1 } }],
      required: ['key'],
      'x-kubernetes-map-type': 'atomic',
      description: 'A key of a config map.',
    },
  ),
  'io.k8s.api.core.v1.SecretKeySelector': object(
    {
      name: str({ default: '' }),
      key: str({ default: '' }),
      optional: bool(),
    },
    {
      proto: { key: 2, optional: 3 },
      protoPointers: ['optional'],
      protoInline: [{ field: 1, proto: { name: 1 } }],
      required: ['key'],
      'x-kubernetes-map-type': 'atomic',
      description: 'A key of a secret.',
    },
  ),
  'io.k8s.api.core.v1.HTTPHeader': object(
    {
      name: str({ default: '' }),
      value: str({ default: '' }),
    },
    { proto: { name: 1, value: 2 }, required: ['name', 'value'], description: 'An HTTP header.' },
  ),
  'io.k8s.api.core.v1.SleepAction': object(
    {
      seconds: int64({ default: 0 }),
    },
    { proto: { seconds: 1 }, required: ['seconds'], description: 'A pause.' },
  ),
  'io.k8s.api.core.v1.NodeSelectorTerm': object(
    {
      matchExpressions: list(ref('io.k8s.api.core.v1.NodeSelectorRequirement', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
      matchFields: list(ref('io.k8s.api.core.v1.NodeSelectorRequirement', { default: {} }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { matchExpressions: 1, matchFields: 2 }, 'x-kubernetes-map-type': 'atomic', description: 'Node selector requirements, ANDed.' },
  ),
  'io.k8s.api.core.v1.NodeSelectorRequirement': object(
    {
      key: str({ default: '' }),
      operator: enumOf(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'], { default: '' }),
      values: list(str({ default: '' }), { 'x-kubernetes-list-type': 'atomic' }),
    },
    { proto: { key: 1, operator: 2, values: 3 }, required: ['key', 'operator'], description: 'A requirement on a node label or field.' },
  ),
});

// kubernetes-types is a release behind 1.32: the newer fields are added here.
type ImageVolumeSource = { reference?: string; pullPolicy?: string };
type AnyVolume = Volume & { image?: ImageVolumeSource };
type AnyContainer = Container & { restartPolicy?: string };

/** Options of ValidatePodSpec that depend on where the spec lives. */
export interface PodValidationOptions {
  /** The spec is a Pod's own, not a template's (hostNetwork ports must then match exactly). */
  resourceIsPod?: boolean;
  /** The pod's metadata, to check the names of the claims its ephemeral volumes create. */
  podMeta?: ObjectMeta;
}

// ---------------------------------------------------------------- defaulting

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';
/** 0644: the mode of files projected from secrets, config maps and the downward API. */
const DEFAULT_VOLUME_FILE_MODE = 0o644;
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** The tag of an image reference (`latest` when there is neither tag nor digest), as parsers.ParseImageName. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** Always for `:latest` (or no tag), IfNotPresent otherwise. */
function defaultPullPolicy(image: string): string {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Memo tables for the quantity texts pods repeat ("250m", "512Mi"): parsing and rounding are
 * BigInt arithmetic, done on every pod written. Emptied when full, so odd texts cannot grow them.
 */
const MEMO_MAX = 1024;
const parsedQuantities = new Map<string, Quantity | null>();
const canonicalQuantities = new Map<string, string>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, value);
  return value;
}

/** A quantity in its canonical form, rounded up to milli-units (SetDefaults_ResourceList). */
export function canonicalQuantity(q: string | number): string {
  const text = String(q);
  const known = canonicalQuantities.get(text);
  if (known !== undefined) return known;
  const parsed = parseQ(text);
  // Invalid quantities are refused when the object is decoded; leave them be here.
  if (!parsed) return text;
  const rounded = Quantity.fromMilli(parsed.scaledValue(-3), parsed.format);
  return remember(canonicalQuantities, text, (rounded.equal(parsed) ? parsed : rounded).toString());
}

function defaultResourceList(list: Record<string, string | number> | undefined): void {
  if (!list) return;
  for (const k in list) list[k] = canonicalQuantity(list[k]);
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  const http = p.httpGet;
  if (http) {
    http.path ||= '/';
    http.scheme ||= 'HTTP';
  }
  if (p.grpc) p.grpc.service ??= '';
}

function defaultContainer(c: AnyContainer): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image ?? '');
  c.terminationMessagePath ||= TERMINATION_MESSAGE_PATH_DEFAULT;
  c.terminationMessagePolicy ||= 'File';
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  for (const e of c.env ?? []) {
    const fieldRef = e.valueFrom?.fieldRef;
    if (fieldRef) fieldRef.apiVersion ||= 'v1';
    const rf = e.valueFrom?.resourceFieldRef;
    if (rf?.divisor !== undefined) rf.divisor = canonicalQuantity(rf.divisor);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) {
    if (h?.httpGet) {
      h.httpGet.path ||= '/';
      h.httpGet.scheme ||= 'HTTP';
    }
  }
  defaultResourceList(c.resources?.limits);
  defaultResourceList(c.resources?.requests);
}

function defaultDownwardAPIItems(items: { fieldRef?: { apiVersion?: string } ; resourceFieldRef?: { divisor?: string | number } }[] | undefined): void {
  for (const f of items ?? []) {
    if (f.fieldRef) f.fieldRef.apiVersion ||= 'v1';
    if (f.resourceFieldRef?.divisor !== undefined) f.resourceFieldRef.divisor = canonicalQuantity(f.resourceFieldRef.divisor);
  }
}

function defaultVolume(v: AnyVolume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && v[k as keyof AnyVolume] != null);
  // A volume with no source is an empty directory.
  if (sources.length === 0) v.emptyDir = {};
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonicalQuantity(v.emptyDir.sizeLimit);
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
    defaultDownwardAPIItems(v.downwardAPI.items);
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= DEFAULT_TOKEN_EXPIRATION_SECONDS;
      defaultDownwardAPIItems(s.downwardAPI?.items);
    }
  }
  if (v.ephemeral?.volumeClaimTemplate?.spec) v.ephemeral.volumeClaimTemplate.spec.volumeMode ??= 'Filesystem';
  if (v.image) v.image.pullPolicy ||= defaultPullPolicy(v.image.reference ?? '');
}

/**
 * SetDefaults_PodSpec with the defaults of everything inside it (containers, probes, volume
 * sources, resource lists), as applied to pods and to every pod template.
 */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  // The deprecated serviceAccount mirrors serviceAccountName, whichever was given.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as AnyContainer);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  defaultResourceList(spec.overhead);
}

/** The template's pod spec defaulted, as every workload's defaulting does for its template. */
export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (!template) return;
  template.spec ??= { containers: [] };
  defaultPodSpec(template.spec);
  defaultEmbeddedMeta(template);
}

/**
 * An embedded object's metadata carries `creationTimestamp: null`, as upstream serializes the
 * zero metav1.Time of a template (what `kubectl get -o yaml` shows inside every template).
 */
export function defaultEmbeddedMeta(embedded: { metadata?: object }): void {
  const meta = (embedded.metadata ??= {}) as { creationTimestamp?: unknown };
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
}

// ---------------------------------------------------------------- validation helpers

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const NOT_POSITIVE_ERROR = 'must be greater than zero';
const MAX_INT32 = 2 ** 31 - 1;

type Errs = FieldError[];

function dnsLabel(value: string, path: FieldPath, errs: Errs): void {
  for (const msg of isDNS1123Label(value)) errs.push(fieldErrors.invalid(path.path, value, msg));
}

function dnsSubdomain(value: string, path: FieldPath, errs: Errs): void {
  for (const msg of isDNS1123Subdomain(value)) errs.push(fieldErrors.invalid(path.path, value, msg));
}

function qualifiedName(value: string, path: FieldPath, errs: Errs): void {
  for (const msg of isQualifiedName(value)) errs.push(fieldErrors.invalid(path.path, value, msg));
}

function fileMode(mode: number | undefined, path: FieldPath, errs: Errs): void {
  if (mode !== undefined && (mode > 0o777 || mode < 0)) errs.push(fieldErrors.invalid(path.path, mode, FILE_MODE_ERROR));
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/');
}

/** No `..` element. */
function pathNoBacksteps(target: string, path: FieldPath, errs: Errs): void {
  if (target.replace(/\\/g, '/').split('/').includes('..')) errs.push(fieldErrors.invalid(path.path, target, "must not contain '..'"));
}

/** Relative and without `..` elements. */
function localDescendingPath(target: string, path: FieldPath, errs: Errs): void {
  if (isAbsolutePath(target)) errs.push(fieldErrors.invalid(path.path, target, 'must be a relative path'));
  pathNoBacksteps(target, path, errs);
}

/** Relative, no `..` elements, and not starting with `..`. */
function localNonReservedPath(target: string, path: FieldPath, errs: Errs): void {
  localDescendingPath(target, path, errs);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(fieldErrors.invalid(path.path, target, "must not start with '..'"));
}

/** A quantity parsed (shared: quantities are immutable), or undefined when it does not parse. */
export function parseQ(q: string | number | undefined): Quantity | undefined {
  if (q === undefined) return undefined;
  const text = String(q);
  let parsed = parsedQuantities.get(text);
  if (parsed === undefined) {
    try {
      parsed = Quantity.parse(text);
    } catch {
      parsed = null;
    }
    remember(parsedQuantities, text, parsed);
  }
  return parsed ?? undefined;
}

const ZERO = Quantity.fromInt(0);

/** Semantic equality of two JSON values: key order, and absent versus empty or zero, do not matter. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const emptyA = isEmptyValue(a);
  const emptyB = isEmptyValue(b);
  if (emptyA || emptyB) return emptyA && emptyB;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) if (!semanticEqual(ao[k], bo[k])) return false;
  for (const k in bo) if (!(k in ao) && !isEmptyValue(bo[k])) return false;
  return true;
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

// ---------------------------------------------------------------- volumes

const SUPPORTED_HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const VOLUME_DOWNWARD_API_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const ENV_DOWNWARD_API_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** The pod field labels the downward API converts (ConvertDownwardAPIFieldLabel). */
const DOWNWARD_API_LABELS = new Set([
  ...VOLUME_DOWNWARD_API_FIELDS,
  ...ENV_DOWNWARD_API_FIELDS,
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const CONTAINER_RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const HUGEPAGES_FIELD_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];
const MEMORY_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);
const ISCSI_IQN = /^iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const ISCSI_EUI = /^eui.[A-Za-z0-9]{16}$/;
const ISCSI_NAA = /^naa.[A-Za-z0-9]{32}$/;

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['key']` → [`metadata.labels`, `key`]. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const i = inner.indexOf("['");
  return i > 0 ? [inner.slice(0, i), inner.slice(i + 2)] : undefined;
}

/** The downward API field a selector names; a `['key']` subscript is checked as a qualified name. */
function objectFieldSelector(fs: { apiVersion?: string; fieldPath?: string }, allowed: string[], path: FieldPath, errs: Errs): void {
  if (!fs.apiVersion) return void errs.push(fieldErrors.required(path.child('apiVersion').path));
  if (!fs.fieldPath) return void errs.push(fieldErrors.required(path.child('fieldPath').path));
  const sub = splitSubscript(fs.fieldPath);
  let conversionError: string | undefined;
  if (fs.apiVersion !== 'v1') conversionError = `unsupported pod version: ${fs.apiVersion}`;
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') conversionError = `field label does not support subscript: ${fs.fieldPath}`;
  else if (!sub && !DOWNWARD_API_LABELS.has(fs.fieldPath)) conversionError = `field label not supported: ${fs.fieldPath}`;
  if (conversionError) return void errs.push(fieldErrors.invalid(path.child('fieldPath').path, fs.fieldPath, `error converting fieldPath: ${conversionError}`));
  if (sub) qualifiedName(sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1], path, errs);
  else if (!allowed.includes(fs.fieldPath)) errs.push(fieldErrors.notSupported(path.child('fieldPath').path, fs.fieldPath, allowed));
}

function resourceFieldSelector(
  fs: { containerName?: string; resource?: string; divisor?: string | number },
  path: FieldPath,
  volume: boolean,
  errs: Errs,
): void {
  const resource = fs.resource ?? '';
  if (volume && !fs.containerName) errs.push(fieldErrors.required(path.child('containerName').path));
  else if (!resource) errs.push(fieldErrors.required(path.child('resource').path));
  else if (!CONTAINER_RESOURCE_FIELDS.includes(resource) && !HUGEPAGES_FIELD_PREFIXES.some((p) => resource.startsWith(p))) {
    errs.push(fieldErrors.notSupported(path.child('resource').path, resource, CONTAINER_RESOURCE_FIELDS));
  }
  const divisor = parseQ(fs.divisor);
  if (!divisor || divisor.isZero()) return;
  const d = divisor.toString();
  const divisorPath = path.child('divisor').path;
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    if (d !== '1m' && d !== '1') errs.push(fieldErrors.invalid(divisorPath, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
    return;
  }
  const what = resource.endsWith('.memory')
    ? 'memory'
    : resource.endsWith('.ephemeral-storage')
      ? 'local ephemeral storage'
      : HUGEPAGES_FIELD_PREFIXES.some((p) => resource.startsWith(p))
        ? 'hugepages'
        : undefined;
  if (what && !MEMORY_DIVISORS.has(d)) {
    errs.push(fieldErrors.invalid(divisorPath, resource, `only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the ${what} resource`));
  }
}

function keyToPath(kp: { key?: string; path?: string; mode?: number }, path: FieldPath, errs: Errs): void {
  if (!kp.key) errs.push(fieldErrors.required(path.child('key').path));
  if (!kp.path) errs.push(fieldErrors.required(path.child('path').path));
  localNonReservedPath(kp.path ?? '', path.child('path'), errs);
  fileMode(kp.mode, path.child('mode'), errs);
}

type DownwardAPIFile = { path?: string; mode?: number; fieldRef?: { apiVersion?: string; fieldPath?: string }; resourceFieldRef?: { containerName?: string; resource?: string; divisor?: string | number } };

function downwardAPIVolumeFile(file: DownwardAPIFile, path: FieldPath, errs: Errs): void {
  if (!file.path) errs.push(fieldErrors.required(path.child('path').path));
  localNonReservedPath(file.path ?? '', path.child('path'), errs);
  if (file.fieldRef) {
    objectFieldSelector(file.fieldRef, VOLUME_DOWNWARD_API_FIELDS, path.child('fieldRef'), errs);
    if (file.resourceFieldRef) errs.push(fieldErrors.invalid(path.path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    resourceFieldSelector(file.resourceFieldRef, path.child('resourceFieldRef'), true, errs);
  } else {
    errs.push(fieldErrors.required(path.path, 'one of fieldRef and resourceFieldRef is required'));
  }
  fileMode(file.mode, path.child('mode'), errs);
}

function iscsiName(value: string, path: FieldPath, startMessage: string, errs: Errs): void {
  if (!value.startsWith('iqn') && !value.startsWith('eui') && !value.startsWith('naa')) {
    errs.push(fieldErrors.invalid(path.path, value, startMessage));
    return;
  }
  const re = value.startsWith('iqn') ? ISCSI_IQN : value.startsWith('eui') ? ISCSI_EUI : ISCSI_NAA;
  if (!re.test(value)) errs.push(fieldErrors.invalid(path.path, value, 'must be valid format'));
}

function requiredStrings(obj: Record<string, unknown>, names: string[], path: FieldPath, errs: Errs): void {
  for (const n of names) if (!obj[n]) errs.push(fieldErrors.required(path.child(n).path));
}

/** The checks of each legacy in-tree source: the required fields, and the few formats upstream checks. */
const legacySourceChecks: Record<string, (src: any, path: FieldPath, errs: Errs, volName: string) => void> = {
  gcePersistentDisk: (s, p, e) => {
    requiredStrings(s, ['pdName'], p, e);
    if ((s.partition ?? 0) < 0 || (s.partition ?? 0) > 255) e.push(fieldErrors.invalid(p.child('partition').path, s.partition, inclusiveRangeError(1, 255)));
  },
  awsElasticBlockStore: (s, p, e) => {
    requiredStrings(s, ['volumeID'], p, e);
    if ((s.partition ?? 0) < 0 || (s.partition ?? 0) > 255) e.push(fieldErrors.invalid(p.child('partition').path, s.partition, inclusiveRangeError(1, 255)));
  },
  gitRepo: (s, p, e) => {
    requiredStrings(s, ['repository'], p, e);
    localDescendingPath(s.directory ?? '', p.child('directory'), e);
  },
  iscsi: (s, p, e, volName) => {
    requiredStrings(s, ['targetPortal'], p, e);
    if (!s.iqn) e.push(fieldErrors.required(p.child('iqn').path));
    else iscsiName(s.iqn, p.child('iqn'), 'must be valid format starting with iqn, eui, or naa', e);
    if ((s.lun ?? 0) < 0 || (s.lun ?? 0) > 255) e.push(fieldErrors.invalid(p.child('lun').path, s.lun, inclusiveRangeError(0, 255)));
    if ((s.chapAuthDiscovery || s.chapAuthSession) && !s.secretRef) e.push(fieldErrors.required(p.child('secretRef').path));
    if (s.initiatorName !== undefined) {
      iscsiName(s.initiatorName, p.child('initiatorname'), 'must be valid format starting with iqn, eui, or naa', e);
      if (`${volName}:${s.targetPortal ?? ''}`.length > 64) {
        e.push(fieldErrors.invalid(p.child('name').path, volName, 'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.'));
      }
    }
  },
  glusterfs: (s, p, e) => requiredStrings(s, ['endpoints', 'path'], p, e),
  rbd: (s, p, e) => {
    if (!s.monitors?.length) e.push(fieldErrors.required(p.child('monitors').path));
    requiredStrings(s, ['image'], p, e);
  },
  flexVolume: (s, p, e) => {
    requiredStrings(s, ['driver'], p, e);
    for (const k in s.options ?? {}) {
      const slash = k.indexOf('/');
      const ns = `.${(slash >= 0 ? k.slice(0, slash) : k).toLowerCase()}`;
      if (ns.endsWith('.kubernetes.io') || ns.endsWith('.k8s.io')) {
        e.push(fieldErrors.invalid(p.child('options').key(k).path, k, 'kubernetes.io and k8s.io namespaces are reserved'));
      }
    }
  },
  cinder: (s, p, e) => {
    requiredStrings(s, ['volumeID'], p, e);
    if (s.secretRef && !s.secretRef.name) e.push(fieldErrors.required(p.child('secretRef').child('name').path));
  },
  cephfs: (s, p, e) => {
    if (!s.monitors?.length) e.push(fieldErrors.required(p.child('monitors').path));
  },
  flocker: (s, p, e) => {
    if (!s.datasetName && !s.datasetUUID) e.push(fieldErrors.required(p.path, 'one of datasetName and datasetUUID is required'));
    if (s.datasetName && s.datasetUUID) e.push(fieldErrors.invalid(p.path, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
    if ((s.datasetName ?? '').includes('/')) e.push(fieldErrors.invalid(p.child('datasetName').path, s.datasetName, "must not contain '/'"));
  },
  fc: (s, p, e) => {
    const wwns = s.targetWWNs ?? [];
    const wwids = s.wwids ?? [];
    if (!wwns.length && !wwids.length) e.push(fieldErrors.required(p.child('targetWWNs').path, 'must specify either targetWWNs or wwids, but not both'));
    if (wwns.length && wwids.length) e.push(fieldErrors.invalid(p.child('targetWWNs').path, wwns, 'targetWWNs and wwids can not be specified simultaneously'));
    if (wwns.length) {
      if (s.lun === undefined) e.push(fieldErrors.required(p.child('lun').path, 'lun is required if targetWWNs is specified'));
      else if (s.lun < 0 || s.lun > 255) e.push(fieldErrors.invalid(p.child('lun').path, s.lun, inclusiveRangeError(0, 255)));
    }
  },
  azureFile: (s, p, e) => requiredStrings(s, ['secretName', 'shareName'], p, e),
  vsphereVolume: (s, p, e) => requiredStrings(s, ['volumePath'], p, e),
  quobyte: (s, p, e) => {
    if (!s.registry) e.push(fieldErrors.required(p.child('registry').path, 'must be a host:port pair or multiple pairs separated by commas'));
    else if ((s.tenant ?? '').length >= 65) e.push(fieldErrors.required(p.child('tenant').path, 'must be a UUID and may not exceed a length of 64 characters'));
    else {
      for (const pair of String(s.registry).split(',')) {
        if (!/^(\[[^\]]*\]|[^:]*):[^:]*$/.test(pair)) {
          e.push(fieldErrors.invalid(p.child('registry').path, s.registry, 'must be a host:port pair or multiple pairs separated by commas'));
        }
      }
    }
    requiredStrings(s, ['volume'], p, e);
  },
  azureDisk: (s, p, e) => {
    requiredStrings(s, ['diskName', 'diskURI'], p, e);
    if (s.cachingMode !== undefined && !['None', 'ReadOnly', 'ReadWrite'].includes(s.cachingMode)) {
      e.push(fieldErrors.notSupported(p.child('cachingMode').path, s.cachingMode, ['None', 'ReadOnly', 'ReadWrite']));
    }
    if (s.kind !== undefined && !['Dedicated', 'Managed', 'Shared'].includes(s.kind)) {
      e.push(fieldErrors.notSupported(p.child('kind').path, s.kind, ['Dedicated', 'Managed', 'Shared']));
    }
    const uri = s.diskURI ?? '';
    if (s.kind === 'Managed' && !uri.startsWith('/subscriptions/')) {
      e.push(fieldErrors.notSupported(p.child('diskURI').path, uri, ['/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}']));
    }
    if (s.kind !== undefined && s.kind !== 'Managed' && !uri.startsWith('https://')) {
      e.push(fieldErrors.notSupported(p.child('diskURI').path, uri, ['https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd']));
    }
  },
  photonPersistentDisk: (s, p, e) => requiredStrings(s, ['pdID'], p, e),
  portworxVolume: (s, p, e) => requiredStrings(s, ['volumeID'], p, e),
  scaleIO: (s, p, e) => requiredStrings(s, ['gateway', 'system', 'volumeName'], p, e),
  storageos: (s, p, e) => {
    if (!s.volumeName) e.push(fieldErrors.required(p.child('volumeName').path));
    else dnsLabel(s.volumeName, p.child('volumeName'), e);
    if (s.volumeNamespace) dnsLabel(s.volumeNamespace, p.child('volumeNamespace'), e);
    if (s.secretRef && !s.secretRef.name) e.push(fieldErrors.required(p.child('secretRef').child('name').path));
  },
};

/** Upstream validates some sources under a path that differs from their field name. */
const SOURCE_PATH: Record<string, string> = { gcePersistentDisk: 'persistentDisk' };
const MORE_THAN_ONE_PATH: Record<string, string> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };
/** The sources in the order upstream checks them (it reports every one after the first). */
const VOLUME_SOURCE_ORDER = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile',
  'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
] as const;

function validateProjectedSources(sources: any[], path: FieldPath, errs: Errs): void {
  const allPaths = new Set<string>();
  const claimPath = (p: string, bad: unknown) => {
    if (allPaths.has(p)) errs.push(fieldErrors.invalid(path.path, bad, 'conflicting duplicate paths'));
    else allPaths.add(p);
  };
  sources.forEach((source, i) => {
    let n = 0;
    const srcPath = path.child('sources').index(i);
    for (const kind of ['secret', 'configMap'] as const) {
      const s = source[kind];
      if (!s) continue;
      n++;
      const projPath = srcPath.child(kind);
      if (!s.name) errs.push(fieldErrors.required(projPath.child('name').path));
      (s.items ?? []).forEach((kp: { path?: string }, j: number) => {
        keyToPath(kp, projPath.child('items').index(j), errs);
        if (kp.path) claimPath(kp.path, s.name ?? '');
      });
    }
    if (source.downwardAPI) {
      n++;
      for (const file of source.downwardAPI.items ?? []) {
        downwardAPIVolumeFile(file, srcPath.child('downwardAPI'), errs);
        if (file.path) claimPath(file.path, file.path);
      }
    }
    const token = source.serviceAccountToken;
    if (token) {
      n++;
      const tokenPath = srcPath.child('serviceAccountToken');
      const exp = token.expirationSeconds ?? 0;
      if (exp < 600) errs.push(fieldErrors.invalid(tokenPath.child('expirationSeconds').path, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(fieldErrors.invalid(tokenPath.child('expirationSeconds').path, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!token.path) errs.push(fieldErrors.required(path.child('path').path));
      else localNonReservedPath(token.path, path.child('path'), errs);
    }
    const ctb = source.clusterTrustBundle;
    if (ctb) {
      n++;
      const ctbPath = srcPath.child('clusterTrustBundle');
      const usingName = ctb.name !== undefined;
      const usingSigner = ctb.signerName !== undefined;
      if (usingName && usingSigner) errs.push(fieldErrors.invalid(ctbPath.path, ctb, 'only one of name and signerName may be used'));
      else if (usingName) {
        if (!ctb.name) errs.push(fieldErrors.required(ctbPath.child('name').path, 'must be a valid object name'));
        if (ctb.labelSelector) errs.push(fieldErrors.invalid(ctbPath.child('labelSelector').path, ctb.labelSelector, 'labelSelector must be unset if name is specified'));
      } else if (usingSigner) {
        if (!ctb.signerName) errs.push(fieldErrors.required(ctbPath.child('signerName').path, 'must be a valid signer name'));
        errs.push(...validateLabelSelector(ctb.labelSelector, {}, ctbPath.child('labelSelector')));
      } else {
        errs.push(fieldErrors.required(ctbPath.path, 'either name or signerName must be specified'));
      }
      if (!ctb.path) errs.push(fieldErrors.required(ctbPath.child('path').path));
      localNonReservedPath(ctb.path ?? '', ctbPath.child('path'), errs);
      claimPath(ctb.path ?? '', ctb.path ?? '');
    }
    if (n > 1) errs.push(fieldErrors.forbidden(srcPath.path, 'may not specify more than 1 volume type per source'));
  });
}

function validateVolumeSource(v: AnyVolume, path: FieldPath, opts: PodValidationOptions): Errs {
  const errs: Errs = [];
  let count = 0;
  const src = v as Record<string, any>;
  for (const kind of VOLUME_SOURCE_ORDER) {
    const s = src[kind];
    if (s === undefined || s === null) continue;
    if (count > 0) {
      errs.push(fieldErrors.forbidden(path.child(MORE_THAN_ONE_PATH[kind] ?? kind).path, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const p = path.child(SOURCE_PATH[kind] ?? kind);
    switch (kind) {
      case 'emptyDir': {
        const limit = parseQ(s.sizeLimit);
        if (limit && limit.cmp(ZERO) < 0) errs.push(fieldErrors.forbidden(p.child('sizeLimit').path, 'SizeLimit field must be a valid resource quantity'));
        break;
      }
      case 'hostPath':
        if (!s.path) {
          errs.push(fieldErrors.required(p.child('path').path));
          break;
        }
        pathNoBacksteps(s.path, p.child('path'), errs);
        if (s.type !== undefined && s.type !== null && !SUPPORTED_HOST_PATH_TYPES.includes(s.type)) {
          errs.push(fieldErrors.notSupported(p.child('type').path, s.type, SUPPORTED_HOST_PATH_TYPES));
        }
        break;
      case 'secret':
        if (!s.secretName) errs.push(fieldErrors.required(p.child('secretName').path));
        fileMode(s.defaultMode, p.child('defaultMode'), errs);
        (s.items ?? []).forEach((kp: object, i: number) => keyToPath(kp, p.child('items').index(i), errs));
        break;
      case 'configMap':
        if (!s.name) errs.push(fieldErrors.required(p.child('name').path));
        fileMode(s.defaultMode, p.child('defaultMode'), errs);
        (s.items ?? []).forEach((kp: object, i: number) => keyToPath(kp, p.child('items').index(i), errs));
        break;
      case 'nfs':
        requiredStrings(s, ['server', 'path'], p, errs);
        if (!isAbsolutePath(s.path ?? '')) errs.push(fieldErrors.invalid(p.child('path').path, s.path ?? '', 'must be an absolute path'));
        break;
      case 'persistentVolumeClaim':
        if (!s.claimName) errs.push(fieldErrors.required(p.child('claimName').path));
        break;
      case 'downwardAPI':
        fileMode(s.defaultMode, p.child('defaultMode'), errs);
        for (const file of s.items ?? []) downwardAPIVolumeFile(file, p, errs);
        break;
      case 'projected':
        fileMode(s.defaultMode, p.child('defaultMode'), errs);
        validateProjectedSources(s.sources ?? [], p, errs);
        break;
      case 'csi':
        validateCSIDriverName(s.driver ?? '', p.child('driver'), errs);
        if (s.nodePublishSecretRef) {
          if (!s.nodePublishSecretRef.name) errs.push(fieldErrors.required(p.child('nodePublishSecretRef').child('name').path));
          else for (const msg of nameIsDNSSubdomain(s.nodePublishSecretRef.name, false)) errs.push(fieldErrors.invalid(p.child('name').path, s.nodePublishSecretRef.name, msg));
        }
        break;
      case 'ephemeral':
        validateEphemeralSource(s, p, v.name ?? '', path, opts, errs);
        break;
      case 'image':
        if (!s.reference) errs.push(fieldErrors.required(p.child('reference').path));
        else if (s.reference.trim() !== s.reference) errs.push(fieldErrors.invalid(p.child('reference').path, s.reference, 'must not have leading or trailing whitespace'));
        if (s.pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(s.pullPolicy)) {
          errs.push(fieldErrors.notSupported(p.child('pullPolicy').path, s.pullPolicy, ['Always', 'IfNotPresent', 'Never']));
        }
        break;
      default:
        legacySourceChecks[kind]?.(s, p, errs, v.name ?? '');
    }
  }
  if (count === 0) errs.push(fieldErrors.required(path.path, 'must specify a volume type'));
  return errs;
}

function validateCSIDriverName(driver: string, path: FieldPath, errs: Errs): void {
  if (!driver) errs.push(fieldErrors.required(path.path));
  if (driver.length > 63) errs.push(fieldErrors.tooLong(path.path, 63));
  for (const msg of isDNS1123Subdomain(driver.toLowerCase())) errs.push(fieldErrors.invalid(path.path, driver, msg));
}

function validateEphemeralSource(s: any, p: FieldPath, volName: string, volPath: FieldPath, opts: PodValidationOptions, errs: Errs): void {
  const template = s.volumeClaimTemplate;
  if (!template) {
    errs.push(fieldErrors.required(p.child('volumeClaimTemplate').path));
  } else {
    const tp = p.child('volumeClaimTemplate');
    errs.push(...validateTemplateObjectMeta(template.metadata ?? {}, tp.child('metadata')));
    const spec = template.spec ?? {};
    if (!spec.accessModes?.length) errs.push(fieldErrors.required(tp.child('spec').child('accessModes').path, 'at least 1 access mode is required'));
    if (spec.resources?.requests?.storage === undefined) errs.push(fieldErrors.required(tp.child('spec').child('resources').key('storage').path));
  }
  const podName = opts.podMeta?.name;
  if (podName && volName) {
    const pvcName = `${podName}-${volName}`;
    for (const msg of nameIsDNSSubdomain(pvcName, false)) errs.push(fieldErrors.invalid(volPath.child('name').path, volName, `PVC name ${JSON.stringify(pvcName)}: ${msg}`));
  }
}

/** Template metadata (ephemeral claims) may only carry labels and annotations. */
function validateTemplateObjectMeta(meta: Record<string, unknown>, path: FieldPath): Errs {
  const errs = validateAnnotations(meta.annotations as Record<string, string>, path.child('annotations'));
  errs.push(...validateLabels(meta.labels as Record<string, string>, path.child('labels')));
  for (const k of Object.keys(meta)) {
    if (k !== 'labels' && k !== 'annotations' && !isEmptyValue(meta[k])) errs.push(fieldErrors.forbidden(path.child(k).path, 'cannot be set'));
  }
  return errs;
}

/** ValidateVolumes: the volumes by name, for the mounts to refer to. */
function validateVolumes(volumes: AnyVolume[], path: FieldPath, opts: PodValidationOptions, errs: Errs): Map<string, AnyVolume> {
  const byName = new Map<string, AnyVolume>();
  const createdClaims = new Set<string>();
  const podName = opts.podMeta?.name;
  if (podName) for (const v of volumes) if (v.ephemeral) createdClaims.add(`${podName}-${v.name}`);
  volumes.forEach((v, i) => {
    const p = path.index(i);
    const namePath = p.child('name');
    const el = validateVolumeSource(v, p, opts);
    const name = v.name ?? '';
    if (!name) el.push(fieldErrors.required(namePath.path));
    else dnsLabel(name, namePath, el);
    if (byName.has(name)) el.push(fieldErrors.duplicate(namePath.path, name));
    if (el.length === 0) byName.set(name, v);
    else errs.push(...el);
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim && createdClaims.has(claim)) {
      errs.push(fieldErrors.invalid(p.child('persistentVolumeClaim').child('claimName').path, claim, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return byName;
}

// ---------------------------------------------------------------- containers

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims',
  'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const HUGEPAGES_PREFIX = 'hugepages-';
const RELAXED_ENV_NAME_MESSAGE = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/** Resources named without a `/`, or in the kubernetes.io domain. */
function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Resources whose requests may be below their limits (all native ones but huge pages). */
function validateContainerResourceName(name: string, path: FieldPath, errs: Errs): void {
  const before = errs.length;
  qualifiedName(name, path, errs);
  const plain = !name.includes('/');
  if (errs.length === before && plain && !STANDARD_RESOURCES.has(name) && !isHugePageResourceName(name) && !name.startsWith('requests.hugepages-')) {
    errs.push(fieldErrors.invalid(path.path, name, 'must be a standard resource type or fully qualified'));
  }
  if (plain) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) errs.push(fieldErrors.invalid(path.path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(fieldErrors.invalid(path.path, name, "doesn't follow extended resource name standard"));
  }
}

function validateResourceQuantityValue(name: string, q: Quantity, path: FieldPath, errs: Errs): void {
  if (q.cmp(ZERO) < 0) errs.push(fieldErrors.invalid(path.path, q.toString(), IS_NEGATIVE_ERROR_MSG));
  if ((INTEGER_RESOURCES.has(name) || isExtendedResource(name)) && q.milliValue() % 1000 !== 0) {
    errs.push(fieldErrors.invalid(path.path, q.toString(), 'must be an integer'));
  }
}

function hugePageValueDivisible(name: string, q: Quantity): boolean {
  const size = parseQ(name.slice(HUGEPAGES_PREFIX.length));
  if (!size || size.value() <= 0) return false;
  return q.value() % size.value() === 0;
}

/** ValidateContainerResourceRequirements: names, quantities, requests within limits, claims. */
function validateResourceRequirements(r: ResourceRequirements, podClaims: Set<string>, path: FieldPath, errs: Errs): void {
  const limits = r.limits ?? {};
  const requests = r.requests ?? {};
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  let cpuOrMemory = false;
  let hugePages = false;
  for (const name in limits) {
    const p = limPath.key(name);
    validateContainerResourceName(name, p, errs);
    const q = parseQ(limits[name]);
    if (!q) continue;
    validateResourceQuantityValue(name, q, p, errs);
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePageValueDivisible(name, q)) errs.push(fieldErrors.invalid(p.path, q.toString(), `${q.toString()} is not positive integer multiple of ${name}`));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const name in requests) {
    const p = reqPath.key(name);
    validateContainerResourceName(name, p, errs);
    const q = parseQ(requests[name]);
    if (!q) continue;
    validateResourceQuantityValue(name, q, p, errs);
    const limit = parseQ(limits[name]);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(fieldErrors.invalid(reqPath.path, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(fieldErrors.invalid(reqPath.path, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(fieldErrors.required(limPath.path, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) {
      hugePages = true;
      if (!hugePageValueDivisible(name, q)) errs.push(fieldErrors.invalid(p.path, q.toString(), `${q.toString()} is not positive integer multiple of ${name}`));
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errs.push(fieldErrors.forbidden(path.path, 'HugePages require cpu or memory'));
  validateResourceClaimNames(r.claims ?? [], podClaims, path.child('claims'), errs);
}

function validateResourceClaimNames(claims: { name?: string; request?: string }[], podClaims: Set<string>, path: FieldPath, errs: Errs): void {
  const names = new Set<string>();
  claims.forEach((claim, i) => {
    const name = claim.name ?? '';
    const p = path.index(i);
    if (!name) return void errs.push(fieldErrors.required(p.path));
    if (names.has(name)) errs.push(fieldErrors.duplicate(p.path, name));
    else {
      let key = name;
      if (claim.request) {
        dnsLabel(claim.request, p.child('request'), errs);
        key += `/${claim.request}`;
      }
      if (names.has(key)) errs.push(fieldErrors.duplicate(p.path, key));
      else if (!claim.request) {
        for (const k of names) if (k.startsWith(`${name}/`)) errs.push(fieldErrors.duplicate(p.path, name));
      }
      names.add(key);
    }
    if (!podClaims.has(name)) {
      const list = [...podClaims].sort();
      errs.push({
        type: 'FieldValueNotFound',
        field: p.path,
        badValue: name,
        detail: `must be one of the names in pod.spec.resourceClaims${list.length ? `: ${list.join(', ')}` : ' which is empty'}`,
      });
    }
  });
}

function validateContainerPorts(ports: NonNullable<Container['ports']>, path: FieldPath, errs: Errs): void {
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(fieldErrors.invalid(p.child('name').path, port.name, m));
      else if (names.has(port.name)) errs.push(fieldErrors.duplicate(p.child('name').path, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(p.child('containerPort').path));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(fieldErrors.invalid(p.child('containerPort').path, port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(fieldErrors.invalid(p.child('hostPort').path, port.hostPort, m));
    if (!port.protocol) errs.push(fieldErrors.required(p.child('protocol').path));
    else if (!SUPPORTED_PROTOCOLS.includes(port.protocol)) errs.push(fieldErrors.notSupported(p.child('protocol').path, port.protocol, SUPPORTED_PROTOCOLS));
  });
}

/** RelaxedEnvironmentVariableValidation (on by default in 1.32): printable ASCII, no `=`. */
function envVarName(name: string, path: FieldPath, errs: Errs): void {
  if (!/^[\x20-\x7e]*$/.test(name) || name.includes('=')) errs.push(fieldErrors.invalid(path.path, name, RELAXED_ENV_NAME_MESSAGE));
}

function keySelector(s: { name?: string; key?: string }, path: FieldPath, errs: Errs): void {
  for (const msg of nameIsDNSSubdomain(s.name ?? '', false)) errs.push(fieldErrors.invalid(path.child('name').path, s.name ?? '', msg));
  if (!s.key) errs.push(fieldErrors.required(path.child('key').path));
  else for (const msg of isConfigMapKey(s.key)) errs.push(fieldErrors.invalid(path.child('key').path, s.key, msg));
}

function validateEnv(env: NonNullable<Container['env']>, path: FieldPath, errs: Errs): void {
  env.forEach((ev, i) => {
    const p = path.index(i);
    if (!ev.name) errs.push(fieldErrors.required(p.child('name').path));
    else envVarName(ev.name, p.child('name'), errs);
    const from = ev.valueFrom;
    if (!from) return;
    const fp = p.child('valueFrom');
    let n = 0;
    if (from.fieldRef) {
      n++;
      objectFieldSelector(from.fieldRef, ENV_DOWNWARD_API_FIELDS, fp.child('fieldRef'), errs);
    }
    if (from.resourceFieldRef) {
      n++;
      resourceFieldSelector(from.resourceFieldRef, fp.child('resourceFieldRef'), false, errs);
    }
    if (from.configMapKeyRef) {
      n++;
      keySelector(from.configMapKeyRef, fp.child('configMapKeyRef'), errs);
    }
    if (from.secretKeyRef) {
      n++;
      keySelector(from.secretKeyRef, fp.child('secretKeyRef'), errs);
    }
    if (n === 0) errs.push(fieldErrors.invalid(fp.path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(fieldErrors.invalid(fp.path, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(fieldErrors.invalid(fp.path, '', 'may not have more than one field specified at a time'));
  });
}

function validateEnvFrom(envFrom: NonNullable<Container['envFrom']>, path: FieldPath, errs: Errs): void {
  envFrom.forEach((ev, i) => {
    const p = path.index(i);
    if (ev.prefix) envVarName(ev.prefix, p.child('prefix'), errs);
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[kind];
      if (!ref) continue;
      n++;
      if (!ref.name) errs.push(fieldErrors.required(p.child(kind).child('name').path));
      else for (const msg of nameIsDNSSubdomain(ref.name, true)) errs.push(fieldErrors.invalid(p.child(kind).child('name').path, ref.name, msg));
    }
    if (n === 0) errs.push(fieldErrors.invalid(path.path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(fieldErrors.invalid(path.path, '', 'may not have more than one field specified at a time'));
  });
}

function validateVolumeMounts(c: AnyContainer, volumes: Map<string, AnyVolume>, path: FieldPath, errs: Errs): void {
  const devices = new Map((c.volumeDevices ?? []).map((d) => [d.name, d.devicePath]));
  const devicePaths = new Set(devices.values());
  const mountPoints = new Set<string>();
  const privileged = c.securityContext?.privileged === true;
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = path.index(i);
    const mount = m as typeof m & { recursiveReadOnly?: string };
    if (!m.name) errs.push(fieldErrors.required(p.child('name').path));
    if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(p.child('name').path, m.name));
    if (!m.mountPath) errs.push(fieldErrors.required(p.child('mountPath').path));
    if (mountPoints.has(m.mountPath)) errs.push(fieldErrors.invalid(p.child('mountPath').path, m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (devices.has(m.name)) errs.push(fieldErrors.invalid(p.child('name').path, m.name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(m.mountPath)) errs.push(fieldErrors.invalid(p.child('mountPath').path, m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (volumes.get(m.name)?.image) {
      if (m.subPath) errs.push(fieldErrors.invalid(p.child('subPath').path, m.subPath, 'not allowed in image volume sources'));
      if (m.subPathExpr) errs.push(fieldErrors.invalid(p.child('subPathExpr').path, m.subPathExpr, 'not allowed in image volume sources'));
    }
    // Upstream reports the subPath errors under the list's path, not the item's.
    if (m.subPath) localDescendingPath(m.subPath, path.child('subPath'), errs);
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fieldErrors.invalid(p.child('subPathExpr').path, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      localDescendingPath(m.subPathExpr, path.child('subPathExpr'), errs);
    }
    const propagation = m.mountPropagation;
    if (propagation !== undefined) {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(propagation)) errs.push(fieldErrors.notSupported(path.child('mountPropagation').path, propagation, supported));
      if (propagation === 'Bidirectional' && !privileged) {
        errs.push(fieldErrors.forbidden(path.child('mountPropagation').path, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const rro = mount.recursiveReadOnly;
    if (rro !== undefined && rro !== 'Disabled') {
      const rroPath = path.child('recursiveReadOnly').path;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (!m.readOnly) errs.push(fieldErrors.forbidden(rroPath, 'may only be specified when readOnly is true'));
        if (propagation !== undefined && propagation !== 'None') errs.push(fieldErrors.forbidden(rroPath, 'may only be specified when mountPropagation is None or not specified'));
      } else {
        errs.push(fieldErrors.notSupported(rroPath, rro, ['Disabled', 'Enabled', 'IfPossible']));
      }
    }
  });
}

function validateVolumeDevices(c: AnyContainer, volumes: Map<string, AnyVolume>, path: FieldPath, errs: Errs): void {
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
  const mountPaths = new Set(mounts.values());
  const paths = new Set<string>();
  const names = new Set<string>();
  (c.volumeDevices ?? []).forEach((d, i) => {
    const p = path.index(i);
    const vol = volumes.get(d.name);
    if (!d.name) errs.push(fieldErrors.required(p.child('name').path));
    if (names.has(d.name)) errs.push(fieldErrors.invalid(p.child('name').path, d.name, 'must be unique'));
    if (vol && !vol.persistentVolumeClaim && !vol.ephemeral) {
      errs.push(fieldErrors.invalid(p.child('name').path, d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!vol) errs.push(fieldErrors.notFound(p.child('name').path, d.name));
    if (!d.devicePath) errs.push(fieldErrors.required(p.child('devicePath').path));
    if (paths.has(d.devicePath)) errs.push(fieldErrors.invalid(p.child('devicePath').path, d.devicePath, 'must be unique'));
    if (d.devicePath && d.devicePath.replace(/\\/g, '/').split('/').includes('..')) {
      errs.push(fieldErrors.invalid(p.child('devicePath').path, d.devicePath, "can not contain backsteps ('..')"));
    } else paths.add(d.devicePath);
    if (mounts.has(d.name)) errs.push(fieldErrors.invalid(p.child('name').path, d.name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(d.devicePath)) errs.push(fieldErrors.invalid(p.child('devicePath').path, d.devicePath, 'must not already exist as a path in volumeMounts'));
    if (d.name) names.add(d.name);
  });
}

function portNumOrName(port: number | string | undefined, path: FieldPath, errs: Errs): void {
  if (typeof port === 'string') for (const m of isValidPortName(port)) errs.push(fieldErrors.invalid(path.path, port, m));
  else for (const m of isValidPortNum(port ?? 0)) errs.push(fieldErrors.invalid(path.path, port ?? 0, m));
}

type Handler = { exec?: { command?: string[] }; httpGet?: any; tcpSocket?: any; grpc?: any; sleep?: { seconds?: number } };

function validateHandler(h: Handler, grace: number | undefined, path: FieldPath, errs: Errs): void {
  let n = 0;
  const one = (name: keyof Handler, check: (p: FieldPath) => void) => {
    if (h[name] === undefined || h[name] === null) return;
    if (n > 0) return void errs.push(fieldErrors.forbidden(path.child(name).path, 'may not specify more than 1 handler type'));
    n++;
    check(path.child(name));
  };
  one('exec', (p) => {
    if (!h.exec!.command?.length) errs.push(fieldErrors.required(p.child('command').path));
  });
  one('httpGet', (p) => {
    const g = h.httpGet;
    if (!g.path) errs.push(fieldErrors.required(p.child('path').path));
    portNumOrName(g.port, p.child('port'), errs);
    if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') errs.push(fieldErrors.notSupported(p.child('scheme').path, g.scheme ?? '', ['HTTP', 'HTTPS']));
    for (const header of g.httpHeaders ?? []) for (const m of isHTTPHeaderName(header.name ?? '')) errs.push(fieldErrors.invalid(p.child('httpHeaders').path, header.name ?? '', m));
  });
  one('tcpSocket', (p) => portNumOrName(h.tcpSocket.port, p.child('port'), errs));
  one('grpc', (p) => portNumOrName(h.grpc.port ?? 0, p.child('port'), errs));
  one('sleep', (p) => {
    const s = h.sleep!.seconds ?? 0;
    if (grace !== undefined && (s <= 0 || s > grace)) {
      errs.push(
        fieldErrors.invalid(
          p.path,
          s,
          `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
        ),
      );
    }
  });
  if (n === 0) errs.push(fieldErrors.required(path.path, 'must specify a handler type'));
}

function validateProbe(probe: Probe | undefined, grace: number | undefined, path: FieldPath, kind: 'liveness' | 'readiness' | 'startup', errs: Errs): void {
  if (!probe) return;
  validateHandler({ exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc }, grace, path, errs);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegativeField(probe[f] ?? 0, path.child(f)));
  }
  const tgp = probe.terminationGracePeriodSeconds;
  if (tgp !== undefined && tgp <= 0) errs.push(fieldErrors.invalid(path.child('terminationGracePeriodSeconds').path, tgp, 'must be greater than 0'));
  if (kind === 'readiness' && tgp !== undefined) {
    errs.push(fieldErrors.invalid(path.child('terminationGracePeriodSeconds').path, tgp, 'must not be set for readinessProbes'));
  }
  if (kind !== 'readiness' && probe.successThreshold !== 1) errs.push(fieldErrors.invalid(path.child('successThreshold').path, probe.successThreshold ?? 0, 'must be 1'));
}

function validateLifecycleAndProbes(c: AnyContainer, grace: number | undefined, path: FieldPath, errs: Errs): void {
  if (c.lifecycle) {
    if (c.lifecycle.postStart) validateHandler(c.lifecycle.postStart, grace, path.child('lifecycle').child('postStart'), errs);
    if (c.lifecycle.preStop) validateHandler(c.lifecycle.preStop, grace, path.child('lifecycle').child('preStop'), errs);
  }
  validateProbe(c.livenessProbe, grace, path.child('livenessProbe'), 'liveness', errs);
  validateProbe(c.readinessProbe, grace, path.child('readinessProbe'), 'readiness', errs);
  validateProbe(c.startupProbe, grace, path.child('startupProbe'), 'startup', errs);
}

function validateResizePolicy(policies: { resourceName?: string; restartPolicy?: string }[], path: FieldPath, podRestartPolicy: string | undefined, errs: Errs): void {
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const name = p.resourceName ?? '';
    if (seen.has(name)) errs.push(fieldErrors.duplicate(path.index(i).path, name));
    seen.add(name);
    if (!name) errs.push(fieldErrors.required(path.path));
    else if (name !== 'cpu' && name !== 'memory') errs.push(fieldErrors.notSupported(path.path, name, ['cpu', 'memory']));
    const rp = p.restartPolicy ?? '';
    if (!rp) errs.push(fieldErrors.required(path.path));
    else if (rp !== 'NotRequired' && rp !== 'RestartContainer') errs.push(fieldErrors.notSupported(path.path, rp, ['NotRequired', 'RestartContainer']));
    if (podRestartPolicy === 'Never' && rp !== 'NotRequired') errs.push(fieldErrors.invalid(path.path, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  });
}

function validateIDs(sc: { runAsUser?: number; runAsGroup?: number }, path: FieldPath, errs: Errs): void {
  for (const f of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[f];
    if (v !== undefined && (v < 0 || v > MAX_INT32)) errs.push(fieldErrors.invalid(path.child(f).path, v, inclusiveRangeError(0, MAX_INT32)));
  }
}

function validateSeccompProfile(sp: { type?: string; localhostProfile?: string } | undefined, path: FieldPath, errs: Errs): void {
  if (!sp) return;
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(fieldErrors.required(path.child('type').path, 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(fieldErrors.notSupported(path.child('type').path, sp.type, types));
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined) errs.push(fieldErrors.required(path.child('localhostProfile').path, 'must be set when seccomp type is Localhost'));
    else localDescendingPath(sp.localhostProfile, path.child('localhostProfile'), errs);
  } else if (sp.localhostProfile !== undefined) {
    errs.push(fieldErrors.invalid(path.child('localhostProfile').path, sp, 'can only be set when seccomp type is Localhost'));
  }
}

function validateAppArmorProfile(ap: { type?: string; localhostProfile?: string } | undefined, path: FieldPath, errs: Errs): void {
  if (!ap) return;
  switch (ap.type) {
    case 'Localhost': {
      const lp = ap.localhostProfile;
      if (lp === undefined) errs.push(fieldErrors.required(path.child('localhostProfile').path, 'must be set when AppArmor type is Localhost'));
      else {
        if (lp.trim() !== lp) errs.push(fieldErrors.invalid(path.child('localhostProfile').path, lp, 'must not be padded with whitespace'));
        else if (!lp) errs.push(fieldErrors.required(path.child('localhostProfile').path, 'must be set when AppArmor type is Localhost'));
        if (lp.length > 4095) errs.push(fieldErrors.tooLong(path.child('localhostProfile').path, 4095));
      }
      break;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      if (ap.localhostProfile !== undefined) errs.push(fieldErrors.invalid(path.child('localhostProfile').path, ap.localhostProfile, 'can only be set when AppArmor type is Localhost'));
      break;
    case undefined:
    case '':
      errs.push(fieldErrors.required(path.child('type').path, 'type is required when appArmorProfile is set'));
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('type').path, ap.type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  }
}

function validateWindowsOptions(w: { gmsaCredentialSpecName?: string; gmsaCredentialSpec?: string; runAsUserName?: string } | undefined, path: FieldPath, errs: Errs): void {
  if (!w) return;
  if (w.gmsaCredentialSpecName !== undefined) dnsSubdomain(w.gmsaCredentialSpecName, path.child('gmsaCredentialSpecName'), errs);
  if (w.gmsaCredentialSpec !== undefined) {
    if (w.gmsaCredentialSpec.length === 0) errs.push(fieldErrors.invalid(path.child('gmsaCredentialSpec').path, '', 'gmsaCredentialSpec cannot be an empty string'));
    else if (w.gmsaCredentialSpec.length > 64 * 1024) errs.push(fieldErrors.invalid(path.child('gmsaCredentialSpec').path, w.gmsaCredentialSpec, 'gmsaCredentialSpec size must be under 64 KiB'));
  }
  const user = w.runAsUserName;
  if (user === undefined) return;
  const p = path.child('runAsUserName').path;
  if (user.length === 0) return void errs.push(fieldErrors.invalid(p, user, 'runAsUserName cannot be an empty string'));
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(user)) return void errs.push(fieldErrors.invalid(p, user, 'runAsUserName cannot contain control characters'));
  const parts = user.split('\\');
  if (parts.length > 2) return void errs.push(fieldErrors.invalid(p, user, 'runAsUserName cannot contain more than one backslash'));
  const [domain, name] = parts.length === 1 ? ['', parts[0]] : parts;
  if (domain.length >= 256) errs.push(fieldErrors.invalid(p, user, "runAsUserName's Domain length must be under 256 characters"));
  const netBios = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
  const dnsLabelFmt = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
  const dns = new RegExp(`^${dnsLabelFmt}(?:\\.${dnsLabelFmt})*$`);
  if (parts.length === 2 && !netBios.test(domain) && !dns.test(domain)) errs.push(fieldErrors.invalid(p, user, "runAsUserName's Domain doesn't match the NetBios nor the DNS format"));
  if (name.length === 0) errs.push(fieldErrors.invalid(p, user, "runAsUserName's User cannot be empty"));
  else if (name.length > 104) errs.push(fieldErrors.invalid(p, user, "runAsUserName's User length must not be longer than 104 characters"));
  if (/^[. ]+$/.test(name)) errs.push(fieldErrors.invalid(p, user, "runAsUserName's User cannot contain only periods or spaces"));
  if (/["/\\:;|=,+*?<>@[\]]/.test(name)) errs.push(fieldErrors.invalid(p, user, `runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`));
}

function validateSecurityContext(sc: NonNullable<Container['securityContext']> | undefined, path: FieldPath, hostUsers: boolean, errs: Errs): void {
  if (!sc) return;
  validateIDs(sc, path, errs);
  if (sc.procMount !== undefined) {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') errs.push(fieldErrors.notSupported(path.child('procMount').path, sc.procMount, ['Default', 'Unmasked']));
    if (hostUsers && sc.procMount === 'Unmasked') errs.push(fieldErrors.invalid(path.child('procMount').path, sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile'), errs);
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errs.push(fieldErrors.invalid(path.path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(fieldErrors.invalid(path.path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  validateWindowsOptions(sc.windowsOptions, path.child('windowsOptions'), errs);
  validateAppArmorProfile(sc.appArmorProfile, path.child('appArmorProfile'), errs);
}

interface ContainerContext {
  volumes: Map<string, AnyVolume>;
  podClaims: Set<string>;
  restartPolicy: string | undefined;
  hostUsers: boolean;
}

/** validateContainerCommon: what every kind of container must satisfy. */
function validateContainerCommon(c: AnyContainer, ctx: ContainerContext, path: FieldPath, errs: Errs): void {
  if (!c.name) errs.push(fieldErrors.required(path.child('name').path));
  else dnsLabel(c.name, path.child('name'), errs);
  if (!c.image) errs.push(fieldErrors.required(path.child('image').path));
  const tmp = c.terminationMessagePolicy ?? '';
  if (!tmp) errs.push(fieldErrors.required(path.child('terminationMessagePolicy').path));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(fieldErrors.notSupported(path.child('terminationMessagePolicy').path, tmp, ['File', 'FallbackToLogsOnError']));
  validateContainerPorts(c.ports ?? [], path.child('ports'), errs);
  validateEnv(c.env ?? [], path.child('env'), errs);
  validateEnvFrom(c.envFrom ?? [], path.child('envFrom'), errs);
  validateVolumeMounts(c, ctx.volumes, path.child('volumeMounts'), errs);
  validateVolumeDevices(c, ctx.volumes, path.child('volumeDevices'), errs);
  const pull = c.imagePullPolicy ?? '';
  if (!pull) errs.push(fieldErrors.required(path.child('imagePullPolicy').path));
  else if (!PULL_POLICIES.includes(pull)) errs.push(fieldErrors.notSupported(path.child('imagePullPolicy').path, pull, PULL_POLICIES));
  validateResourceRequirements(c.resources ?? {}, ctx.podClaims, path.child('resources'), errs);
  validateResizePolicy(c.resizePolicy ?? [], path.child('resizePolicy'), ctx.restartPolicy, errs);
  validateSecurityContext(c.securityContext, path.child('securityContext'), ctx.hostUsers, errs);
}

/** Host ports must not collide (protocol, host IP and port). */
function accumulateHostPorts(containers: AnyContainer[], seen: Set<string>, path: FieldPath, errs: Errs): void {
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(fieldErrors.duplicate(path.index(ci).child('ports').index(pi).child('hostPort').path, key));
      else seen.add(key);
    });
  });
}

function validateContainers(containers: AnyContainer[], ctx: ContainerContext, grace: number | undefined, path: FieldPath, errs: Errs): void {
  if (containers.length === 0) return void errs.push(fieldErrors.required(path.path));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = path.index(i);
    validateContainerCommon(c, ctx, p, errs);
    if (names.has(c.name)) errs.push(fieldErrors.duplicate(p.child('name').path, c.name));
    else names.add(c.name);
    validateLifecycleAndProbes(c, grace, p, errs);
    if (c.restartPolicy !== undefined) errs.push(fieldErrors.forbidden(p.child('restartPolicy').path, 'may not be set for non-init containers'));
  });
  accumulateHostPorts(containers, new Set(), path, errs);
}

function validateInitContainers(inits: AnyContainer[], regular: AnyContainer[], ctx: ContainerContext, grace: number | undefined, path: FieldPath, errs: Errs): void {
  const names = new Set(regular.map((c) => c.name));
  inits.forEach((c, i) => {
    const p = path.index(i);
    validateContainerCommon(c, ctx, p, errs);
    let restartAlways = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(p.child('restartPolicy').path, c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(fieldErrors.duplicate(p.child('name').path, c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so their host ports are checked one container at a time.
    accumulateHostPorts([c], new Set(), path, errs);
    if (restartAlways) validateLifecycleAndProbes(c, grace, p, errs);
    else {
      const why = 'may not be set for init containers without restartPolicy=Always';
      if (c.lifecycle) errs.push(fieldErrors.forbidden(p.child('lifecycle').path, why));
      if (c.livenessProbe) errs.push(fieldErrors.forbidden(p.child('livenessProbe').path, why));
      if (c.readinessProbe) errs.push(fieldErrors.forbidden(p.child('readinessProbe').path, why));
      if (c.startupProbe) errs.push(fieldErrors.forbidden(p.child('startupProbe').path, why));
    }
    if (c.resizePolicy?.length) errs.push(fieldErrors.invalid(p.child('resizePolicy').path, c.resizePolicy, 'must not be set for init containers'));
  });
}

/** Fields an ephemeral container may carry; the others must stay unset. */
const EPHEMERAL_FORBIDDEN_FIELDS = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'] as const;

function validateEphemeralContainers(ecs: EphemeralContainer[], containers: AnyContainer[], inits: AnyContainer[], ctx: ContainerContext, path: FieldPath, errs: Errs): void {
  const others = new Set([...containers, ...inits].map((c) => c.name));
  const all = new Set(others);
  ecs.forEach((ec, i) => {
    const p = path.index(i);
    const c = ec as AnyContainer;
    validateContainerCommon(c, ctx, p, errs);
    imageWhitespace(c, p, errs);
    if (all.has(ec.name)) errs.push(fieldErrors.duplicate(p.child('name').path, ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push(fieldErrors.notFound(p.child('targetContainerName').path, ec.targetContainerName));
    for (const f of EPHEMERAL_FORBIDDEN_FIELDS) {
      if (!isEmptyValue((c as unknown as Record<string, unknown>)[f])) errs.push(fieldErrors.forbidden(p.child(f).path, 'cannot be set for an Ephemeral Container'));
    }
    (ec.volumeMounts ?? []).forEach((vm, j) => {
      if (vm.subPath) errs.push(fieldErrors.forbidden(p.child('volumeMounts').index(j).child('subPath').path, 'cannot be set for an Ephemeral Container'));
      if (vm.subPathExpr) errs.push(fieldErrors.forbidden(p.child('volumeMounts').index(j).child('subPathExpr').path, 'cannot be set for an Ephemeral Container'));
    });
  });
}

function imageWhitespace(c: { image?: string }, path: FieldPath, errs: Errs): void {
  const image = c.image ?? '';
  if (image.trim() !== image) errs.push(fieldErrors.invalid(path.child('image').path, image, 'must not have leading or trailing whitespace'));
}

// ---------------------------------------------------------------- scheduling

function validateNodeSelectorTerm(term: { matchExpressions?: any[]; matchFields?: any[] }, path: FieldPath, errs: Errs): void {
  (term.matchExpressions ?? []).forEach((rq, j) => {
    const p = path.child('matchExpressions').index(j);
    const values = rq.values ?? [];
    switch (rq.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(p.child('values').path, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(p.child('values').path, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) errs.push(fieldErrors.required(p.child('values').path, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(fieldErrors.invalid(p.child('operator').path, rq.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(rq.key ?? '', p.child('key')));
  });
  (term.matchFields ?? []).forEach((rq, j) => {
    const p = path.child('matchFields').index(j);
    if (rq.operator === 'In' || rq.operator === 'NotIn') {
      if ((rq.values ?? []).length !== 1) errs.push(fieldErrors.required(p.child('values').path, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else {
      errs.push(fieldErrors.invalid(p.child('operator').path, rq.operator ?? '', 'not a valid selector operator'));
    }
    if (rq.key !== 'metadata.name') errs.push(fieldErrors.invalid(p.child('key').path, rq.key ?? '', 'not a valid field selector key'));
    else (rq.values ?? []).forEach((v: string, k: number) => dnsSubdomain(v, p.child('values').index(k), errs));
  });
}

/** ValidateNodeSelector (a NodeSelector object, as in required node affinity). */
export function validateNodeSelector(ns: { nodeSelectorTerms?: any[] }, path: FieldPath): Errs {
  const errs: Errs = [];
  const termsPath = path.child('nodeSelectorTerms');
  if (!ns.nodeSelectorTerms?.length) return [fieldErrors.required(termsPath.path, 'must have at least one node selector term')];
  ns.nodeSelectorTerms.forEach((t, i) => validateNodeSelectorTerm(t, termsPath.index(i), errs));
  return errs;
}

function validateLabelKeys(keys: string[] | undefined, selector: LabelSelector | undefined, path: FieldPath, errs: Errs): void {
  if (!keys?.length) return;
  if (!selector) return void errs.push(fieldErrors.forbidden(path.path, 'must not be specified when labelSelector is not set'));
  keys.forEach((k, i) => errs.push(...validateLabelName(k, path.index(i))));
}

function validatePodAffinityTerm(term: any, path: FieldPath, errs: Errs): void {
  errs.push(...validateLabelSelector(term.labelSelector, {}, path.child('labelSelector')));
  errs.push(...validateLabelSelector(term.namespaceSelector, {}, path.child('namespaceSelector')));
  for (const ns of term.namespaces ?? []) for (const msg of validateNamespaceName(ns, false)) errs.push(fieldErrors.invalid(path.child('namespace').path, ns, msg));
  validateLabelKeys(term.matchLabelKeys, term.labelSelector, path.child('matchLabelKeys'), errs);
  validateLabelKeys(term.mismatchLabelKeys, term.labelSelector, path.child('mismatchLabelKeys'), errs);
  const selector: LabelSelector | undefined = term.labelSelector;
  if (selector) {
    const matchKeys = new Map<string, number>((term.matchLabelKeys ?? []).map((k: string, i: number) => [k, i]));
    const selectorKeys = new Set(Object.keys(selector.matchLabels ?? {}));
    for (const expr of selector.matchExpressions ?? []) {
      const i = matchKeys.get(expr.key);
      if (i !== undefined && selectorKeys.has(expr.key)) errs.push(fieldErrors.invalid(path.index(i).path, expr.key, 'exists in both matchLabelKeys and labelSelector'));
      selectorKeys.add(expr.key);
    }
  }
  const mismatch = new Set<string>(term.mismatchLabelKeys ?? []);
  (term.matchLabelKeys ?? []).forEach((k: string, i: number) => {
    if (mismatch.has(k)) errs.push(fieldErrors.invalid(path.child('matchLabelKeys').index(i).path, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  if (!term.topologyKey) errs.push(fieldErrors.required(path.child('topologyKey').path, 'can not be empty'));
  errs.push(...validateLabelName(term.topologyKey ?? '', path.child('topologyKey')));
}

function validatePodAffinityKind(a: any, path: FieldPath, errs: Errs): void {
  (a.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: any, i: number) =>
    validatePodAffinityTerm(t, path.child('requiredDuringSchedulingIgnoredDuringExecution').index(i), errs),
  );
  (a.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w: any, i: number) => {
    const p = path.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
    if (!(w.weight > 0 && w.weight <= 100)) errs.push(fieldErrors.invalid(p.child('weight').path, w.weight ?? 0, 'must be in the range 1-100'));
    validatePodAffinityTerm(w.podAffinityTerm ?? {}, p.child('podAffinityTerm'), errs);
  });
}

function validateAffinity(a: PodSpec['affinity'], path: FieldPath, errs: Errs): void {
  if (!a) return;
  const na = a.nodeAffinity;
  if (na) {
    const p = path.child('nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, p.child('requiredDuringSchedulingIgnoredDuringExecution')));
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      if (!(t.weight > 0 && t.weight <= 100)) errs.push(fieldErrors.invalid(tp.child('weight').path, t.weight ?? 0, 'must be in the range 1-100'));
      validateNodeSelectorTerm(t.preference ?? {}, tp.child('preference'), errs);
    });
  }
  if (a.podAffinity) validatePodAffinityKind(a.podAffinity, path.child('podAffinity'), errs);
  if (a.podAntiAffinity) validatePodAffinityKind(a.podAntiAffinity, path.child('podAntiAffinity'), errs);
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[], path: FieldPath): Errs {
  const errs: Errs = [];
  tolerations.forEach((t, i) => {
    const p = path.index(i);
    if (t.key) errs.push(...validateLabelName(t.key, p.child('key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(fieldErrors.invalid(p.child('operator').path, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(fieldErrors.invalid(p.child('effect').path, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(fieldErrors.invalid(p.child('operator').path, t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(fieldErrors.invalid(p.child('operator').path, t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(fieldErrors.notSupported(p.child('operator').path, t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(fieldErrors.notSupported(p.child('effect').path, t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateTopologySpreadConstraints(constraints: NonNullable<PodSpec['topologySpreadConstraints']>, path: FieldPath, errs: Errs): void {
  constraints.forEach((c, i) => {
    const p = path.index(i);
    if (!(c.maxSkew > 0)) errs.push(fieldErrors.invalid(p.child('maxSkew').path, c.maxSkew ?? 0, NOT_POSITIVE_ERROR));
    if (!c.topologyKey) errs.push(fieldErrors.required(p.child('topologyKey').path, 'can not be empty'));
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      errs.push(fieldErrors.notSupported(p.child('whenUnsatisfiable').path, c.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    }
    if (constraints.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(fieldErrors.duplicate(p.child('{topologyKey, whenUnsatisfiable}').path, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0) errs.push(fieldErrors.invalid(p.child('minDomains').path, c.minDomains, NOT_POSITIVE_ERROR));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(fieldErrors.invalid(p.child('minDomains').path, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
      }
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[f];
      if (v !== undefined && v !== 'Honor' && v !== 'Ignore') errs.push(fieldErrors.notSupported(p.child(f).path, v, ['Honor', 'Ignore']));
    }
    const keys = c.matchLabelKeys ?? [];
    if (keys.length) {
      const kp = p.child('matchLabelKeys');
      const selectorKeys = new Set<string>();
      if (c.labelSelector) {
        for (const k in c.labelSelector.matchLabels ?? {}) selectorKeys.add(k);
        for (const e of c.labelSelector.matchExpressions ?? []) selectorKeys.add(e.key);
      } else errs.push(fieldErrors.forbidden(kp.path, 'must not be specified when labelSelector is not set'));
      keys.forEach((k, j) => {
        errs.push(...validateLabelName(k, kp.index(j)));
        if (selectorKeys.has(k)) errs.push(fieldErrors.invalid(kp.index(j).path, k, 'exists in both matchLabelKeys and labelSelector'));
      });
    }
    errs.push(...validateLabelSelector(c.labelSelector, {}, p.child('labelSelector')));
  });
}

// ---------------------------------------------------------------- pod-level settings

const SYSCTL_SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_NAME = new RegExp(`^(${SYSCTL_SEGMENT}[\\./])*${SYSCTL_SEGMENT}$`);

/** The namespace a sysctl lives in, as component-helpers' GetNamespace. */
function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  const n = name.replace(/\//g, '.');
  if (n.startsWith('net.')) return 'net';
  if (n.startsWith('kernel.shm') || n.startsWith('kernel.msg') || n.startsWith('kernel.sem') || n.startsWith('fs.mqueue.')) return 'ipc';
  return undefined;
}

function validatePodSecurityContext(spec: PodSpec, path: FieldPath, errs: Errs): void {
  const sc = spec.securityContext as (PodSpec['securityContext'] & { supplementalGroupsPolicy?: string; seLinuxChangePolicy?: string }) | undefined;
  if (!sc) return;
  const groupRange = inclusiveRangeError(0, MAX_INT32);
  if (sc.fsGroup !== undefined && (sc.fsGroup < 0 || sc.fsGroup > MAX_INT32)) errs.push(fieldErrors.invalid(path.child('fsGroup').path, sc.fsGroup, groupRange));
  validateIDs(sc, path, errs);
  (sc.supplementalGroups ?? []).forEach((g, i) => {
    if (g < 0 || g > MAX_INT32) errs.push(fieldErrors.invalid(path.child('supplementalGroups').index(i).path, g, groupRange));
  });
  if (sc && spec.shareProcessNamespace && spec.hostPID) {
    errs.push(fieldErrors.invalid(path.child('shareProcessNamespace').path, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const names = new Set<string>();
  (sc.sysctls ?? []).forEach((s, i) => {
    const p = path.child('sysctls').index(i).child('name');
    if (!s.name) errs.push(fieldErrors.required(p.path));
    else if (s.name.length > 253 || !SYSCTL_NAME.test(s.name)) errs.push(fieldErrors.invalid(p.path, s.name, `must have at most 253 characters and match regex ${SYSCTL_NAME.source}`));
    else if (names.has(s.name)) errs.push(fieldErrors.duplicate(p.path, s.name));
    const ns = sysctlNamespace(s.name ?? '');
    if (spec.hostNetwork && ns === 'net') errs.push(fieldErrors.invalid(p.path, s.name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC && ns === 'ipc') errs.push(fieldErrors.invalid(p.path, s.name, "may not be specified when 'hostIPC' is true"));
    names.add(s.name);
  });
  if (sc.fsGroupChangePolicy !== undefined && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(fieldErrors.notSupported(path.child('fsGroupChangePolicy').path, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile'), errs);
  validateWindowsOptions(sc.windowsOptions, path.child('windowsOptions'), errs);
  validateAppArmorProfile(sc.appArmorProfile, path.child('appArmorProfile'), errs);
  if (sc.supplementalGroupsPolicy !== undefined && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy)) {
    errs.push(fieldErrors.notSupported(path.child('supplementalGroupsPolicy').path, sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  }
  if (sc.seLinuxChangePolicy !== undefined && !['MountOption', 'Recursive'].includes(sc.seLinuxChangePolicy)) {
    errs.push(fieldErrors.notSupported(path.child('seLinuxChangePolicy').path, sc.seLinuxChangePolicy, ['MountOption', 'Recursive']));
  }
}

function validateDNSConfig(spec: PodSpec, path: FieldPath, errs: Errs): void {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return void errs.push(fieldErrors.required(path.path, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    if (!cfg.nameservers?.length) return void errs.push(fieldErrors.required(path.child('nameservers').path, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!cfg) return;
  const ns = cfg.nameservers ?? [];
  if (ns.length > 3) errs.push(fieldErrors.invalid(path.child('nameservers').path, ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...isValidIP(path.child('nameservers').index(i), n)));
  const searches = cfg.searches ?? [];
  if (searches.length > 32) errs.push(fieldErrors.invalid(path.child('searches').path, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(fieldErrors.invalid(path.child('searches').path, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => dnsSubdomain(s.replace(/\.$/, ''), path.child('searches').index(i), errs));
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(fieldErrors.required(path.child('options').index(i).path, 'must not be empty'));
  });
}

/** OS-specific rules: Windows pods may not carry Linux-only settings and vice versa. */
function validateOS(spec: PodSpec, path: FieldPath, errs: Errs): void {
  const os = spec.os;
  if (!os) return;
  if (!os.name) return void errs.push(fieldErrors.required(path.child('os').child('name').path, 'cannot be empty'));
  if (os.name !== 'linux' && os.name !== 'windows') return void errs.push(fieldErrors.notSupported(path.child('os').path, os.name, ['linux', 'windows']));
  const sc = (spec.securityContext ?? {}) as Record<string, unknown>;
  const scPath = path.child('securityContext');
  const all = allContainers(spec, path);
  if (os.name === 'linux') {
    if (sc.windowsOptions) errs.push(fieldErrors.forbidden(scPath.child('windowsOptions').path, 'windows options cannot be set for a linux pod'));
    for (const [c, cp] of all) {
      if (c.securityContext?.windowsOptions) errs.push(fieldErrors.forbidden(cp.child('securityContext').child('windowsOptions').path, 'windows options cannot be set for a linux pod'));
    }
    return;
  }
  const why = 'cannot be set for a windows pod';
  for (const f of ['appArmorProfile', 'seLinuxOptions']) if (sc[f] !== undefined) errs.push(fieldErrors.forbidden(scPath.child(f).path, why));
  if (spec.hostUsers !== undefined) errs.push(fieldErrors.forbidden(path.child('hostUsers').path, why));
  if (spec.hostPID) errs.push(fieldErrors.forbidden(path.child('hostPID').path, why));
  if (spec.hostIPC) errs.push(fieldErrors.forbidden(path.child('hostIPC').path, why));
  for (const f of ['seccompProfile', 'fsGroup', 'fsGroupChangePolicy']) if (sc[f] !== undefined) errs.push(fieldErrors.forbidden(scPath.child(f).path, why));
  if ((sc.sysctls as unknown[] | undefined)?.length) errs.push(fieldErrors.forbidden(scPath.child('sysctls').path, why));
  if (spec.shareProcessNamespace !== undefined) errs.push(fieldErrors.forbidden(path.child('shareProcessNamespace').path, why));
  for (const f of ['runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy']) {
    if (sc[f] !== undefined) errs.push(fieldErrors.forbidden(scPath.child(f).path, why));
  }
  const containerFields = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];
  for (const [c, cp] of all) {
    const csc = c.securityContext as Record<string, unknown> | undefined;
    if (!csc) continue;
    for (const f of containerFields) if (csc[f] !== undefined) errs.push(fieldErrors.forbidden(cp.child('securityContext').child(f).path, why));
  }
}

/** Every container with its path: init, regular, then ephemeral (podshelper.VisitContainersWithPath). */
function allContainers(spec: PodSpec, path: FieldPath = new FieldPath('spec')): [AnyContainer, FieldPath][] {
  const out: [AnyContainer, FieldPath][] = [];
  (spec.initContainers ?? []).forEach((c, i) => out.push([c, path.child('initContainers').index(i)]));
  (spec.containers ?? []).forEach((c, i) => out.push([c, path.child('containers').index(i)]));
  (spec.ephemeralContainers ?? []).forEach((c, i) => out.push([c as AnyContainer, path.child('ephemeralContainers').index(i)]));
  return out;
}

function validateWindowsHostProcess(spec: PodSpec, path: FieldPath, errs: Errs): void {
  const podHP = spec.securityContext?.windowsOptions?.hostProcess;
  let count = 0;
  let hostProcess = 0;
  for (const [c, cp] of allContainers(spec, path)) {
    count++;
    const hp = c.securityContext?.windowsOptions?.hostProcess;
    if (podHP !== undefined && hp !== undefined && podHP !== hp) {
      errs.push(fieldErrors.invalid(cp.child('securityContext').child('windowsOptions').child('hostProcess').path, hp, `pod hostProcess value must be identical if both are specified, was ${podHP}`));
    }
    if (hp === true || (hp === undefined && podHP === true)) hostProcess++;
  }
  if (hostProcess === 0) return;
  if (hostProcess !== count) errs.push(fieldErrors.invalid(path.path, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
  if (!spec.hostNetwork) errs.push(fieldErrors.invalid(path.child('hostNetwork').path, false, 'hostNetwork must be true if pod contains any hostProcess containers'));
}

function validatePodResourceClaims(claims: NonNullable<PodSpec['resourceClaims']>, path: FieldPath, errs: Errs): void {
  const names = new Set<string>();
  claims.forEach((claim, i) => {
    const p = path.index(i);
    const c = claim as typeof claim & { resourceClaimName?: string; resourceClaimTemplateName?: string };
    if (!c.name) errs.push(fieldErrors.required(p.child('name').path));
    else if (names.has(c.name)) errs.push(fieldErrors.duplicate(p.child('name').path, c.name));
    else {
      dnsLabel(c.name, p.child('name'), errs);
      names.add(c.name);
    }
    const byName = c.resourceClaimName !== undefined;
    const byTemplate = c.resourceClaimTemplateName !== undefined;
    if (byName && byTemplate) errs.push(fieldErrors.invalid(p.path, c, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    if (!byName && !byTemplate) errs.push(fieldErrors.invalid(p.path, c, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    for (const f of ['resourceClaimName', 'resourceClaimTemplateName'] as const) {
      const v = c[f];
      if (v !== undefined) for (const msg of nameIsDNSSubdomain(v, false)) errs.push(fieldErrors.invalid(p.child(f).path, v, msg));
    }
  });
}

// ---------------------------------------------------------------- ValidatePodSpec

/** ValidatePodSpec: every rule a pod spec must satisfy, in a pod or in a template. */
export function validatePodSpec(spec: PodSpec, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const errs: Errs = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    errs.push(fieldErrors.required(path.child('terminationGracePeriodSeconds').path));
  }
  const grace = spec.terminationGracePeriodSeconds ?? undefined;
  const hostUsers = spec.hostUsers !== false;
  const volumes = validateVolumes((spec.volumes ?? []) as AnyVolume[], path.child('volumes'), opts, errs);
  const podClaims = new Set((spec.resourceClaims ?? []).map((c) => c.name).filter(Boolean));
  validatePodResourceClaims(spec.resourceClaims ?? [], path.child('resourceClaims'), errs);
  const ctx: ContainerContext = { volumes, podClaims, restartPolicy: spec.restartPolicy, hostUsers };
  const containers = (spec.containers ?? []) as AnyContainer[];
  const inits = (spec.initContainers ?? []) as AnyContainer[];
  validateContainers(containers, ctx, grace, path.child('containers'), errs);
  validateInitContainers(inits, containers, ctx, grace, path.child('initContainers'), errs);
  validateEphemeralContainers(spec.ephemeralContainers ?? [], containers, inits, ctx, path.child('ephemeralContainers'), errs);
  if (spec.hostNetwork) {
    containers.forEach((c, i) => {
      (c.ports ?? []).forEach((port, j) => {
        const hp = port.hostPort ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== port.containerPort) {
          errs.push(fieldErrors.invalid(path.child('containers').index(i).child('ports').index(j).child('hostPort').path, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  const rp = spec.restartPolicy ?? '';
  if (!rp) errs.push(fieldErrors.required(path.child('restartPolicy').path));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(fieldErrors.notSupported(path.child('restartPolicy').path, rp, ['Always', 'OnFailure', 'Never']));
  const dp = spec.dnsPolicy ?? '';
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dp) errs.push(fieldErrors.required(path.child('dnsPolicy').path));
  else if (!dnsPolicies.includes(dp)) errs.push(fieldErrors.notSupported(path.child('dnsPolicy').path, dp, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  validatePodSecurityContext(spec, path.child('securityContext'), errs);
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (Object.keys(s).some((k) => k !== 'name')) errs.push(fieldErrors.invalid(path.child('imagePullSecrets').index(i).path, s, 'only name may be set'));
  });
  validateAffinity(spec.affinity, path.child('affinity'), errs);
  validateDNSConfig(spec, path.child('dnsConfig'), errs);
  (spec.readinessGates ?? []).forEach((g, i) => qualifiedName(g.conditionType ?? '', path.child('readinessGates').index(i).child('conditionType'), errs));
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    qualifiedName(g.name ?? '', path.child('schedulingGates').index(i), errs);
    if (gates.has(g.name)) errs.push(fieldErrors.duplicate(path.child('schedulingGates').index(i).path, g.name));
    gates.add(g.name);
  });
  validateTopologySpreadConstraints(spec.topologySpreadConstraints ?? [], path.child('topologySpreadConstraints'), errs);
  validateWindowsHostProcess(spec, path, errs);
  if (!hostUsers) {
    const why = 'when `pod.Spec.HostUsers` is false';
    if (spec.hostNetwork) errs.push(fieldErrors.forbidden(path.child('hostNetwork').path, why));
    if (spec.hostPID) errs.push(fieldErrors.forbidden(path.child('HostPID').path, why));
    if (spec.hostIPC) errs.push(fieldErrors.forbidden(path.child('HostIPC').path, why));
  }
  if (spec.serviceAccountName) dnsSubdomainName(spec.serviceAccountName, path.child('serviceAccountName'), errs);
  if (spec.nodeName) dnsSubdomainName(spec.nodeName, path.child('nodeName'), errs);
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (ads < 1 || ads > MAX_INT32)) {
    errs.push(fieldErrors.invalid(path.child('activeDeadlineSeconds').path, ads, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) dnsLabel(spec.hostname, path.child('hostname'), errs);
  if (spec.subdomain) dnsLabel(spec.subdomain, path.child('subdomain'), errs);
  if (spec.tolerations?.length) errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  (spec.hostAliases ?? []).forEach((h, i) => {
    const p = path.child('hostAliases').index(i);
    errs.push(...isValidIP(p.child('ip'), h.ip ?? ''));
    (h.hostnames ?? []).forEach((n, j) => dnsSubdomain(n, p.child('hostnames').index(j), errs));
  });
  if (spec.priorityClassName) dnsSubdomainName(spec.priorityClassName, path.child('priorityClassName'), errs);
  if (spec.runtimeClassName !== undefined && spec.runtimeClassName !== null) dnsSubdomainName(spec.runtimeClassName, path.child('runtimeClassName'), errs);
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    if (!spec.preemptionPolicy) errs.push(fieldErrors.required(path.child('preemptionPolicy').path));
    else if (!['PreemptLowerPriority', 'Never'].includes(spec.preemptionPolicy)) {
      errs.push(fieldErrors.notSupported(path.child('preemptionPolicy').path, spec.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
    }
  }
  if (spec.overhead) validateResourceRequirements({ limits: spec.overhead }, new Set(), path.child('overhead'), errs);
  validateOS(spec, path, errs);
  return errs;
}

function dnsSubdomainName(value: string, path: FieldPath, errs: Errs): void {
  for (const msg of nameIsDNSSubdomain(value, false)) errs.push(fieldErrors.invalid(path.path, value, msg));
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function validateSeccompAnnotation(value: string, path: FieldPath, errs: Errs): void {
  if (value === 'runtime/default' || value === 'docker/default' || value === 'unconfined') return;
  if (value.startsWith('localhost/')) return localDescendingPath(value.slice('localhost/'.length), path, errs);
  errs.push(fieldErrors.invalid(path.path, value, 'must be a valid seccomp profile'));
}

/** ValidatePodSpecificAnnotations: mirror pods, deletion cost, seccomp and AppArmor annotations. */
export function validatePodSpecificAnnotations(annotations: Record<string, string> | undefined, spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: Errs = [];
  if (!annotations) return errs;
  const mirror = annotations[MIRROR_POD_ANNOTATION];
  if (mirror !== undefined && !spec.nodeName) errs.push(fieldErrors.invalid(path.key(MIRROR_POD_ANNOTATION).path, mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  const cost = annotations[POD_DELETION_COST_ANNOTATION];
  if (cost !== undefined && !(/^[+-]?\d+$/.test(cost) && Number(cost) >= -(2 ** 31) && Number(cost) <= MAX_INT32)) {
    errs.push(fieldErrors.invalid(path.key(POD_DELETION_COST_ANNOTATION).path, cost, 'must be a 32bit integer'));
  }
  for (const k in annotations) {
    if (k === SECCOMP_POD_ANNOTATION || k.startsWith(SECCOMP_CONTAINER_ANNOTATION_PREFIX)) validateSeccompAnnotation(annotations[k], path.child(k), errs);
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX)) {
      const name = k.slice(APPARMOR_ANNOTATION_PREFIX.length);
      if (!allContainers(spec).some(([c]) => c.name === name)) errs.push(fieldErrors.invalid(path.key(k).path, name, 'container not found'));
      const v = annotations[k];
      if (v && v !== 'runtime/default' && v !== 'unconfined' && !v.startsWith('localhost/')) {
        errs.push(fieldErrors.invalid(path.key(k).path, v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
      }
    }
  }
  return errs;
}

/** ValidatePodTemplateSpec: a template's labels, annotations and pod spec; no ephemeral containers. */
export function validatePodTemplateSpec(t: PodTemplateSpec | undefined, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const template = t ?? {};
  const meta = template.metadata ?? {};
  const spec = template.spec ?? ({ containers: [] } as PodSpec);
  const errs = validateLabels(meta.labels, path.child('labels'));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, spec, path.child('annotations')));
  errs.push(...validatePodSpec(spec, path.child('spec'), { ...opts, resourceIsPod: false }));
  if (spec.ephemeralContainers?.length) errs.push(fieldErrors.forbidden(path.child('spec').child('ephemeralContainers').path, 'ephemeral containers not allowed in pod template'));
  return errs;
}

// ---------------------------------------------------------------- pod updates

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** A short, go-cmp-like diff of the top-level fields of two pod specs. */
function podSpecDiff(old: PodSpec, munged: PodSpec): string {
  const lines = ['  core.PodSpec{'];
  const keys = new Set([...Object.keys(old), ...Object.keys(munged)]);
  for (const k of keys) {
    const a = (old as unknown as Record<string, unknown>)[k];
    const b = (munged as unknown as Record<string, unknown>)[k];
    if (semanticEqual(a, b)) continue;
    if (a !== undefined) lines.push(`- \t${k}: ${JSON.stringify(a)},`);
    if (b !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(b)},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

function containerUpdates(now: AnyContainer[], before: AnyContainer[], path: FieldPath, errs: Errs): boolean {
  if (now.length !== before.length) {
    errs.push(fieldErrors.forbidden(path.path, 'pod updates may not add or remove containers'));
    return false;
  }
  now.forEach((c, i) => {
    if (!c.image) errs.push(fieldErrors.required(path.index(i).child('image').path));
    imageWhitespace(c, path.index(i), errs);
  });
  return true;
}

/** Tolerations may only be added; an existing one may change only its tolerationSeconds. */
function validateOnlyAddedTolerations(now: Toleration[], before: Toleration[], path: FieldPath, errs: Errs): void {
  for (const old of before) {
    const found = now.some((t) => semanticEqual({ ...old, tolerationSeconds: undefined }, { ...t, tolerationSeconds: undefined }));
    if (!found) {
      errs.push(fieldErrors.forbidden(path.path, 'existing toleration can not be modified except its tolerationSeconds'));
      return;
    }
  }
  errs.push(...validateTolerations(now, path));
}

/**
 * ValidatePodUpdate's spec rules: only images, activeDeadlineSeconds (down or from unset),
 * added tolerations, removed scheduling gates, a negative grace period raised to 1, and for
 * gated pods additions to nodeSelector and node affinity may change.
 */
export function validatePodSpecUpdate(now: PodSpec, before: PodSpec, path: FieldPath = new FieldPath('spec')): FieldError[] {
  const errs: Errs = [];
  const nowContainers = (now.containers ?? []) as AnyContainer[];
  const nowInits = (now.initContainers ?? []) as AnyContainer[];
  if (!containerUpdates(nowContainers, (before.containers ?? []) as AnyContainer[], path.child('containers'), errs)) return errs;
  if (!containerUpdates(nowInits, (before.initContainers ?? []) as AnyContainer[], path.child('initContainers'), errs)) return errs;
  const adsPath = path.child('activeDeadlineSeconds').path;
  const ads = now.activeDeadlineSeconds ?? undefined;
  const oldAds = before.activeDeadlineSeconds ?? undefined;
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, fieldErrors.invalid(adsPath, ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldAds !== undefined && oldAds < ads) return [...errs, fieldErrors.invalid(adsPath, ads, 'must be less than or equal to previous value')];
  } else if (oldAds !== undefined) {
    errs.push(fieldErrors.invalid(adsPath, null, 'must not update from a positive integer to nil value'));
  }
  validateOnlyAddedTolerations(now.tolerations ?? [], before.tolerations ?? [], path.child('tolerations'), errs);
  const oldGates = new Set((before.schedulingGates ?? []).map((g) => g.name));
  if ((now.schedulingGates ?? []).length) {
    (now.schedulingGates ?? []).forEach((g, i) => {
      if (!oldGates.has(g.name)) errs.push(fieldErrors.forbidden(path.child('schedulingGates').index(i).child('name').path, `only deletion is allowed, but found new scheduling gate '${g.name}'`));
    });
  }
  if (semanticEqual(now, before)) return errs;

  const munged: PodSpec = deepCopy(now);
  munged.containers = nowContainers.map((c, i) => ({ ...c, image: before.containers![i].image }));
  if (now.initContainers) munged.initContainers = nowInits.map((c, i) => ({ ...c, image: before.initContainers![i].image }));
  munged.activeDeadlineSeconds = before.activeDeadlineSeconds;
  munged.schedulingGates = before.schedulingGates;
  munged.tolerations = before.tolerations;
  if ((before.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = before.terminationGracePeriodSeconds;
  }
  if ((before.schedulingGates ?? []).length > 0) mungeGatedScheduling(munged, before, path, errs);
  if (!semanticEqual(munged, before)) {
    errs.push(fieldErrors.forbidden(path.path, `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${podSpecDiff(before, munged)}`));
  }
  return errs;
}

/** Gated pods may gain nodeSelector entries and node affinity requirements (but lose none). */
function mungeGatedScheduling(munged: PodSpec, before: PodSpec, path: FieldPath, errs: Errs): void {
  if (!semanticEqual(munged.nodeSelector, before.nodeSelector)) {
    const now = munged.nodeSelector ?? {};
    for (const [k, v] of Object.entries(before.nodeSelector ?? {})) {
      if (now[k] !== v) {
        errs.push(fieldErrors.invalid(path.child('nodeSelector').path, now, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
        break;
      }
    }
    munged.nodeSelector = before.nodeSelector;
  }
  const oldNA = before.affinity?.nodeAffinity;
  const newNA = munged.affinity?.nodeAffinity;
  if (semanticEqual(oldNA, newNA)) return;
  const naPath = path.child('affinity').child('nodeAffinity');
  const oldTerms = oldNA?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (oldTerms) {
    const newTerms = newNA?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const termsPath = naPath.child('requiredDuringSchedulingIgnoredDuringExecution').child('nodeSelectorTerms');
    if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
      errs.push(fieldErrors.invalid(termsPath.path, newTerms, 'no additions/deletions to non-empty NodeSelectorTerms list are allowed'));
    } else {
      oldTerms.forEach((t, i) => {
        if (!termHasOnlyAdditions(newTerms[i], t)) errs.push(fieldErrors.invalid(termsPath.index(i).path, newTerms[i], 'only additions are allowed (no mutations or deletions)'));
      });
    }
  }
  if (!munged.affinity && !oldNA) return;
  if (!munged.affinity) munged.affinity = { nodeAffinity: oldNA };
  else if (!before.affinity && !munged.affinity.podAffinity && !munged.affinity.podAntiAffinity) munged.affinity = undefined;
  else munged.affinity.nodeAffinity = oldNA;
}

function termHasOnlyAdditions(now: { matchExpressions?: unknown[]; matchFields?: unknown[] }, old: { matchExpressions?: unknown[]; matchFields?: unknown[] }): boolean {
  const oldExprs = old.matchExpressions ?? [];
  const oldFields = old.matchFields ?? [];
  const newExprs = now?.matchExpressions ?? [];
  const newFields = now?.matchFields ?? [];
  if (!oldExprs.length && !oldFields.length && (newExprs.length || newFields.length)) return false;
  if (oldExprs.length && (newExprs.length < oldExprs.length || !semanticEqual(newExprs.slice(0, oldExprs.length), oldExprs))) return false;
  if (oldFields.length && (newFields.length < oldFields.length || !semanticEqual(newFields.slice(0, oldFields.length), oldFields))) return false;
  return true;
}

// ---------------------------------------------------------------- table helpers

/** `kubectl get` cells of a pod spec's containers: their names and images, comma-separated. */
export function containerCells(spec: PodSpec | undefined): [names: string, images: string] {
  const containers = spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** labels.FormatLabels: `k=v,…` sorted by key, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const text = selectorFromSet(labels ?? {}).toString();
  return text || '<none>';
}
