// Chapter 7, scheduling and nodes, as the reader does it with kubectl on a three-node cluster
// (k8ts-node-1 is the control plane, untainted as in minikube): scenarios 47 to 49, 51 and 52.
// Scenario 50 (a node that stops reporting) needs a short node-monitor grace period: it is in
// 07-node-failure.test.ts.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../../src/index.js';
import { kubectlSkip, kubectlStart } from '../support/kubectl.js';
import { eventually, kubectlFor, lineMatching, literal, tableRows, type Kubectl, type Row } from './support.js';

const NODES = ['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3'];
const NOT_HELPFUL = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
const NO_VICTIMS = 'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

let cluster: Cluster;
let k: Kubectl;
/** The namespace of the running test; each test starts with a fresh one. */
let ns = '';
let nsCount = 0;
/** Cluster-scoped things a test changed (labels, taints, cordons, priority classes), undone after it. */
let undo: string[][] = [];

before(async () => {
  cluster = await startCluster({ nodes: 3 });
  k = kubectlFor(cluster.kubeconfigPath);
});

after(async () => {
  await cluster?.stop();
});

afterEach(async () => {
  for (const args of undo.reverse()) await k.run(...args);
  undo = [];
  if (ns) await k.run('delete', 'namespace', ns);
  ns = '';
});

async function newNamespace(): Promise<void> {
  ns = `ch7-${++nsCount}`;
  assert.equal(await k.ok('create', 'namespace', ns), `namespace/${ns} created\n`);
}

/** `kubectl get pods -o wide` in the test's namespace, as rows. */
async function pods(...args: string[]): Promise<Row[]> {
  return tableRows(await k.ok('get', 'pods', '-n', ns, '-o', 'wide', ...args));
}

/** Waits until `get pods -o wide` shows what `check` wants, and returns those rows. */
async function podsUntil(check: (rows: Row[]) => boolean, args: string[] = [], timeoutMs = 20_000): Promise<Row[]> {
  let last: Row[] = [];
  try {
    return await eventually(async () => {
      last = await pods(...args);
      return check(last) ? last : undefined;
    }, timeoutMs, 100);
  } catch {
    assert.fail(`kubectl get pods -n ${ns} -o wide ${args.join(' ')} never showed what the test waits for:\n${JSON.stringify(last, null, 1)}`);
  }
}

const running = (rows: Row[]) => rows.filter((r) => r.STATUS === 'Running');

/** NAME → NODE of the pods that are Running. */
function placement(rows: Row[]): Record<string, string> {
  return Object.fromEntries(running(rows).map((r) => [r.NAME, r.NODE]));
}

/** The pod's FailedScheduling message, as `describe pod` shows it in Events. */
async function failedScheduling(pod: string): Promise<string> {
  return eventually(async () => {
    const line = lineMatching(await k.ok('describe', 'pod', pod, '-n', ns), /^\s+Warning\s+FailedScheduling\s/);
    // The age column reads `5s`, or `0s (x2 over 2s)` once the scheduler has retried.
    return line?.replace(/^\s+Warning\s+FailedScheduling\s+\S+(?: \(x\d+ over \S+\))?\s+default-scheduler\s+/, '');
  }, 10_000);
}

function pod(name: string, spec: string, labels = ''): string {
  return `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${labels ? `  labels: {${labels}}\n` : ''}spec:
${spec}
  containers:
  - name: app
    image: hello
---`;
}

function deployment(name: string, replicas: number, podSpec: string): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${podSpec}
      containers:
      - name: app
        image: hello
