// Chapter 1, pods, labels, annotations and namespaces, as the reader does it with kubectl on the
// one-node cluster the books use (minikube): scenarios 1 to 7. Scenarios 8 to 10 need real
// containers (a second container reached over localhost, logs, exec, port-forward, cp).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkip, kubectlStart } from '../support/kubectl.js';
import { eventually, literal, tableRows, tutorialCluster, type Row } from './support.js';

const tutorial = tutorialCluster({ nodes: 1 });
const { k, file: manifest } = tutorial;

/** Waits until `get pods` (with `args`) shows what `check` wants, and returns those rows. */
async function podsUntil(check: (rows: Row[]) => boolean, ...args: string[]): Promise<Row[]> {
  let last: Row[] = [];
  try {
    return await eventually(async () => {
      last = tableRows(await k.ok('get', 'pods', ...args));
      return check(last) ? last : undefined;
    }, 20_000, 100);
  } catch {
    assert.fail(`kubectl get pods ${args.join(' ')} never showed what the test waits for:\n${JSON.stringify(last, null, 1)}`);
  }
}

const allRunning = (rows: Row[]) => rows.length > 0 && rows.every((r) => r.STATUS === 'Running');

describe('1: kubectl run starts a pod', { skip: kubectlSkip }, () => {
  test('1: before anything is created, get pods finds nothing in the default namespace', async () => {
    const r = await k.run('get', 'pods');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'No resources found in default namespace.\n');
  });

  test('1: kubectl run hello-kube … → pod/hello-kube created, then 1/1 Running', async () => {
    assert.equal(
      await k.ok('run', 'hello-kube', '--image=hello', '--port=8080', '--labels=app=node', '--restart=Always'),
      'pod/hello-kube created\n',
    );
    const [row] = await podsUntil(allRunning);
    assert.deepEqual([row.NAME, row.READY, row.STATUS, row.RESTARTS], ['hello-kube', '1/1', 'Running', '0']);
    assert.match(row.AGE, /^\d+s$/);
    assert.equal(
      await k.ok('get', 'pod', 'hello-kube', '-o', 'jsonpath={.metadata.labels.app} {.spec.restartPolicy} {.spec.containers[0].ports[0].containerPort}'),
      'node Always 8080',
    );
  });

  test('1: a name that is no DNS subdomain is refused and nothing is created', async () => {
    const r = await k.run('run', 'Hello_Kube', '--image=hello');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^The Pod "Hello_Kube" is invalid: $/m);
    assert.match(r.stderr, /^\* metadata\.name: Invalid value: "Hello_Kube": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.'/m);
    assert.deepEqual(tableRows(await k.ok('get', 'pods')).map((p) => p.NAME), ['hello-kube']);
  });
});

describe('2: kubectl create -f and apply -f with multi-document YAML', { skip: kubectlSkip }, () => {
  // Comments, a document holding only a comment, and empty documents between `---` lines.
  const podAndDeployment = (replicas: number) => `# The sample app, as a bare pod and as a Deployment.
---
apiVersion: v1
kind: Pod
metadata:
  name: kubia
  labels: {app: kubia}
spec:
  containers:
  - name: kubia
    image: hello
    ports:
    - containerPort: 8080   # the app listens here
---
---
# nothing in this document
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: kubia-deploy}
  template:
    metadata:
      labels: {app: kubia-deploy}
    spec:
      containers:
      - name: kubia
        image: hello
`;

  test('2: create -f prints one line per object; creating again says AlreadyExists for each', async () => {
    const path = manifest('kubia-create.yaml', podAndDeployment(1).replaceAll('kubia', 'created'));
    assert.equal(await k.ok('create', '-f', path), 'pod/created created\ndeployment.apps/created created\n');
    const again = await k.run('create', '-f', path);
    assert.equal(again.code, 1);
    assert.equal(
      again.stderr,
      `Error from server (AlreadyExists): error when creating "${path}": pods "created" already exists\n` +
        `Error from server (AlreadyExists): error when creating "${path}": deployments.apps "created" already exists\n`,
    );
    await podsUntil((rows) => rows.filter((r) => r.STATUS === 'Running').length === 2, '-l', 'app in (created,created-deploy)');
    assert.equal(await k.ok('delete', '-f', path), 'pod "created" deleted\ndeployment.apps "created" deleted\n');
  });

  test('2: apply -f prints created, then unchanged, then configured for what changed', async () => {
    const path = manifest('kubia.yaml', podAndDeployment(2));
    assert.equal(await k.ok('apply', '-f', path), 'pod/kubia created\ndeployment.apps/kubia created\n');
    assert.equal(await k.ok('apply', '-f', path), 'pod/kubia unchanged\ndeployment.apps/kubia unchanged\n');
    manifest('kubia.yaml', podAndDeployment(3));
    assert.equal(await k.ok('apply', '-f', path), 'pod/kubia unchanged\ndeployment.apps/kubia configured\n');
    const rows = await podsUntil((r) => r.length === 3 && allRunning(r), '-l', 'app=kubia-deploy');
    for (const r of rows) assert.match(r.NAME, /^kubia-[a-z0-9]+-[a-z0-9]{5}$/);
    await podsUntil(allRunning, '-l', 'app=kubia');
  });

  test('2: a bad document is refused with the server\'s reason and the file name; nothing is created', async () => {
    const path = manifest(
      'typos.yaml',
      `apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containerz:
  - name: app
    image: hello
---
apiVersion: v1
kind: Pod
metadata:
  name: no-image
spec:
  containers:
  - name: app
`,
    );
    const r = await k.run('apply', '-f', path);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `Error from server (BadRequest): error when creating "${path}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containerz"\n` +
        `Error from server (Invalid): error when creating "${path}": Pod "no-image" is invalid: spec.containers[0].image: Required value\n`,
    );
    const missing = await k.run('get', 'pods', 'typo', 'no-image');
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "typo" not found\nError from server (NotFound): pods "no-image" not found\n');
  });
});

