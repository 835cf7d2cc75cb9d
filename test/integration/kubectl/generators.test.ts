// kubectl's typed generators (`create configmap|secret|deployment|…`, `expose`, `run`,
// `autoscale`) and the discovery commands (`api-resources`, `api-versions`, `explain`).
// Most generators send protobuf bodies; each kind needs its protobuf field numbers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { kubectlSkip } from '../../support/kubectl.js';
import { parseTable, startSession, type KubectlSession } from './support.js';

const NS = 'gen';

/** Every api-resources row of the kinds k8ts serves, as a 1.32 kubeadm cluster lists them. */
const API_RESOURCES = `
bindings                              v1                             true    Binding
configmaps                 cm         v1                             true    ConfigMap
endpoints                  ep         v1                             true    Endpoints
events                     ev         v1                             true    Event
limitranges                limits     v1                             true    LimitRange
namespaces                 ns         v1                             false   Namespace
nodes                      no         v1                             false   Node
persistentvolumeclaims     pvc        v1                             true    PersistentVolumeClaim
persistentvolumes          pv         v1                             false   PersistentVolume
pods                       po         v1                             true    Pod
podtemplates                          v1                             true    PodTemplate
replicationcontrollers     rc         v1                             true    ReplicationController
resourcequotas             quota      v1                             true    ResourceQuota
secrets                               v1                             true    Secret
serviceaccounts            sa         v1                             true    ServiceAccount
services                   svc        v1                             true    Service
customresourcedefinitions  crd,crds   apiextensions.k8s.io/v1        false   CustomResourceDefinition
controllerrevisions                   apps/v1                        true    ControllerRevision
daemonsets                 ds         apps/v1                        true    DaemonSet
deployments                deploy     apps/v1                        true    Deployment
replicasets                rs         apps/v1                        true    ReplicaSet
statefulsets               sts        apps/v1                        true    StatefulSet
selfsubjectreviews                    authentication.k8s.io/v1       false   SelfSubjectReview
tokenreviews                          authentication.k8s.io/v1       false   TokenReview
localsubjectaccessreviews             authorization.k8s.io/v1        true    LocalSubjectAccessReview
selfsubjectaccessreviews              authorization.k8s.io/v1        false   SelfSubjectAccessReview
selfsubjectrulesreviews               authorization.k8s.io/v1        false   SelfSubjectRulesReview
subjectaccessreviews                  authorization.k8s.io/v1        false   SubjectAccessReview
horizontalpodautoscalers   hpa        autoscaling/v2                 true    HorizontalPodAutoscaler
cronjobs                   cj         batch/v1                       true    CronJob
jobs                                  batch/v1                       true    Job
leases                                coordination.k8s.io/v1         true    Lease
endpointslices                        discovery.k8s.io/v1            true    EndpointSlice
events                     ev         events.k8s.io/v1               true    Event
ingressclasses                        networking.k8s.io/v1           false   IngressClass
ingresses                  ing        networking.k8s.io/v1           true    Ingress
networkpolicies            netpol     networking.k8s.io/v1           true    NetworkPolicy
poddisruptionbudgets       pdb        policy/v1                      true    PodDisruptionBudget
clusterrolebindings                   rbac.authorization.k8s.io/v1   false   ClusterRoleBinding
clusterroles                          rbac.authorization.k8s.io/v1   false   ClusterRole
rolebindings                          rbac.authorization.k8s.io/v1   true    RoleBinding
roles                                 rbac.authorization.k8s.io/v1   true    Role
priorityclasses            pc         scheduling.k8s.io/v1           false   PriorityClass
storageclasses             sc         storage.k8s.io/v1              false   StorageClass
`;