---`;
}

test('52: get nodes, get nodes -o wide and describe node', { skip: kubectlSkip }, async () => {
  await newNamespace();
  const listed = await k.ok('get', 'nodes');
  assert.match(listed.split('\n')[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
  const nodes = tableRows(listed);
  assert.deepEqual(nodes.map((n) => [n.NAME, n.STATUS, n.ROLES, n.VERSION]), [
    ['k8ts-node-1', 'Ready', 'control-plane', 'v1.32.0-k8ts'],
    ['k8ts-node-2', 'Ready', '<none>', 'v1.32.0-k8ts'],
    ['k8ts-node-3', 'Ready', '<none>', 'v1.32.0-k8ts'],
  ]);
  for (const n of nodes) assert.match(n.AGE, /^\d+s$/);

  const wide = await k.ok('get', 'nodes', '-o', 'wide');
  assert.match(wide.split('\n')[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
  const ips = new Set<string>();
  for (const n of tableRows(wide)) {
    assert.match(n['INTERNAL-IP'], /^\d+\.\d+\.\d+\.\d+$/);
    ips.add(n['INTERNAL-IP']);
    assert.equal(n['EXTERNAL-IP'], '<none>');
    assert.notEqual(n['OS-IMAGE'], '');
    assert.notEqual(n['CONTAINER-RUNTIME'], '');
  }
  assert.equal(ips.size, 3, 'every node has its own InternalIP');

  await k.apply(
    `
apiVersion: v1
kind: Pod
metadata:
  name: sized
spec:
  nodeSelector: {kubernetes.io/hostname: k8ts-node-2}
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: 500m, memory: 128Mi}
      limits: {cpu: "1", memory: 256Mi}
`,
    '-n',
    ns,
  );
  await podsUntil((rows) => rows[0]?.STATUS === 'Running');
  const described = await k.ok('describe', 'node', 'k8ts-node-2');
  assert.match(described, /^Name:\s+k8ts-node-2$/m);
  assert.match(described, /^Roles:\s+<none>$/m);
  assert.match(described, /^Labels:\s+beta\.kubernetes\.io\/arch=amd64$/m);
  assert.match(described, /^\s+kubernetes\.io\/hostname=k8ts-node-2$/m);
  assert.match(described, /^Taints:\s+<none>$/m);
  assert.match(described, /^Unschedulable:\s+false$/m);
  assert.match(described, /^Conditions:\n\s+Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message\n/m);
  assert.match(described, /^\s+MemoryPressure\s+False\s+.+\s+KubeletHasSufficientMemory\s+kubelet has sufficient memory available$/m);
  assert.match(described, /^\s+Ready\s+True\s+.+\s+KubeletReady\s+kubelet is posting ready status$/m);
  assert.match(described, /^Addresses:\n\s+InternalIP:\s+\d+\.\d+\.\d+\.\d+\n\s+Hostname:\s+k8ts-node-2\n/m);
  assert.match(described, /^Capacity:\n\s+cpu:\s+8\n(?:\s+.+\n)*?\s+pods:\s+110\n/m);
  assert.match(described, /^Allocatable:\n\s+cpu:\s+8\n(?:\s+.+\n)*?\s+pods:\s+110\n/m);
  assert.match(described, /^Non-terminated Pods:\s+\(1 in total\)$/m);
  assert.match(described, /^\s+Namespace\s+Name\s+CPU Requests\s+CPU Limits\s+Memory Requests\s+Memory Limits\s+Age$/m);
  assert.match(described, new RegExp(`^\\s+${ns}\\s+sized\\s+500m \\(6%\\)\\s+1 \\(12%\\)\\s+128Mi \\(0%\\)\\s+256Mi \\(0%\\)\\s+\\d+s$`, 'm'));
  assert.match(described, /^Allocated resources:\n\s+\(Total limits may be over 100 percent, i\.e\., overcommitted\.\)\n/m);
  assert.match(described, /^\s+cpu\s+500m \(6%\)\s+1 \(12%\)$/m);
  assert.match(described, /^\s+memory\s+128Mi \(0%\)\s+256Mi \(0%\)$/m);
  assert.match(described, /^\s+Normal\s+NodeReady\s+\S+\s+kubelet\s+Node k8ts-node-2 status is now: NodeReady$/m);
});

test('47: nodeSelector and node affinity with In, NotIn, Exists, DoesNotExist, Gt and Lt', { skip: kubectlSkip }, async () => {
  await newNamespace();
  assert.equal(await k.ok('label', 'node', 'k8ts-node-2', 'disktype=ssd', 'gpu-count=2'), 'node/k8ts-node-2 labeled\n');
  undo.push(['label', 'node', 'k8ts-node-2', 'disktype-', 'gpu-count-']);
  assert.equal(await k.ok('label', 'node', 'k8ts-node-3', 'disktype=hdd', 'gpu-count=8'), 'node/k8ts-node-3 labeled\n');
  undo.push(['label', 'node', 'k8ts-node-3', 'disktype-', 'gpu-count-']);
  const required = (...expressions: string[]) => `  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
