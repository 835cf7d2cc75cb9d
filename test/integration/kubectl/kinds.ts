// What a 1.32 kubeadm cluster prints for each fixture in test/fixtures/manifests: the `get`
// columns (default and `-o wide`), the row of the fixture, and lines of `describe`.
// Cells that a controller fills in later (replica counts, phases, quota usage) accept both the
// fresh and the reconciled value; everything the server decides on its own is exact.
import { AGE, CREATED_AT, type Cell } from './support.js';

export interface KindCase {
  file: string;
  /** The resource as typed to kubectl get. */
  resource: string;
  /** How kubectl names the kind in `created`/`deleted` lines: `deployment.apps`. */
  ref: string;
  name: string;
  namespaced: boolean;
  columns: string[];
  row: Cell[];
  /** The whole `-o wide` header and row (kubectl interleaves wide columns for some kinds). */
  wideColumns: string[];
  wideRow: Cell[];
  /** Each must match somewhere in `kubectl describe` (multiline). */
  describe: RegExp[];
  /**
   * What a second `apply` of the same file prints: `unchanged`, except where kubectl's own patch
   * computation always finds a difference (stringData, atomic lists, replace-strategy maps, zero
   * values of omitempty fields).
   */
  reapplied?: 'configured';
}

const TEMPLATE_WIDE = ['CONTAINERS', 'IMAGES', 'SELECTOR'];
const digit = /^\d+$/;
const LAST_SEEN = /^\d+(s|m\d*s?|h\d*m?|d\d*h?|y\d*d?)$/;
const EVENT_COLUMNS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
const EVENT_WIDE = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'];
const PULLED = 'Container image "registry.example/hello:1.0" already present on machine';
const SCHEDULED = 'Successfully assigned default/web to fixture-node';

/** `columns`/`row` plus wide columns appended at the end, as most kinds print them. */
function appended(columns: string[], row: Cell[], wide: string[] = [], wideCells: Cell[] = []) {
  return { columns, row, wideColumns: [...columns, ...wide], wideRow: [...row, ...wideCells] };
}