describe('kubectl generators and discovery', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  const inNs = (args: string[]) => s.ok(['-n', NS, ...args]);

  before(async () => {
    s = await startSession({ nodes: 1 });
    await s.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    await s.stop();
  });

  describe('create <kind> generators', { concurrency: 4 }, () => {
    test('configmap from literals, a file and an env file', async () => {
      const file = s.file('app.properties', 'color=blue\n');
      const env = s.file('app.env', '# comment\nMODE=prod\nLEVEL=3\n');
      assert.equal(await inNs(['create', 'configmap', 'lit', '--from-literal=a=1', '--from-literal=b=two']), 'configmap/lit created\n');
      assert.equal(await inNs(['create', 'configmap', 'files', `--from-file=${file}`, `--from-file=renamed=${file}`]), 'configmap/files created\n');
      assert.equal(await inNs(['create', 'configmap', 'envs', `--from-env-file=${env}`]), 'configmap/envs created\n');
      assert.equal(await inNs(['get', 'cm', 'lit', 'files', 'envs', '-o', 'jsonpath={range .items[*]}{.data}{"\\n"}{end}']), '{"a":"1","b":"two"}\n{"app.properties":"color=blue\\n","renamed":"color=blue\\n"}\n{"LEVEL":"3","MODE":"prod"}\n');
      const dup = await s.failed(['create', 'configmap', 'lit', '--from-literal=a=1', '-n', NS]);
      assert.equal(dup.stderr, 'error: failed to create configmap: configmaps "lit" already exists\n');
    });

    test('secrets: generic, tls and docker-registry', async (t) => {
      assert.equal(await inNs(['create', 'secret', 'generic', 'gen', '--from-literal=password=s3cret']), 'secret/gen created\n');
      assert.equal(await inNs(['get', 'secret', 'gen', '-o', 'jsonpath={.type} {.data.password}']), `Opaque ${Buffer.from('s3cret').toString('base64')}`);
      assert.equal(await inNs(['create', 'secret', 'docker-registry', 'pull', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p']), 'secret/pull created\n');
      const docker = JSON.parse(await inNs(['get', 'secret', 'pull', '-o', 'json']));
      assert.equal(docker.type, 'kubernetes.io/dockerconfigjson');
      assert.equal(JSON.parse(Buffer.from(docker.data['.dockerconfigjson'], 'base64').toString()).auths['registry.example'].username, 'u');
      if (spawnSync('openssl', ['version']).error) return t.skip('openssl is not installed');
      const key = s.file('tls.key', '');
      const cert = s.file('tls.crt', '');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=site.example'], { stdio: 'ignore' });
      assert.equal(await inNs(['create', 'secret', 'tls', 'site-tls', `--cert=${cert}`, `--key=${key}`]), 'secret/site-tls created\n');
      const row = parseTable(await inNs(['get', 'secret', 'site-tls'])).rows[0];
      assert.deepEqual(row.slice(0, 3), ['site-tls', 'kubernetes.io/tls', '2']);
    });

    test('namespace, role, rolebinding, clusterrole, clusterrolebinding, priorityclass', async () => {
      assert.equal(await s.ok(['create', 'namespace', 'made-by-create']), 'namespace/made-by-create created\n');
      assert.equal(await inNs(['create', 'role', 'reader', '--verb=get,list', '--resource=pods,pods/log']), 'role.rbac.authorization.k8s.io/reader created\n');
      assert.equal(await inNs(['create', 'rolebinding', 'reader', '--role=reader', '--user=jane', `--serviceaccount=${NS}:builder`]), 'rolebinding.rbac.authorization.k8s.io/reader created\n');
      assert.equal(await s.ok(['create', 'clusterrole', 'node-reader', '--verb=get', '--resource=nodes']), 'clusterrole.rbac.authorization.k8s.io/node-reader created\n');
      assert.equal(await s.ok(['create', 'clusterrolebinding', 'node-reader', '--clusterrole=node-reader', '--group=ops']), 'clusterrolebinding.rbac.authorization.k8s.io/node-reader created\n');
      assert.equal(await s.ok(['create', 'priorityclass', 'high', '--value=1000', '--description=important']), 'priorityclass.scheduling.k8s.io/high created\n');
      const rb = parseTable(await inNs(['get', 'rolebinding', 'reader', '-o', 'wide']));
      assert.deepEqual(rb.rows[0].slice(0, 2).concat(rb.rows[0].slice(3)), ['reader', 'Role/reader', 'jane', '', `${NS}/builder`]);
    });

    test('deployment, job, cronjob (protobuf bodies)', async () => {
      assert.equal(await inNs(['create', 'deployment', 'web', '--image=registry.example/hello:1.0', '--replicas=2', '--port=8080']), 'deployment.apps/web created\n');
      const dep = JSON.parse(await inNs(['get', 'deploy', 'web', '-o', 'json']));
      assert.deepEqual(dep.spec.selector, { matchLabels: { app: 'web' } });
      assert.deepEqual(dep.spec.template.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
      assert.equal(await inNs(['create', 'job', 'once', '--image=registry.example/busybox:1.36', '--', 'echo', 'hi']), 'job.batch/once created\n');
      assert.equal(await inNs(['get', 'job', 'once', '-o', 'jsonpath={.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}']), 'Never ["echo","hi"]');
      assert.equal(await inNs(['create', 'cronjob', 'tick', '--image=registry.example/busybox:1.36', '--schedule=*/5 * * * *', '--', 'date']), 'cronjob.batch/tick created\n');
      assert.equal(await inNs(['create', 'job', 'from-cron', '--from=cronjob/tick']), 'job.batch/from-cron created\n');
      assert.equal(await inNs(['get', 'job', 'from-cron', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}']), 'manual');
    });

    test('services of every type, quota, pdb, ingress, serviceaccount (protobuf bodies)', async () => {
      assert.equal(await inNs(['create', 'service', 'clusterip', 'svc-a', '--tcp=80:8080']), 'service/svc-a created\n');
      assert.equal(await inNs(['create', 'service', 'nodeport', 'svc-b', '--tcp=80:8080', '--node-port=30080']), 'service/svc-b created\n');
      assert.equal(await inNs(['create', 'service', 'loadbalancer', 'svc-c', '--tcp=80:8080']), 'service/svc-c created\n');
      assert.equal(await inNs(['create', 'service', 'externalname', 'svc-d', '--external-name=db.example.com']), 'service/svc-d created\n');
      const rows = parseTable(await inNs(['get', 'svc', 'svc-a', 'svc-b', 'svc-d'])).rows.map((r) => [r[0], r[1], r[3], r[4]]);
      assert.deepEqual(rows, [
        ['svc-a', 'ClusterIP', '<none>', '80/TCP'],
        ['svc-b', 'NodePort', '<none>', '80:30080/TCP'],
        ['svc-d', 'ExternalName', 'db.example.com', '<none>'],
      ]);
      const outOfRange = await s.failed(['create', 'service', 'nodeport', 'svc-e', '--tcp=80:8080', '--node-port=80', '-n', NS]);
      assert.match(outOfRange.stderr, /spec\.ports\[0\]\.nodePort: Invalid value: 80: provided port is not in the valid range\. The range of valid ports is 30000-32767/);
      assert.equal(await inNs(['create', 'quota', 'q', '--hard=pods=20,count/configmaps=10']), 'resourcequota/q created\n');
      assert.equal(await inNs(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1']), 'poddisruptionbudget.policy/web created\n');
      assert.equal(await inNs(['create', 'ingress', 'site', '--class=default', '--rule=v1.example.test/v1*=svc-a:80', '--rule=v2.example.test/=svc-b:80,tls=site-tls']), 'ingress.networking.k8s.io/site created\n');
      assert.deepEqual(parseTable(await inNs(['get', 'ingress', 'site'])).rows[0].slice(0, 5), ['site', 'default', 'v1.example.test,v2.example.test', '', '80, 443']);
      assert.equal(await inNs(['create', 'serviceaccount', 'builder']), 'serviceaccount/builder created\n');
      // kubectl adds a newline only when printing to a terminal.
      const token = await inNs(['create', 'token', 'builder']);
      assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    test('expose, run and autoscale', async () => {
      await s.ok(['apply', '-n', NS, '-f', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: exposed\nspec:\n  selector:\n    matchLabels:\n      app: exposed\n  template:\n    metadata:\n      labels:\n        app: exposed\n    spec:\n      containers:\n      - name: c\n        image: registry.example/hello:1.0\n        ports:\n        - containerPort: 8080\n');
      assert.equal(await inNs(['expose', 'deployment', 'exposed', '--type=NodePort', '--port=80', '--target-port=8080']), 'service/exposed exposed\n');
      const svc = JSON.parse(await inNs(['get', 'svc', 'exposed', '-o', 'json']));
      assert.deepEqual(svc.spec.selector, { app: 'exposed' });
      assert.equal(svc.spec.type, 'NodePort');
      assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
      assert.equal(await inNs(['run', 'hello-kube', '--image=registry.example/hello:1.0', '--port=8080', '--labels=app=node', '--restart=Always']), 'pod/hello-kube created\n');
      assert.equal(await inNs(['get', 'pods', '-l', 'app=node', '-o', 'name']), 'pod/hello-kube\n');
      assert.equal(await inNs(['expose', 'pod', 'hello-kube', '--port=80', '--target-port=8080', '--name=hello']), 'service/hello exposed\n');
      assert.equal(await inNs(['run', 'dry', '--image=registry.example/hello:1.0', '--dry-run=server', '-o', 'jsonpath={.metadata.name} {.spec.containers[0].name}']), 'dry dry');
      assert.equal(await inNs(['autoscale', 'deployment', 'exposed', '--min=1', '--max=5', '--cpu-percent=50']), 'horizontalpodautoscaler.autoscaling/exposed autoscaled\n');
      assert.deepEqual(parseTable(await inNs(['get', 'hpa', 'exposed'])).rows[0].slice(0, 5), ['exposed', 'Deployment/exposed', 'cpu: <unknown>/50%', '1', '5']);
    });
  });

  describe('discovery', () => {
    test('api-resources lists every kind with upstream short names, versions, scope and kind', async () => {
      const rows = parseTable(await s.ok(['api-resources']));
      assert.deepEqual(rows.header, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
      const expected = API_RESOURCES.trim().split('\n').map((l) => {
        const cells = l.split(/\s+/);
        return cells.length === 4 ? [cells[0], '', ...cells.slice(1)] : cells;
      });
      const served = rows.rows.filter((r) => expected.some((e) => e[0] === r[0] && e[2] === r[2]));
      assert.deepEqual(served, expected);
      const namespaced = await s.ok(['api-resources', '--namespaced=false', '-o', 'name', '--api-group=rbac.authorization.k8s.io']);
      assert.equal(namespaced, 'clusterrolebindings.rbac.authorization.k8s.io\nclusterroles.rbac.authorization.k8s.io\n');
      const wide = parseTable(await s.ok(['api-resources', '-o', 'wide', '--api-group=apps']));
      assert.deepEqual(wide.header, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
      assert.deepEqual(wide.rows.find((r) => r[0] === 'deployments')?.slice(5), ['create,delete,deletecollection,get,list,patch,update,watch', 'all']);
    });

    test('api-versions lists every group-version', async () => {
      assert.equal(
        await s.ok(['api-versions']),
        ['apiextensions.k8s.io/v1', 'apps/v1', 'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1', 'networking.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1', 'v1'].join('\n') + '\n',
      );
    });

    test('explain a field path, --recursive, and other groups', async () => {
      const containers = await s.ok(['explain', 'pod.spec.containers']);
      assert.match(containers, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n/);
      assert.match(containers, /\n {2}image\t<string>\n/);
      assert.match(containers, /\n {2}name\t<string> -required-\n/);
      const recursive = await s.ok(['explain', 'deployments', '--recursive']);
      assert.match(recursive, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
      assert.match(recursive, /\n {4}replicas\t<integer>\n/);
      assert.match(recursive, /\n {8}maxSurge\t<IntOrString>\n/);
      const fields = [['cronjobs.spec.jobTemplate'], ['ingress.spec.rules'], ['hpa.spec.metrics'], ['networkpolicy.spec.ingress'], ['events.note', '--api-version=events.k8s.io/v1'], ['lease.spec.holderIdentity']];
      for (const args of fields) assert.match(await s.ok(['explain', ...args]), /\nFIELD: \w+ </, args.join(' '));
      const missing = await s.failed(['explain', 'pod.spec.nosuch']);
      assert.equal(missing.stderr, 'error: field "nosuch" does not exist\n');
    });
  });
});