${expressions.map((e) => `          - ${e}`).join('\n')}`;
  await k.apply(
    [
      pod('selector-ssd', '  nodeSelector: {disktype: ssd}'),
      pod('in-ssd', required('{key: disktype, operator: In, values: [ssd]}')),
      pod('notin-ssd-with-gpus', required('{key: disktype, operator: NotIn, values: [ssd]}', '{key: gpu-count, operator: Exists}')),
      pod('no-gpus', required('{key: gpu-count, operator: DoesNotExist}')),
      pod('gpus-gt-4', required('{key: gpu-count, operator: Gt, values: ["4"]}')),
      pod('gpus-lt-4', required('{key: gpu-count, operator: Lt, values: ["4"]}')),
      pod(
        'prefers-hdd',
        `  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        preference:
          matchExpressions:
          - {key: disktype, operator: In, values: [hdd]}`,
      ),
      pod('selector-nvme', '  nodeSelector: {disktype: nvme}'),
    ].join('\n'),
    '-n',
    ns,
  );
  const rows = await podsUntil((r) => running(r).length === 7);
  assert.deepEqual(placement(rows), {
    'gpus-gt-4': 'k8ts-node-3',
    'gpus-lt-4': 'k8ts-node-2',
    'in-ssd': 'k8ts-node-2',
    'no-gpus': 'k8ts-node-1',
    'notin-ssd-with-gpus': 'k8ts-node-3',
    'prefers-hdd': 'k8ts-node-3',
    'selector-ssd': 'k8ts-node-2',
  });
  // No node has disktype=nvme: the pod waits, and goes as soon as a node gets the label.
  const nvme = rows.find((r) => r.NAME === 'selector-nvme')!;
  assert.deepEqual([nvme.STATUS, nvme.NODE], ['Pending', '<none>']);
  assert.equal(await failedScheduling('selector-nvme'), `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL}`);
  assert.equal(await k.ok('label', 'node', 'k8ts-node-1', 'disktype=nvme'), 'node/k8ts-node-1 labeled\n');
  undo.push(['label', 'node', 'k8ts-node-1', 'disktype-']);
  await podsUntil((r) => placement(r)['selector-nvme'] === 'k8ts-node-1');
  assert.match(await k.ok('get', 'nodes', '-L', 'disktype,gpu-count'), /^k8ts-node-2\s+Ready\s+<none>\s+\S+\s+\S+\s+ssd\s+2$/m);
});

test('47: pod affinity and anti-affinity on kubernetes.io/hostname', { skip: kubectlSkip }, async () => {
  await newNamespace();
  await k.apply(
    [
      pod('cache', '  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}', 'app: cache'),
      pod(
        'next-to-cache',
        `  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchLabels: {app: cache}
        topologyKey: kubernetes.io/hostname`,
      ),
    ].join('\n'),
    '-n',
    ns,
  );
  await podsUntil((r) => placement(r)['next-to-cache'] === 'k8ts-node-3' && placement(r).cache === 'k8ts-node-3');

  // One replica per node at most: the fourth has nowhere to go.
  assert.equal(
    await k.apply(
      deployment(
        'one-per-node',
        4,
        `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: one-per-node}
            topologyKey: kubernetes.io/hostname`,
      ),
      '-n',
      ns,
    ),
    'deployment.apps/one-per-node created\n',
  );
  const rows = await podsUntil((r) => {
    const mine = r.filter((p) => p.NAME.startsWith('one-per-node-'));
    return mine.length === 4 && running(mine).length === 3;
  }, ['-l', 'app=one-per-node']);
  assert.deepEqual(running(rows).map((r) => r.NODE).sort(), NODES);
  const pending = rows.find((r) => r.STATUS === 'Pending')!;
  assert.equal(pending.NODE, '<none>');
  assert.equal(await failedScheduling(pending.NAME), `0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. ${NO_VICTIMS}`);
  const [deploy] = tableRows(await k.ok('get', 'deployment', 'one-per-node', '-n', ns));
  assert.equal(deploy.READY, '3/4');
});

test('47: topology spread constraints put the replicas evenly across nodes', { skip: kubectlSkip }, async () => {
  await newNamespace();
  await k.apply(
    deployment(
      'spread',
      6,
      `      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: {app: spread}`,
    ),
    '-n',
    ns,
  );
  const rows = await podsUntil((r) => running(r).length === 6);
  const perNode = new Map<string, number>();
  for (const r of rows) perNode.set(r.NODE, (perNode.get(r.NODE) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(perNode), { 'k8ts-node-1': 2, 'k8ts-node-2': 2, 'k8ts-node-3': 2 });
});

test('48: NoSchedule taints keep pods without a toleration away; Equal and Exists tolerations let them on', { skip: kubectlSkip }, async () => {
  await newNamespace();
  for (const node of ['k8ts-node-2', 'k8ts-node-3']) {
    assert.equal(await k.ok('taint', 'nodes', node, 'dedicated=special:NoSchedule'), `node/${node} tainted\n`);
    undo.push(['taint', 'nodes', node, 'dedicated:NoSchedule-']);
  }
  assert.match(await k.ok('describe', 'node', 'k8ts-node-2'), /^Taints:\s+dedicated=special:NoSchedule$/m);
  await k.apply(
    [
      deployment('untolerating', 3, ''),
      pod(
        'tolerates-equal',
        `  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}
  tolerations:
  - {key: dedicated, operator: Equal, value: special, effect: NoSchedule}`,
      ),
      pod(
        'tolerates-exists',
        `  nodeSelector: {kubernetes.io/hostname: k8ts-node-2}
  tolerations:
  - {key: dedicated, operator: Exists}`,
      ),
      pod('wants-node-3', '  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}'),
    ].join('\n'),
    '-n',
    ns,
  );
  const rows = await podsUntil((r) => running(r).length === 5);
  for (const r of running(rows).filter((p) => p.NAME.startsWith('untolerating-'))) assert.equal(r.NODE, 'k8ts-node-1', `${r.NAME} avoids the tainted nodes`);
  assert.equal(placement(rows)['tolerates-equal'], 'k8ts-node-3');
  assert.equal(placement(rows)['tolerates-exists'], 'k8ts-node-2');
  assert.equal(rows.find((r) => r.NAME === 'wants-node-3')?.STATUS, 'Pending');
  assert.equal(
    await failedScheduling('wants-node-3'),
    `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: special}. ${NOT_HELPFUL}`,
  );
  // Removing the taint (key:effect-) lets the waiting pod on.
  assert.equal(await k.ok('taint', 'nodes', 'k8ts-node-3', 'dedicated:NoSchedule-'), 'node/k8ts-node-3 untainted\n');
  await podsUntil((r) => placement(r)['wants-node-3'] === 'k8ts-node-3');
  assert.match(await k.ok('describe', 'node', 'k8ts-node-3'), /^Taints:\s+<none>$/m);
  const again = await k.run('taint', 'nodes', 'k8ts-node-3', 'dedicated:NoSchedule-');
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'error: taint "dedicated:NoSchedule" not found\n');
});

test('48: a NoExecute taint evicts running pods that do not tolerate it, at once or after tolerationSeconds', { skip: kubectlSkip }, async () => {
  await newNamespace();
  await k.apply(
    [
      pod('intolerant', '  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}'),
      pod(
        'tolerates-2s',
        `  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}
  tolerations:
  - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 2}`,
      ),
      pod(
        'tolerates-forever',
        `  nodeSelector: {kubernetes.io/hostname: k8ts-node-3}
  tolerations:
  - {key: maintenance, operator: Equal, value: "true", effect: NoExecute}`,
      ),
    ].join('\n'),
    '-n',
    ns,
  );
  await podsUntil((r) => running(r).length === 3);
  assert.equal(await k.ok('taint', 'nodes', 'k8ts-node-3', 'maintenance=true:NoExecute'), 'node/k8ts-node-3 tainted\n');
  undo.push(['taint', 'nodes', 'k8ts-node-3', 'maintenance-']);
  const tainted = Date.now();
  const first = await podsUntil((r) => !r.some((p) => p.NAME === 'intolerant'), [], 15_000);
  assert.ok(first.some((p) => p.NAME === 'tolerates-2s'), 'the pod tolerating 2 s outlives the intolerant one');
  await podsUntil((r) => r.length === 1, [], 8_000);
  assert.ok(Date.now() - tainted >= 2000, 'tolerationSeconds: 2 is honoured');
  assert.deepEqual(placement(await pods()), { 'tolerates-forever': 'k8ts-node-3' });
  // Events are written asynchronously: wait for both.
  const events = await eventually(async () => {
    const rows = tableRows(await k.ok('get', 'events', '-n', ns, '--field-selector', 'reason=TaintManagerEviction', '--sort-by', '.lastTimestamp'));
    return rows.length >= 2 ? rows : undefined;
  }, 15_000, 100);
  assert.deepEqual(
    events.map((e) => [e.OBJECT, e.MESSAGE]),
    [
      ['pod/intolerant', `Marking for deletion Pod ${ns}/intolerant`],
      ['pod/tolerates-2s', `Marking for deletion Pod ${ns}/tolerates-2s`],
    ],
  );
  assert.equal(await k.ok('taint', 'nodes', 'k8ts-node-3', 'maintenance-'), 'node/k8ts-node-3 untainted\n');
});

test('48: PreferNoSchedule steers pods away while an untainted node has room', { skip: kubectlSkip }, async () => {
  await newNamespace();
  for (const node of ['k8ts-node-2', 'k8ts-node-3']) {
    assert.equal(await k.ok('taint', 'nodes', node, 'dedicated=special:PreferNoSchedule'), `node/${node} tainted\n`);
    undo.push(['taint', 'nodes', node, 'dedicated:PreferNoSchedule-']);
  }
  await k.apply([pod('first', ''), pod('second', ''), pod('third', '')].join('\n'), '-n', ns);
  const rows = await podsUntil((r) => running(r).length === 3);
  assert.deepEqual(placement(rows), { first: 'k8ts-node-1', second: 'k8ts-node-1', third: 'k8ts-node-1' });
  // Only a preference: a pod that must go to a tainted node still goes there.
  await k.apply(pod('pinned', '  nodeSelector: {kubernetes.io/hostname: k8ts-node-2}'), '-n', ns);
  await podsUntil((r) => placement(r).pinned === 'k8ts-node-2');
});

test('49: cordon and uncordon', { skip: kubectlSkip }, async () => {
  await newNamespace();
  assert.equal(await k.ok('cordon', 'k8ts-node-3'), 'node/k8ts-node-3 cordoned\n');
  undo.push(['uncordon', 'k8ts-node-3']);
  const nodes = tableRows(await k.ok('get', 'nodes'));
  assert.deepEqual(nodes.map((n) => n.STATUS), ['Ready', 'Ready', 'Ready,SchedulingDisabled']);
  await k.apply(deployment('after-cordon', 4, ''), '-n', ns);
  const rows = await podsUntil((r) => running(r).length === 4);
  assert.ok(rows.every((r) => r.NODE !== 'k8ts-node-3'), 'no new pod lands on the cordoned node');
  assert.equal(await k.ok('uncordon', 'k8ts-node-3'), 'node/k8ts-node-3 uncordoned\n');
  assert.equal(tableRows(await k.ok('get', 'nodes')).find((n) => n.NAME === 'k8ts-node-3')?.STATUS, 'Ready');
  assert.equal(await k.ok('uncordon', 'k8ts-node-3'), 'node/k8ts-node-3 already uncordoned\n');
});

test('49: drain evicts pods respecting PodDisruptionBudgets, and they come back elsewhere', { skip: kubectlSkip }, async () => {
  await newNamespace();
  await k.apply(
    `${deployment('web', 3, '')}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