export const KIND_CASES: KindCase[] = [
  {
    file: 'namespaces.yaml', resource: 'namespaces', ref: 'namespace', name: 'fixture-ns', namespaced: false,
    ...appended(['NAME', 'STATUS', 'AGE'], ['fixture-ns', 'Active', AGE]),
    describe: [/^Name:\s+fixture-ns$/m, /^Labels:\s+kubernetes\.io\/metadata\.name=fixture-ns\n\s+team=fixtures$/m, /^Status:\s+Active$/m, /^No resource quota\.$/m, /^No LimitRange resource\.$/m],
  },
  {
    file: 'pods.yaml', resource: 'pods', ref: 'pod', name: 'web', namespaced: true,
    ...appended(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ['web', /^[01]\/1$/, /^(Pending|ContainerCreating|Running)$/, '0', AGE], ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'], [/^(<none>|10\.244\.\d+\.\d+)$/, /^(<none>|k8ts-node-1)$/, '<none>', '<none>']),
    describe: [
      /^Name:\s+web$/m, /^Namespace:\s+kinds$/m, /^Priority:\s+0$/m, /^Service Account:\s+default$/m,
      /^Labels:\s+app=web\n\s+tier=front$/m, /^Annotations:\s+example\.com\/owner: fixtures$/m,
      /^ {4}Image:\s+registry\.example\/hello:1\.0$/m, /^ {4}Port:\s+8080\/TCP$/m,
      /^ {4}Liveness:\s+http-get http:\/\/:8080\/healthy delay=0s timeout=1s period=10s #success=1 #failure=3$/m,
      /^ {4}Readiness:\s+tcp-socket :8080 delay=0s timeout=1s period=5s #success=1 #failure=3$/m,
      /^ {4}Limits:\n\s+cpu:\s+200m\n\s+memory:\s+128Mi\n {4}Requests:\n\s+cpu:\s+100m\n\s+memory:\s+64Mi$/m,
      /^ {6}MODE:\s+test$/m, /^ {6}\/scratch from scratch \(rw\)$/m,
      /^ {6}\/var\/run\/secrets\/kubernetes\.io\/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)$/m,
      /^ {2}scratch:\n {4}Type:\s+EmptyDir \(a temporary directory that shares a pod's lifetime\)$/m,
      /^QoS Class:\s+Burstable$/m,
      /^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s$/m,
    ],
    // The server's kube-api-access volume and mount make the live lists longer than the file's, so
    // kubectl's three-way patch always carries $setElementOrder for volumes and volumeMounts.
    reapplied: 'configured',
  },
  {
    file: 'services.yaml', resource: 'services', ref: 'service', name: 'web', namespaced: true,
    ...appended(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['web', 'ClusterIP', /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, '<none>', '80/TCP', AGE], ['SELECTOR'], ['app=web']),
    describe: [/^Selector:\s+app=web$/m, /^Type:\s+ClusterIP$/m, /^IP Family Policy:\s+SingleStack$/m, /^IP Families:\s+IPv4$/m, /^Port:\s+http {2}80\/TCP$/m, /^TargetPort:\s+8080\/TCP$/m, /^Session Affinity:\s+None$/m, /^Internal Traffic Policy:\s+Cluster$/m],
  },
  {
    file: 'endpoints.yaml', resource: 'endpoints', ref: 'endpoints', name: 'external', namespaced: true,
    ...appended(['NAME', 'ENDPOINTS', 'AGE'], ['external', '10.1.2.3:8080,10.1.2.4:8080', AGE]),
    describe: [/^ {2}Addresses:\s+10\.1\.2\.3,10\.1\.2\.4$/m, /^ {2}NotReadyAddresses:\s+<none>$/m, /^ {4}http\s+8080\s+TCP$/m],
  },
  {
    file: 'configmaps.yaml', resource: 'configmaps', ref: 'configmap', name: 'settings', namespaced: true,
    ...appended(['NAME', 'DATA', 'AGE'], ['settings', '2', AGE]),
    // kubectl prints data keys in Go map order (random), so each key is checked on its own.
    describe: [/^Data\n====\n/m, /^greeting:\n----\nhello\n/m, /^mode:\n----\ntest\n/m, /^BinaryData\n====$/m],
  },
  {
    file: 'secrets.yaml', resource: 'secrets', ref: 'secret', name: 'credentials', namespaced: true,
    ...appended(['NAME', 'TYPE', 'DATA', 'AGE'], ['credentials', 'Opaque', '2', AGE]),
    // stringData never reads back, so every apply patches it again.
    reapplied: 'configured',
    describe: [/^Type:\s+Opaque$/m, /^password:\s+6 bytes$/m, /^username:\s+5 bytes$/m],
  },
  {
    file: 'serviceaccounts.yaml', resource: 'serviceaccounts', ref: 'serviceaccount', name: 'builder', namespaced: true,
    ...appended(['NAME', 'SECRETS', 'AGE'], ['builder', '0', AGE]),
    describe: [/^Image pull secrets:\s+<none>$/m, /^Mountable secrets:\s+<none>$/m, /^Tokens:\s+<none>$/m],
  },
  {
    file: 'nodes.yaml', resource: 'nodes', ref: 'node', name: 'fixture-node', namespaced: false,
    ...appended(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'], ['fixture-node', 'Unknown', '<none>', AGE, ''], ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'], ['<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']),
    describe: [/^Roles:\s+<none>$/m, /^Labels:\s+disk=ssd\n\s+kubernetes\.io\/hostname=fixture-node$/m, /^Taints:\s+example\.com\/dedicated=fixtures:NoSchedule$/m, /^Unschedulable:\s+false$/m, /^PodCIDR:\s+10\.244\.200\.0\/24$/m],
  },
  {
    file: 'events.yaml', resource: 'events', ref: 'event', name: 'web.fixture', namespaced: true,
    columns: EVENT_COLUMNS, row: [LAST_SEEN, 'Normal', 'Pulled', 'pod/web', PULLED],
    wideColumns: EVENT_WIDE, wideRow: [LAST_SEEN, 'Normal', 'Pulled', 'pod/web', '', 'kubelet, fixture-node', PULLED, LAST_SEEN, '1', 'web.fixture'],
    describe: [/^Reason:\s+Pulled$/m, /^Involved Object:\n\s+API Version:\s+v1\n\s+Kind:\s+Pod\n\s+Name:\s+web$/m, /^Type:\s+Normal$/m],
  },
  {
    file: 'persistentvolumes.yaml', resource: 'persistentvolumes', ref: 'persistentvolume', name: 'fixture-pv', namespaced: false,
    ...appended(
      ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
      ['fixture-pv', '2Gi', 'RWO', 'Retain', /^(Available|Bound)$/, /^(|kinds\/data)$/, 'manual', '<unset>', '', AGE],
      ['VOLUMEMODE'], ['Filesystem'],
    ),
    describe: [/^Finalizers:\s+\[kubernetes\.io\/pv-protection\]$/m, /^StorageClass:\s+manual$/m, /^Reclaim Policy:\s+Retain$/m, /^Access Modes:\s+RWO$/m, /^VolumeMode:\s+Filesystem$/m, /^Capacity:\s+2Gi$/m, /^\s+Type:\s+HostPath \(bare host directory volume\)\n\s+Path:\s+\/tmp\/fixture-pv$/m],
  },
  {
    file: 'persistentvolumeclaims.yaml', resource: 'persistentvolumeclaims', ref: 'persistentvolumeclaim', name: 'data', namespaced: true,
    ...appended(
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      ['data', /^(Pending|Bound)$/, /^(|fixture-pv)$/, /^(|2Gi)$/, /^(|RWO)$/, 'manual', '<unset>', AGE],
      ['VOLUMEMODE'], ['Filesystem'],
    ),
    describe: [/^Finalizers:\s+\[kubernetes\.io\/pvc-protection\]$/m, /^StorageClass:\s+manual$/m, /^VolumeMode:\s+Filesystem$/m, /^Labels:\s+app=web$/m],
  },
  {
    file: 'replicationcontrollers.yaml', resource: 'replicationcontrollers', ref: 'replicationcontroller', name: 'legacy', namespaced: true,
    ...appended(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['legacy', '2', digit, digit, AGE], TEMPLATE_WIDE, ['legacy', 'registry.example/hello:1.0', 'app=legacy']),
    describe: [/^Selector:\s+app=legacy$/m, /^Labels:\s+app=legacy$/m, /^Replicas:\s+\d+ current \/ 2 desired$/m, /^ {3}legacy:\n {4}Image:\s+registry\.example\/hello:1\.0\n {4}Port:\s+8080\/TCP$/m],
  },
  {
    file: 'limitranges.yaml', resource: 'limitranges', ref: 'limitrange', name: 'limits', namespaced: true,
    ...appended(['NAME', 'CREATED AT'], ['limits', CREATED_AT]),
    describe: [/^Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio$/m, /^Container\s+memory\s+10Mi\s+1Gi\s+64Mi\s+256Mi\s+-$/m, /^Container\s+cpu\s+-\s+-\s+100m\s+500m\s+-$/m],
  },
  {
    file: 'resourcequotas.yaml', resource: 'resourcequotas', ref: 'resourcequota', name: 'quota', namespaced: true,
    ...appended(['NAME', 'AGE', 'REQUEST', 'LIMIT'], ['quota', AGE, /^(|count\/configmaps: \d+\/50, pods: \d+\/20, requests\.cpu: \S+\/4, requests\.memory: \S+\/8Gi)$/, /^(|limits\.cpu: \S+\/8)$/]),
    describe: [/^Name:\s+quota$/m, /^Resource\s+Used\s+Hard$/m],
  },
  {
    file: 'podtemplates.yaml', resource: 'podtemplates', ref: 'podtemplate', name: 'template', namespaced: true,
    ...appended(['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS'], ['template', 'main', 'registry.example/hello:1.0', 'app=templated']),
    describe: [/^Name:\s+template$/m, /^\s+Image:\s+registry\.example\/hello:1\.0$/m],
  },
  {
    file: 'deployments.yaml', resource: 'deployments', ref: 'deployment.apps', name: 'frontend', namespaced: true,
    ...appended(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['frontend', /^\d\/2$/, digit, digit, AGE], TEMPLATE_WIDE, ['web', 'registry.example/hello:1.0', 'app=frontend']),
    describe: [/^Selector:\s+app=frontend$/m, /^Replicas:\s+2 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m, /^StrategyType:\s+RollingUpdate$/m, /^MinReadySeconds:\s+0$/m, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m, /^ {4}Requests:\n\s+cpu:\s+50m$/m],
  },
  {
    file: 'replicasets.yaml', resource: 'replicasets', ref: 'replicaset.apps', name: 'backend', namespaced: true,
    ...appended(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['backend', '1', digit, digit, AGE], TEMPLATE_WIDE, ['api', 'registry.example/hello:1.0', 'app=backend,tier in (api,worker)']),
    describe: [/^Selector:\s+app=backend,tier in \(api,worker\)$/m, /^Replicas:\s+\d+ current \/ 1 desired$/m, /^ {2}Labels:\s+app=backend\n\s+tier=api$/m],
  },
  {
    file: 'statefulsets.yaml', resource: 'statefulsets', ref: 'statefulset.apps', name: 'db', namespaced: true,
    ...appended(['NAME', 'READY', 'AGE'], ['db', /^\d\/1$/, AGE], ['CONTAINERS', 'IMAGES'], ['db', 'registry.example/db:2.1']),
    // volumeClaimTemplates is an atomic list and reads back with defaults, so apply replaces it.
    reapplied: 'configured',
    describe: [/^Selector:\s+app=db$/m, /^Replicas:\s+1 desired \| \d+ total$/m, /^Update Strategy:\s+RollingUpdate\n {2}Partition:\s+0$/m, /^Volume Claims:\n {2}Name:\s+data$/m, /^ {2}Capacity:\s+1Gi\n {2}Access Modes:\s+\[ReadWriteOnce\]$/m],
  },
  {
    file: 'daemonsets.yaml', resource: 'daemonsets', ref: 'daemonset.apps', name: 'agent', namespaced: true,
    ...appended(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'], ['agent', digit, digit, digit, digit, digit, 'kubernetes.io/os=linux', AGE], TEMPLATE_WIDE, ['agent', 'registry.example/agent:0.3', 'app=agent']),
    describe: [/^Selector:\s+app=agent$/m, /^Node-Selector:\s+kubernetes\.io\/os=linux$/m, /^Annotations:\s+deprecated\.daemonset\.template\.generation: 1$/m, /^ {2}Tolerations:\s+node-role\.kubernetes\.io\/control-plane:NoSchedule op=Exists$/m],
  },
  {
    file: 'controllerrevisions.yaml', resource: 'controllerrevisions', ref: 'controllerrevision.apps', name: 'db-7d4f9b', namespaced: true,
    ...appended(['NAME', 'CONTROLLER', 'REVISION', 'AGE'], ['db-7d4f9b', '<none>', '1', AGE]),
    describe: [/^Labels:\s+app=db$/m, /^Revision:\s+1$/m],
  },
  {
    file: 'jobs.yaml', resource: 'jobs', ref: 'job.batch', name: 'report', namespaced: true,
    ...appended(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['report', /^(Running|Complete)$/, /^\d\/3$/, /^(|\d+s)$/, AGE], TEMPLATE_WIDE, ['report', 'registry.example/busybox:1.36', /^batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/]),
    describe: [/^Selector:\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}$/m, /^Labels:\s+batch\.kubernetes\.io\/controller-uid=[0-9a-f-]{36}\n\s+batch\.kubernetes\.io\/job-name=report\n\s+controller-uid=[0-9a-f-]{36}\n\s+job-name=report$/m, /^Parallelism:\s+2$/m, /^Completions:\s+3$/m, /^Completion Mode:\s+NonIndexed$/m, /^Suspend:\s+false$/m, /^Backoff Limit:\s+4$/m, /^ {4}Command:\n\s+sh\n\s+-c\n\s+echo done$/m],
  },
  {
    file: 'cronjobs.yaml', resource: 'cronjobs', ref: 'cronjob.batch', name: 'nightly', namespaced: true,
    ...appended(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], ['nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', AGE], TEMPLATE_WIDE, ['backup', 'registry.example/busybox:1.36', '<none>']),
    describe: [/^Schedule:\s+0 3 \* \* \*$/m, /^Concurrency Policy:\s+Forbid$/m, /^Suspend:\s+False$/m, /^Successful Job History Limit:\s+3$/m, /^Failed Job History Limit:\s+1$/m, /^Starting Deadline Seconds:\s+<unset>$/m],
  },
  {
    file: 'horizontalpodautoscalers.v2.yaml', resource: 'horizontalpodautoscalers', ref: 'horizontalpodautoscaler.autoscaling', name: 'frontend', namespaced: true,
    ...appended(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'], ['frontend', 'Deployment/frontend', 'cpu: <unknown>/50%', '1', '5', digit, AGE]),
    describe: [/^Reference:\s+Deployment\/frontend$/m, /^ {2}resource cpu on pods {2}\(as a percentage of request\):\s+<unknown> \/ 50%$/m, /^Min replicas:\s+1$/m, /^Max replicas:\s+5$/m],
  },
  {
    file: 'horizontalpodautoscalers.v1.yaml', resource: 'horizontalpodautoscalers.v1.autoscaling', ref: 'horizontalpodautoscaler.autoscaling', name: 'backend', namespaced: true,
    ...appended(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'], ['backend', 'ReplicaSet/backend', 'cpu: <unknown>/80%', '1', '3', digit, AGE]),
    describe: [/^Reference:\s+ReplicaSet\/backend$/m, /^ {2}resource cpu on pods {2}\(as a percentage of request\):\s+<unknown> \/ 80%$/m, /^Max replicas:\s+3$/m],
  },
  {
    file: 'poddisruptionbudgets.yaml', resource: 'poddisruptionbudgets', ref: 'poddisruptionbudget.policy', name: 'frontend', namespaced: true,
    ...appended(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'], ['frontend', '1', 'N/A', digit, AGE]),
    // The selector has patch strategy `replace`: kubectl always sends it.
    reapplied: 'configured',
    describe: [/^Min available:\s+1$/m, /^Selector:\s+app=frontend$/m],
  },
  {
    file: 'ingresses.yaml', resource: 'ingresses', ref: 'ingress.networking.k8s.io', name: 'site', namespaced: true,
    ...appended(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], ['site', 'fixture', 'v1.example.test', '', '80, 443', AGE]),
    describe: [/^Ingress Class:\s+fixture$/m, /^ {2}site-tls terminates v1\.example\.test$/m, /^\s+\/v1\s+web:80 \(/m, /^\s+\/exact\s+web:http \(/m],
  },
  {
    file: 'ingressclasses.yaml', resource: 'ingressclasses', ref: 'ingressclass.networking.k8s.io', name: 'fixture', namespaced: false,
    ...appended(['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'], ['fixture', 'k8ts.io/ingress', '<none>', AGE]),
    describe: [/^Controller:\s+k8ts\.io\/ingress$/m],
  },
  {
    file: 'networkpolicies.yaml', resource: 'networkpolicies', ref: 'networkpolicy.networking.k8s.io', name: 'web-allow', namespaced: true,
    ...appended(['NAME', 'POD-SELECTOR', 'AGE'], ['web-allow', 'app=web', AGE]),
    describe: [/^ {2}PodSelector:\s+app=web$/m, /^ {4}To Port: 8080\/TCP$/m, /^ {6}NamespaceSelector: team=fixtures$/m, /^ {8}CIDR: 10\.0\.0\.0\/16\n {8}Except: 10\.0\.5\.0\/24$/m, /^ {2}Policy Types: Ingress, Egress$/m],
  },
  {
    file: 'endpointslices.yaml', resource: 'endpointslices', ref: 'endpointslice.discovery.k8s.io', name: 'external-abc12', namespaced: true,
    ...appended(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], ['external-abc12', 'IPv4', '8080', '10.1.2.3,10.1.2.4', AGE]),
    describe: [/^AddressType:\s+IPv4$/m, /^ {2}- Addresses:\s+10\.1\.2\.3\n {4}Conditions:\n {6}Ready:\s+true$/m, /^ {4}NodeName:\s+fixture-node$/m],
  },
  {
    file: 'events.events.k8s.io.yaml', resource: 'events.events.k8s.io', ref: 'event.events.k8s.io', name: 'web.scheduled', namespaced: true,
    columns: EVENT_COLUMNS, row: [LAST_SEEN, 'Normal', 'Scheduled', 'pod/web', SCHEDULED],
    wideColumns: EVENT_WIDE, wideRow: [LAST_SEEN, 'Normal', 'Scheduled', 'pod/web', '', 'k8ts.io/fixtures, fixtures-1', SCHEDULED, LAST_SEEN, '1', 'web.scheduled'],
    describe: [/^Reason:\s+Scheduled$/m, /^Note:\s+Successfully assigned default\/web to fixture-node$/m, /^Reporting Controller:\s+k8ts\.io\/fixtures$/m],
  },
  {
    file: 'roles.yaml', resource: 'roles', ref: 'role.rbac.authorization.k8s.io', name: 'pod-reader', namespaced: true,
    ...appended(['NAME', 'CREATED AT'], ['pod-reader', CREATED_AT]),
    describe: [/^ {2}pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m, /^ {2}pods\/log\s+\[\]\s+\[\]\s+\[get list watch\]$/m, /^ {2}configmaps\s+\[\]\s+\[settings\]\s+\[get\]$/m],
  },
  {
    file: 'rolebindings.yaml', resource: 'rolebindings', ref: 'rolebinding.rbac.authorization.k8s.io', name: 'read-pods', namespaced: true,
    ...appended(['NAME', 'ROLE', 'AGE'], ['read-pods', 'Role/pod-reader', AGE], ['USERS', 'GROUPS', 'SERVICEACCOUNTS'], ['jane', '', '/builder']),
    describe: [/^Role:\n {2}Kind:\s+Role\n {2}Name:\s+pod-reader$/m, /^ {2}User\s+jane\s*$/m, /^ {2}ServiceAccount\s+builder\s*$/m],
  },
  {
    file: 'clusterroles.yaml', resource: 'clusterroles', ref: 'clusterrole.rbac.authorization.k8s.io', name: 'fixture-node-reader', namespaced: false,
    ...appended(['NAME', 'CREATED AT'], ['fixture-node-reader', CREATED_AT]),
    describe: [/^ {2}nodes\s+\[\]\s+\[\]\s+\[get list watch\]$/m, /^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m, /^\s+\[\/version\]\s+\[\]\s+\[get\]$/m],
  },
  {
    file: 'clusterrolebindings.yaml', resource: 'clusterrolebindings', ref: 'clusterrolebinding.rbac.authorization.k8s.io', name: 'fixture-read-nodes', namespaced: false,
    ...appended(['NAME', 'ROLE', 'AGE'], ['fixture-read-nodes', 'ClusterRole/fixture-node-reader', AGE], ['USERS', 'GROUPS', 'SERVICEACCOUNTS'], ['', 'fixture-admins', '']),
    describe: [/^Role:\n {2}Kind:\s+ClusterRole\n {2}Name:\s+fixture-node-reader$/m, /^ {2}Group\s+fixture-admins\s*$/m],
  },
  {
    file: 'storageclasses.yaml', resource: 'storageclasses', ref: 'storageclass.storage.k8s.io', name: 'fixture-local', namespaced: false,
    ...appended(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'], ['fixture-local', 'k8ts.io/local-path', 'Delete', 'WaitForFirstConsumer', 'true', AGE]),
    describe: [/^IsDefaultClass:\s+No$/m, /^Provisioner:\s+k8ts\.io\/local-path$/m, /^Parameters:\s+path=\/var\/lib\/fixtures$/m, /^AllowVolumeExpansion:\s+True$/m, /^ReclaimPolicy:\s+Delete$/m, /^VolumeBindingMode:\s+WaitForFirstConsumer$/m],
  },
  {
    file: 'customresourcedefinitions.yaml', resource: 'customresourcedefinitions', ref: 'customresourcedefinition.apiextensions.k8s.io', name: 'mypods.crd.example.com', namespaced: false,
    ...appended(['NAME', 'CREATED AT'], ['mypods.crd.example.com', CREATED_AT]),
    describe: [/^Name:\s+mypods\.crd\.example\.com$/m, /^API Version:\s+apiextensions\.k8s\.io\/v1$/m, /^Kind:\s+CustomResourceDefinition$/m, /^ {2}Group:\s+crd\.example\.com$/m, /^ {2}Scope:\s+Namespaced$/m, /^ {4}Kind:\s+MyPod$/m],
  },
  {
    file: 'leases.yaml', resource: 'leases', ref: 'lease.coordination.k8s.io', name: 'fixture-leader', namespaced: true,
    ...appended(['NAME', 'HOLDER', 'AGE'], ['fixture-leader', 'fixture-controller-1', AGE]),
    describe: [/^ {2}Holder Identity:\s+fixture-controller-1$/m, /^ {2}Lease Duration Seconds:\s+15$/m, /^ {2}Renew Time:\s+2024-01-01T00:00:10\.000000Z$/m],
  },
  {
    file: 'priorityclasses.yaml', resource: 'priorityclasses', ref: 'priorityclass.scheduling.k8s.io', name: 'fixture-high', namespaced: false,
    ...appended(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'], ['fixture-high', '100000', 'false', AGE, 'PreemptLowerPriority']),
    describe: [/^Value:\s+100000$/m, /^GlobalDefault:\s+false$/m, /^PreemptionPolicy:\s+PreemptLowerPriority$/m, /^Description:\s+For the fixtures that must not wait\.$/m],
    // `globalDefault: false` is an omitempty zero the server leaves out, which kubectl's patch puts back.
    reapplied: 'configured',
  },
];
