// How a client addresses a resource: group, version, plural and whether it lives in namespaces.
// The REST path follows from it, exactly as kube-apiserver lays its paths out.

export interface ResourceRef {
  group: string;
  version: string;
  /** Lower-case plural: the path segment. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** `v1` for the core group, `apps/v1` otherwise: the apiVersion of objects of this resource. */
export function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

// Names may hold characters such as spaces (path-segment names); ':' stays readable as Go's client leaves it.
function segment(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/**
 * `/api/v1/namespaces/ns/pods/name/status`, `/apis/apps/v1/deployments` …
 * A namespaced resource without a namespace addresses all namespaces (list and watch only).
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let path = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) path += `/namespaces/${segment(namespace)}`;
  path += `/${ref.resource}`;
  if (name !== undefined) {
    path += `/${segment(name)}`;
    if (subresource) path += `/${subresource}`;
  }
  return path;
}

function ref(group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceRef {
  return Object.freeze({ group, version, resource, kind, namespaced });
}

/** The built-in resources that components of the cluster talk to. */
export const resources = Object.freeze({
  namespaces: ref('', 'v1', 'namespaces', 'Namespace', false),
  nodes: ref('', 'v1', 'nodes', 'Node', false),
  pods: ref('', 'v1', 'pods', 'Pod', true),
  services: ref('', 'v1', 'services', 'Service', true),
  endpoints: ref('', 'v1', 'endpoints', 'Endpoints', true),
  events: ref('', 'v1', 'events', 'Event', true),
  configMaps: ref('', 'v1', 'configmaps', 'ConfigMap', true),
  secrets: ref('', 'v1', 'secrets', 'Secret', true),
  serviceAccounts: ref('', 'v1', 'serviceaccounts', 'ServiceAccount', true),
  persistentVolumes: ref('', 'v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentVolumeClaims: ref('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true),
  replicationControllers: ref('', 'v1', 'replicationcontrollers', 'ReplicationController', true),
  resourceQuotas: ref('', 'v1', 'resourcequotas', 'ResourceQuota', true),
  limitRanges: ref('', 'v1', 'limitranges', 'LimitRange', true),
  deployments: ref('apps', 'v1', 'deployments', 'Deployment', true),
  replicaSets: ref('apps', 'v1', 'replicasets', 'ReplicaSet', true),
  statefulSets: ref('apps', 'v1', 'statefulsets', 'StatefulSet', true),
  daemonSets: ref('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  controllerRevisions: ref('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  jobs: ref('batch', 'v1', 'jobs', 'Job', true),
  cronJobs: ref('batch', 'v1', 'cronjobs', 'CronJob', true),
  leases: ref('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  endpointSlices: ref('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  ingresses: ref('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true),
  ingressClasses: ref('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  networkPolicies: ref('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true),
  podDisruptionBudgets: ref('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true),
  horizontalPodAutoscalers: ref('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true),
  storageClasses: ref('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  priorityClasses: ref('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false),
  customResourceDefinitions: ref('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
  roles: ref('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  roleBindings: ref('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  clusterRoles: ref('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  clusterRoleBindings: ref('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  certificateSigningRequests: ref('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false),
});