spec:
  minAvailable: 3
  selector:
    matchLabels: {app: web}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: hello
`,
    '-n',
    ns,
  );
  const initial = await podsUntil((r) => running(r).length === 6);
  const victim = initial.find((r) => r.NAME.startsWith('web-'))!;
  const node = victim.NODE;
  const agentOnNode = initial.find((r) => r.NAME.startsWith('agent-') && r.NODE === node)!;
  await k.apply(
    `
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  nodeName: ${node}
  containers:
  - name: app
    image: hello
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  volumes:
  - name: scratch
    emptyDir: {}
`,
    '-n',
    ns,
  );
  await podsUntil((r) => placement(r).bare === node);
  undo.push(['uncordon', node]);

  // A pod no controller would bring back needs --force; drain stops before evicting anything.
  const refused = await k.run('drain', node, '--ignore-daemonsets', '--delete-emptydir-data');
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, `node/${node} cordoned\n`);
  assert.match(refused.stderr, new RegExp(`^error: unable to drain node "${node}" due to error: cannot delete cannot delete Pods that declare no controller \\(use --force to override\\): ${ns}/bare, continuing command\\.\\.\\.$`, 'm'));
  assert.equal(tableRows(await k.ok('get', 'nodes')).find((n) => n.NAME === node)?.STATUS, 'Ready,SchedulingDisabled');

  // With --force it evicts; the budget (3 of 3 available) holds the web pod until it is relaxed.
  const drain = kubectlStart(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--force'], { kubeconfig: cluster.kubeconfigPath });
  try {
    await eventually(() => drain.stderr.includes(`error when evicting pods/"${victim.NAME}" -n "${ns}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`), 10_000, 50);
    // kubectl joins these two warnings from a Go map: either may come first.
    const ignoring = `ignoring DaemonSet-managed Pods: ${ns}/${agentOnNode.NAME}`;
    const deleting = `deleting Pods that declare no controller: ${ns}/bare`;
    const warning = lineMatching(drain.stderr, /^Warning: /);
    assert.ok(warning === `Warning: ${ignoring}; ${deleting}` || warning === `Warning: ${deleting}; ${ignoring}`, drain.stderr);
    assert.equal(await k.ok('patch', 'pdb', 'web-pdb', '-n', ns, '--type=merge', '-p', '{"spec":{"minAvailable":2}}'), 'poddisruptionbudget.policy/web-pdb patched\n');
    await drain.waitForOutput(new RegExp(`^node/${literal(node)} drained$`, 'm'), 15_000);
    assert.equal(await drain.exited, 0);
  } finally {
    await drain.stop();
  }
  assert.match(drain.stdout, new RegExp(`^node/${literal(node)} already cordoned$`, 'm'));
  assert.match(drain.stdout, new RegExp(`^evicting pod ${ns}/${victim.NAME}$`, 'm'));
  assert.match(drain.stdout, new RegExp(`^pod/${victim.NAME} evicted$`, 'm'));
  assert.match(drain.stdout, /^pod\/bare evicted$/m);

  // The Deployment's replacement runs elsewhere; the DaemonSet pod stays; the bare pod is gone for good.
  const settled = await podsUntil((r) => running(r.filter((p) => p.NAME.startsWith('web-'))).length === 3);
  for (const r of settled.filter((p) => p.NAME.startsWith('web-'))) assert.notEqual(r.NODE, node, `${r.NAME} runs on another node`);
  assert.equal(placement(settled)[agentOnNode.NAME], node);
  assert.ok(!settled.some((r) => r.NAME === 'bare'));
  const [pdb] = tableRows(await k.ok('get', 'pdb', 'web-pdb', '-n', ns));
  assert.equal(pdb['ALLOWED DISRUPTIONS'], '1');
  assert.equal(await k.ok('uncordon', node), `node/${node} uncordoned\n`);
});