describe('3: get pods in every output form, with label selectors, watch and several kinds', { skip: kubectlSkip }, () => {
  test('3: -o wide shows the IP and the NODE', async () => {
    const [row] = tableRows(await k.ok('get', 'pods', 'hello-kube', '-o', 'wide'));
    assert.equal(row.STATUS, 'Running');
    assert.match(row.IP, /^10\.244\.\d+\.\d+$/);
    assert.equal(row.NODE, 'k8ts-node-1');
    assert.equal(row['NOMINATED NODE'], '<none>');
    assert.equal(row['READINESS GATES'], '<none>');
    assert.equal(await k.ok('get', 'pod', 'hello-kube', '-o', 'jsonpath={.status.podIP}'), row.IP);
  });

  test('3: -o yaml, -o json, -o name, -o jsonpath and -o custom-columns', async () => {
    const yaml = await k.ok('get', 'pod', 'hello-kube', '-o', 'yaml');
    assert.match(yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    assert.match(yaml, /^  name: hello-kube$/m);
    assert.match(yaml, /^  phase: Running$/m);
    const json = JSON.parse(await k.ok('get', 'pod', 'hello-kube', '-o', 'json'));
    assert.equal(json.kind, 'Pod');
    assert.equal(json.spec.nodeName, 'k8ts-node-1');
    assert.equal(json.status.phase, 'Running');
    assert.equal(await k.ok('get', 'pods', '-l', 'app=kubia', '-o', 'name'), 'pod/kubia\n');
    assert.equal(await k.ok('get', 'pods', '-l', 'app in (node,kubia)', '-o', 'jsonpath={.items[*].metadata.name}'), 'hello-kube kubia');
    assert.equal(
      await k.ok('get', 'pods', '-l', 'app in (node,kubia)', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,PORT:.spec.containers[0].ports[0].containerPort'),
      'NAME         IMAGE   PORT\nhello-kube   hello   8080\nkubia        hello   8080\n',
    );
  });

  test('3: --show-labels, -L app,version and the selector forms =, in (…) and !key', async () => {
    assert.equal(await k.ok('label', 'pod', 'kubia', 'version=v1'), 'pod/kubia labeled\n');
    const shown = tableRows(await k.ok('get', 'pods', '-l', 'app in (node,kubia)', '--show-labels'));
    assert.deepEqual(shown.map((r) => [r.NAME, r.LABELS]), [
      ['hello-kube', 'app=node'],
      ['kubia', 'app=kubia,version=v1'],
    ]);
    const columns = await k.ok('get', 'pods', '-l', 'app in (node,kubia)', '-L', 'app,version');
    assert.match(columns.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+APP\s+VERSION$/);
    assert.deepEqual(tableRows(columns).map((r) => [r.NAME, r.APP, r.VERSION]), [
      ['hello-kube', 'node', ''],
      ['kubia', 'kubia', 'v1'],
    ]);
    const names = async (selector: string) => (await k.ok('get', 'pods', '-l', selector, '-o', 'name')).split('\n').filter(Boolean);
    assert.deepEqual(await names('app=node'), ['pod/hello-kube']);
    assert.deepEqual(await names('app!=kubia-deploy'), ['pod/hello-kube', 'pod/kubia']);
    assert.deepEqual(await names('app in (node,kubia)'), ['pod/hello-kube', 'pod/kubia']);
    assert.equal((await names('!version')).length, 4, 'hello-kube and the three Deployment pods have no version label');
    assert.deepEqual(await names('version'), ['pod/kubia']);
    assert.deepEqual(await names('app notin (node,kubia-deploy)'), ['pod/kubia']);
    const bad = await k.run('get', 'pods', '-l', 'app in node');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unable to parse requirement/);
  });

  test('3: get pods,svc prints kind/name rows, one table per kind, separated by a blank line', async () => {
    const out = await k.ok('get', 'pods,svc', '-l', 'app in (node,kubia)');
    const [pods, services] = out.split('\n\n');
    assert.deepEqual(tableRows(pods).map((r) => [r.NAME, r.STATUS]), [
      ['pod/hello-kube', 'Running'],
      ['pod/kubia', 'Running'],
    ]);
    // No Service carries these labels: its table is left out rather than printed empty.
    assert.equal(services, undefined);
    const all = await k.ok('get', 'pods,svc');
    const tables = all.trimEnd().split('\n\n');
    assert.equal(tables.length, 2);
    assert.match(tables[0].split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.deepEqual(tableRows(tables[1]).map((r) => [r.NAME, r.TYPE, r['CLUSTER-IP'], r['PORT(S)']]), [['service/kubernetes', 'ClusterIP', '10.96.0.1', '443/TCP']]);
    const none = await k.run('get', 'pods,svc', '-l', 'app=nothing-has-this');
    assert.equal(none.stdout, '');
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
  });

  test('3: get pods --watch prints a row each time the pod changes', async () => {
    const watch = kubectlStart(['get', 'pods', '--watch'], { kubeconfig: tutorial.cluster.kubeconfigPath });
    try {
      // kubectl lists first, then watches from the list's resourceVersion: nothing after the table is missed.
      await watch.waitForOutput(/^hello-kube\s+1\/1\s+Running\s/m, 10_000);
      assert.match(watch.stdout.split('\n')[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      assert.equal(await k.ok('run', 'watched', '--image=hello'), 'pod/watched created\n');
      await watch.waitForOutput(/^watched\s+1\/1\s+Running\s+0\s+\d+s$/m, 15_000);
      const rows = watch.stdout.split('\n').filter((l) => l.startsWith('watched '));
      assert.match(rows[0], /^watched\s+0\/1\s+Pending\s+0\s+\d+s$/);
      assert.ok(rows.some((r) => /^watched\s+0\/1\s+ContainerCreating\s/.test(r)), rows.join('\n'));
      assert.equal(await k.ok('delete', 'pod', 'watched'), 'pod "watched" deleted\n');
      await watch.waitForOutput(/^watched\s+\S+\s+Terminating\s+/m, 15_000);
    } finally {
      await watch.stop();
    }
  });
});

describe('4: label and annotate', { skip: kubectlSkip }, () => {
  test('4: label adds a label; changing one needs --overwrite; key- removes it', async () => {
    assert.equal(await k.ok('label', 'pods', 'hello-kube', 'version=1.0.0'), 'pod/hello-kube labeled\n');
    const refused = await k.run('label', 'pods', 'hello-kube', 'version=1.0.1');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "error: 'version' already has a value (1.0.0), and --overwrite is false\n");
    assert.equal(await k.ok('get', 'pod', 'hello-kube', '-o', 'jsonpath={.metadata.labels.version}'), '1.0.0');
    assert.equal(await k.ok('label', 'pods', 'hello-kube', 'version=1.0.1', '--overwrite'), 'pod/hello-kube labeled\n');
    assert.equal(tableRows(await k.ok('get', 'pod', 'hello-kube', '-L', 'version'))[0].VERSION, '1.0.1');
    assert.equal(await k.ok('label', 'pods', 'hello-kube', 'version-'), 'pod/hello-kube unlabeled\n');
    assert.equal(tableRows(await k.ok('get', 'pod', 'hello-kube', '--show-labels'))[0].LABELS, 'app=node');
    assert.equal(await k.ok('label', 'pods', 'hello-kube', 'version-'), 'label "version" not found.\npod/hello-kube not labeled\n');
  });

  test('4: a bad label value is refused, by kubectl or by the API server, and changes nothing', async () => {
    const label = await k.run('label', 'pods', 'hello-kube', 'tier=-frontend');
    assert.equal(label.code, 1);
    assert.match(label.stderr, /^error: invalid label value: "tier=-frontend": a valid label must be an empty string/);
    // A patch is not checked by kubectl: the API server refuses it.
    const patch = await k.run('patch', 'pod', 'hello-kube', '-p', '{"metadata":{"labels":{"tier":"-frontend"}}}');
    assert.equal(patch.code, 1);
    assert.match(
      patch.stderr,
      /^The Pod "hello-kube" is invalid: metadata\.labels: Invalid value: "-frontend": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character/m,
    );
    assert.equal(tableRows(await k.ok('get', 'pod', 'hello-kube', '--show-labels'))[0].LABELS, 'app=node');
  });

  test('4: label node n os=centos shows with -L and can be selected and removed', async () => {
    assert.equal(await k.ok('label', 'node', 'k8ts-node-1', 'os=centos'), 'node/k8ts-node-1 labeled\n');
    const [node] = tableRows(await k.ok('get', 'nodes', '-L', 'os'));
    assert.deepEqual([node.NAME, node.STATUS, node.OS], ['k8ts-node-1', 'Ready', 'centos']);
    assert.equal(await k.ok('get', 'nodes', '-l', 'os=centos', '-o', 'name'), 'node/k8ts-node-1\n');
    assert.equal(await k.ok('label', 'node', 'k8ts-node-1', 'os-'), 'node/k8ts-node-1 unlabeled\n');
    const none = await k.run('get', 'nodes', '-l', 'os=centos');
    assert.equal(none.stderr, 'No resources found\n');
  });

  test('4: annotate adds, refuses to change without --overwrite, and removes with key-', async () => {
    assert.equal(await k.ok('annotate', 'pod', 'hello-kube', 'mycompany.com/someannotation=foo bar'), 'pod/hello-kube annotated\n');
    const refused = await k.run('annotate', 'pod', 'hello-kube', 'mycompany.com/someannotation=baz');
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      "error: --overwrite is false but found the following declared annotation(s): 'mycompany.com/someannotation' already has a value (foo bar)\n",
    );
    assert.match(await k.ok('describe', 'pod', 'hello-kube'), /^Annotations:\s+mycompany\.com\/someannotation: foo bar$/m);
    assert.equal(await k.ok('annotate', 'pod', 'hello-kube', 'mycompany.com/someannotation=baz', '--overwrite'), 'pod/hello-kube annotated\n');
    assert.equal(await k.ok('get', 'pod', 'hello-kube', '-o', "jsonpath={.metadata.annotations['mycompany\\.com/someannotation']}"), 'baz');
    assert.equal(await k.ok('annotate', 'pod', 'hello-kube', 'mycompany.com/someannotation-'), 'pod/hello-kube annotated\n');
    assert.match(await k.ok('describe', 'pod', 'hello-kube'), /^Annotations:\s+<none>$/m);
  });
});

describe('5: describe pod', { skip: kubectlSkip }, () => {
  test('5: describe shows the pod, its containers with probes, resources, environment and mounts, conditions, volumes, QoS and events', async () => {
    await k.apply(`
apiVersion: v1
kind: Pod
metadata:
  name: hello-health
  labels: {app: hello-health, tier: web}
  annotations: {team: tutorial}
spec:
  containers:
  - name: hello
    image: hello-health
    ports:
    - containerPort: 8080
    env:
    - {name: GREETING, value: hello}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    livenessProbe:
      httpGet: {path: /healthy, port: 8080}
    readinessProbe:
      exec: {command: [cat, /start]}
      initialDelaySeconds: 5
      periodSeconds: 3
    startupProbe:
      tcpSocket: {port: 8080}
      failureThreshold: 30
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {cpu: 200m, memory: 128Mi}
    volumeMounts:
    - {name: data, mountPath: /data}
  volumes:
  - name: data
    emptyDir: {}
`);
    // Ready once the readiness probe's initial delay (5 s) has passed.
    await podsUntil((rows) => rows[0]?.READY === '1/1', 'hello-health');
    const d = await k.ok('describe', 'pod', 'hello-health');
    const ip = await k.ok('get', 'pod', 'hello-health', '-o', 'jsonpath={.status.podIP}');
    const hostIP = await k.ok('get', 'pod', 'hello-health', '-o', 'jsonpath={.status.hostIP}');
    for (const line of [
      /^Name:\s+hello-health$/,
      /^Namespace:\s+default$/,
      /^Priority:\s+0$/,
      /^Service Account:\s+default$/,
      new RegExp(`^Node:\\s+k8ts-node-1/${literal(hostIP)}$`),
      /^Start Time:\s+\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
      /^Labels:\s+app=hello-health\n\s+tier=web$/,
      /^Annotations:\s+team: tutorial$/,
      /^Status:\s+Running$/,
      new RegExp(`^IP:\\s+${literal(ip)}$`),
      /^Containers:\n  hello:$/,
      /^    Image:\s+hello-health$/,
      /^    Port:\s+8080\/TCP$/,
      /^    Host Port:\s+0\/TCP$/,
      /^    State:\s+Running\n      Started:\s+\w{3}, /,
      /^    Ready:\s+True$/,
      /^    Restart Count:\s+0$/,
      /^    Limits:\n      cpu:\s+200m\n      memory:\s+128Mi\n    Requests:\n      cpu:\s+100m\n      memory:\s+64Mi$/,
      /^    Liveness:\s+http-get http:\/\/:8080\/healthy delay=0s timeout=1s period=10s #success=1 #failure=3$/,
      /^    Readiness:\s+exec \[cat \/start\] delay=5s timeout=1s period=3s #success=1 #failure=3$/,
      /^    Startup:\s+tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=30$/,
      /^    Environment:\n      GREETING:\s+hello\n      POD_NAME:\s+hello-health \(v1:metadata\.name\)$/,
      /^    Mounts:\n      \/data from data \(rw\)\n      \/var\/run\/secrets\/kubernetes\.io\/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)$/,
      /^Conditions:\n  Type\s+Status\n  PodReadyToStartContainers\s+True \n  Initialized\s+True \n  Ready\s+True \n  ContainersReady\s+True \n  PodScheduled\s+True $/,
      /^Volumes:\n  data:\n    Type:\s+EmptyDir \(a temporary directory that shares a pod's lifetime\)\n    Medium:\s+\n    SizeLimit:\s+<unset>$/,
      /^  kube-api-access-[a-z0-9]{5}:\n    Type:\s+Projected \(a volume that contains injected data from multiple sources\)$/,
      /^QoS Class:\s+Burstable$/,
      /^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s$/,
      /^Events:\n  Type\s+Reason\s+Age\s+From\s+Message\n  ----\s+------\s+----\s+----\s+-------$/,
      /^  Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/hello-health to k8ts-node-1$/,
      /^  Normal\s+Created\s+\S+\s+kubelet\s+Created container: hello$/,
      /^  Normal\s+Started\s+\S+\s+kubelet\s+Started container hello$/,
    ]) {
      assert.match(d, new RegExp(line.source, 'm'));
    }
  });

  test('5: describe of a pod that does not exist says NotFound', async () => {
    const r = await k.run('describe', 'pod', 'no-such-pod');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "no-such-pod" not found\n');
  });
});

describe('6: namespaces', { skip: kubectlSkip }, () => {
  test('6: the four system namespaces exist and cannot be deleted', async () => {
    const rows = tableRows(await k.ok('get', 'namespaces'));
    assert.deepEqual(rows.map((r) => [r.NAME, r.STATUS]), [
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
    ]);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const r = await k.run('delete', 'namespace', ns);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `Error from server (Forbidden): namespaces "${ns}" is forbidden: this namespace may not be deleted\n`);
    }
    assert.equal(tableRows(await k.ok('get', 'ns')).length, 4);
  });

  test('6: create namespace, run pods in it with -n, see them with -A, describe it', async () => {
    assert.equal(await k.ok('create', 'namespace', 'custom-namespace'), 'namespace/custom-namespace created\n');
    assert.equal(await k.ok('run', 'hello-kube', '--image=hello', '-n', 'custom-namespace'), 'pod/hello-kube created\n');
    await podsUntil(allRunning, '-n', 'custom-namespace');
    // The same name in two namespaces: two pods.
    const all = tableRows(await k.ok('get', 'pods', '-A', '--field-selector', 'metadata.name=hello-kube'));
    assert.deepEqual(all.map((r) => [r.NAMESPACE, r.NAME, r.STATUS]), [
      ['custom-namespace', 'hello-kube', 'Running'],
      ['default', 'hello-kube', 'Running'],
    ]);
    assert.equal(
      await k.ok('describe', 'namespace', 'custom-namespace'),
      'Name:         custom-namespace\nLabels:       kubernetes.io/metadata.name=custom-namespace\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
    );
    const empty = await k.run('get', 'configmaps', '-n', 'custom-namespace', '-l', 'app=none');
    assert.equal(empty.stderr, 'No resources found in custom-namespace namespace.\n');
  });

  test('6: a namespace name must be a DNS label; a pod in a namespace that does not exist is refused', async () => {
    const bad = await k.run('create', 'namespace', 'Custom_Namespace');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^The Namespace "Custom_Namespace" is invalid: metadata\.name: Invalid value: "Custom_Namespace": a lowercase RFC 1123 label must consist of/);
    const nowhere = await k.run('run', 'lost', '--image=hello', '-n', 'no-such-namespace');
    assert.equal(nowhere.code, 1);
    assert.equal(nowhere.stderr, 'Error from server (NotFound): namespaces "no-such-namespace" not found\n');
  });

  test('6: delete namespace removes everything in it', async () => {
    assert.equal(await k.ok('create', 'configmap', 'settings', '--from-literal=a=b', '-n', 'custom-namespace'), 'configmap/settings created\n');
    assert.equal(await k.ok('delete', 'namespace', 'custom-namespace'), 'namespace "custom-namespace" deleted\n');
    const gone = await k.run('get', 'namespace', 'custom-namespace');
    assert.equal(gone.stderr, 'Error from server (NotFound): namespaces "custom-namespace" not found\n');
    for (const kind of ['pods', 'configmaps', 'serviceaccounts']) {
      const r = await k.run('get', kind, '-n', 'custom-namespace');
      assert.equal(r.stderr, 'No resources found in custom-namespace namespace.\n', kind);
    }
    // The pod of the same name in default is untouched.
    assert.equal(tableRows(await k.ok('get', 'pod', 'hello-kube'))[0].STATUS, 'Running');
  });

  test('6: while a namespace is Terminating nothing new can be created in it', async () => {
    await k.ok('create', 'namespace', 'doomed');
    // A finalizer no controller removes keeps the ConfigMap, and so the namespace, around.
    await k.apply(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: held
  namespace: doomed
  finalizers: [example.com/hold]
`);
    assert.equal(await k.ok('delete', 'namespace', 'doomed', '--wait=false'), 'namespace "doomed" deleted\n');
    await eventually(async () => tableRows(await k.ok('get', 'namespace', 'doomed'))[0]?.STATUS === 'Terminating', 10_000);
    const refused = await k.run('run', 'late', '--image=hello', '-n', 'doomed');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'Error from server (Forbidden): pods "late" is forbidden: unable to create new content in namespace doomed because it is being terminated\n');
    assert.equal(await k.ok('patch', 'configmap', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'), 'configmap/held patched\n');
    await eventually(async () => (await k.run('get', 'namespace', 'doomed')).code === 1, 15_000);
  });
});

describe('7: api-resources and explain', { skip: kubectlSkip }, () => {
  test('7: api-resources lists the kinds with NAME SHORTNAMES APIVERSION NAMESPACED KIND', async () => {
    const out = await k.ok('api-resources');
    assert.match(out.split('\n')[0], /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    const byName = new Map(tableRows(out).map((r) => [`${r.NAME} ${r.APIVERSION}`, [r.SHORTNAMES, r.NAMESPACED, r.KIND]]));
    for (const [key, expected] of [
      ['pods v1', ['po', 'true', 'Pod']],
      ['services v1', ['svc', 'true', 'Service']],
      ['namespaces v1', ['ns', 'false', 'Namespace']],
      ['nodes v1', ['no', 'false', 'Node']],
      ['configmaps v1', ['cm', 'true', 'ConfigMap']],
      ['secrets v1', ['', 'true', 'Secret']],
      ['replicationcontrollers v1', ['rc', 'true', 'ReplicationController']],
      ['persistentvolumeclaims v1', ['pvc', 'true', 'PersistentVolumeClaim']],
      ['deployments apps/v1', ['deploy', 'true', 'Deployment']],
      ['replicasets apps/v1', ['rs', 'true', 'ReplicaSet']],
      ['daemonsets apps/v1', ['ds', 'true', 'DaemonSet']],
      ['statefulsets apps/v1', ['sts', 'true', 'StatefulSet']],
      ['jobs batch/v1', ['', 'true', 'Job']],
      ['cronjobs batch/v1', ['cj', 'true', 'CronJob']],
      ['horizontalpodautoscalers autoscaling/v2', ['hpa', 'true', 'HorizontalPodAutoscaler']],
      ['ingresses networking.k8s.io/v1', ['ing', 'true', 'Ingress']],
      ['storageclasses storage.k8s.io/v1', ['sc', 'false', 'StorageClass']],
    ] as const) {
      assert.deepEqual(byName.get(key), expected, key);
    }
    assert.equal(
      await k.ok('api-resources', '--api-group=apps', '-o', 'name'),
      'controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n',
    );
    const clusterScoped = tableRows(await k.ok('api-resources', '--namespaced=false'));
    assert.ok(clusterScoped.length > 0 && clusterScoped.every((r) => r.NAMESPACED === 'false'));
    // The short names work wherever a resource is named.
    assert.equal(tableRows(await k.ok('get', 'po', 'hello-kube'))[0].NAME, 'hello-kube');
  });

  test('7: explain pods and explain pod.spec.containers print KIND, VERSION, DESCRIPTION and FIELDS', async () => {
    const pods = await k.ok('explain', 'pods');
    assert.match(pods, /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n {4}\S/);
    assert.deepEqual(pods.split('\n').filter((l) => /^ {2}\S/.test(l)), ['  apiVersion\t<string>', '  kind\t<string>', '  metadata\t<ObjectMeta>', '  spec\t<PodSpec>', '  status\t<PodStatus>']);
    const containers = await k.ok('explain', 'pod.spec.containers');
    assert.match(containers, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n\n\nDESCRIPTION:\n {4}\S/);
    assert.match(containers, /^FIELDS:$/m);
    const fields = containers.split('\n').filter((l) => /^ {2}\w+\t/.test(l));
    for (const f of ['  env\t<[]EnvVar>', '  image\t<string>', '  livenessProbe\t<Probe>', '  name\t<string> -required-', '  ports\t<[]ContainerPort>', '  resources\t<ResourceRequirements>', '  volumeMounts\t<[]VolumeMount>']) {
      assert.ok(fields.includes(f), `${JSON.stringify(f)} in ${JSON.stringify(fields)}`);
    }
    assert.deepEqual(fields, [...fields].sort((a, b) => a.localeCompare(b)), 'fields are listed alphabetically');
    // Each field is followed by its description, indented further.
    assert.match(containers, /^ {2}image\t<string>\n {4}\S/m);
  });

  test('7: explain --recursive prints the whole tree of field names and types, without descriptions', async () => {
    const out = await k.ok('explain', 'pod.spec.containers', '--recursive');
    assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n/);
    assert.match(out, /^ {2}env\t<\[\]EnvVar>\n {4}name\t<string> -required-\n {4}value\t<string>\n {4}valueFrom\t<EnvVarSource>\n {6}configMapKeyRef\t<ConfigMapKeySelector>\n {8}key\t<string> -required-$/m);
    assert.match(out, /^ {2}livenessProbe\t<Probe>$/m);
    assert.match(out, /^ {4}httpGet\t<HTTPGetAction>$/m);
    const fieldsPart = out.slice(out.indexOf('FIELDS:\n') + 'FIELDS:\n'.length);
    // Below FIELDS: names, types and the allowed values of enums, but no descriptions.
    for (const line of fieldsPart.split('\n').filter(Boolean)) assert.match(line, /^(?: {2})+(?:\w+\t<[^>]+>(?: -required-)?|enum: .+)$/);
    assert.match(out, /^ {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never$/m);
  });

  test('7: explain of a field that does not exist is an error', async () => {
    const r = await k.run('explain', 'pod.spec.nonexistent');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: field "nonexistent" does not exist\n');
    const kind = await k.run('explain', 'nosuchkind');
    assert.equal(kind.code, 1);
    assert.equal(kind.stderr, `the server doesn't have a resource type "nosuchkind"\n`);
  });
});