test('51: a high-priority pod preempts lower-priority pods when nothing fits', { skip: kubectlSkip }, async () => {
  await newNamespace();
  assert.equal(
    await k.apply(`
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: ch7-high
value: 1000000
globalDefault: false
description: "Pods that must run."
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: ch7-low
value: 1000
description: "Pods that may wait."
`),
    'priorityclass.scheduling.k8s.io/ch7-high created\npriorityclass.scheduling.k8s.io/ch7-low created\n',
  );
  undo.push(['delete', 'priorityclass', 'ch7-high', 'ch7-low']);
  const classes = tableRows(await k.ok('get', 'priorityclasses'));
  assert.deepEqual(
    classes.filter((c) => c.NAME.startsWith('ch7-')).map((c) => [c.NAME, c.VALUE, c['GLOBAL-DEFAULT'], c.PREEMPTIONPOLICY]),
    [
      ['ch7-high', '1000000', 'false', 'PreemptLowerPriority'],
      ['ch7-low', '1000', 'false', 'PreemptLowerPriority'],
    ],
  );
  // Six CPUs of eight per replica: one low-priority pod fills each node.
  await k.apply(
    `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: filler
spec:
  replicas: 3
  selector:
    matchLabels: {app: filler}
  template:
    metadata:
      labels: {app: filler}
    spec:
      priorityClassName: ch7-low
      containers:
      - name: app
        image: hello
        resources:
          requests: {cpu: "6"}
`,
    '-n',
    ns,
  );
  await podsUntil((r) => running(r).length === 3);
  await k.apply(
    `
apiVersion: v1
kind: Pod
metadata:
  name: important
spec:
  priorityClassName: ch7-high
  containers:
  - name: app
    image: hello
    resources:
      requests: {cpu: "6"}
`,
    '-n',
    ns,
  );
  const rows = await podsUntil((r) => placement(r).important !== undefined && r.length === 4 && running(r).length === 3);
  const node = placement(rows).important;
  const uid = await k.ok('get', 'pod', 'important', '-n', ns, '-o', 'jsonpath={.metadata.uid}');
  const preempted = await eventually(async () => {
    const events = tableRows(await k.ok('get', 'events', '-n', ns, '--field-selector', 'reason=Preempted'));
    return events.length ? events : undefined;
  }, 15_000);
  assert.equal(preempted.length, 1);
  assert.match(preempted[0].OBJECT, /^pod\/filler-/);
  assert.equal(preempted[0].MESSAGE, `Preempted by pod ${uid} on node ${node}`);
  // The evicted replica's replacement waits: no lower-priority pod is left to make room for it.
  const waiting = rows.find((r) => r.STATUS === 'Pending')!;
  assert.match(waiting.NAME, /^filler-/);
  assert.equal(await failedScheduling(waiting.NAME), `0/3 nodes are available: 3 Insufficient cpu. ${NO_VICTIMS}`);
  const described = await k.ok('describe', 'pod', 'important', '-n', ns);
  assert.match(described, /^Priority:\s+1000000$/m);
  assert.match(described, /^Priority Class Name:\s+ch7-high$/m);
});
