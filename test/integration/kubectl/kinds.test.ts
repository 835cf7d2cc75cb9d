// Real kubectl 1.32 over every built-in kind: apply each fixture, read it back in every output
// form, describe it, and delete it, comparing with what a kubeadm cluster prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSkip, kubectlStart } from '../../support/kubectl.js';
import { fixtureDocuments, fixturePath } from '../../fixtures/manifests/index.js';
import { KIND_CASES, type KindCase } from './kinds.js';
import { assertCells, inParallel, parseTable, startSession, type KubectlSession } from './support.js';

const NS = 'kinds';

describe('kubectl over every built-in kind', { skip: kubectlSkip }, () => {
  let s: KubectlSession;
  /** The kinds whose apply worked, for the delete at the end. */
  const created: KindCase[] = [];
  const nsArgs = (c: KindCase) => (c.namespaced ? ['-n', NS] : []);
  const rowOf = (text: string, what: string) => {
    const t = parseTable(text);
    assert.equal(t.rows.length, 1, `${what}: one row expected:\n${text}`);
    return t;
  };

  before(async () => {
    s = await startSession({ nodes: 1 });
    await s.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    await s.stop();
  });

  describe('each kind: apply, get, get -o wide, describe, apply again', { concurrency: 4 }, () => {
    for (const c of KIND_CASES) {
      test(`${c.resource} (${c.file})`, async () => {
        const path = fixturePath(c.file);
        assert.equal(await s.ok(['apply', '-f', path, ...nsArgs(c)]), `${c.ref}/${c.name} created\n`);
        created.push(c);
        const [plain, wide, described, again] = await Promise.all([
          s.ok(['get', c.resource, c.name, ...nsArgs(c)]),
          s.ok(['get', c.resource, c.name, '-o', 'wide', ...nsArgs(c)]),
          s.ok(['describe', c.resource, c.name, ...nsArgs(c)]),
          s.ok(['apply', '-f', path, ...nsArgs(c)]),
        ]);
        const t = rowOf(plain, 'get');
        assert.deepEqual(t.header, c.columns);
        assertCells(t.rows[0], c.row, `get ${c.resource}`);
        const w = rowOf(wide, 'get -o wide');
        assert.deepEqual(w.header, c.wideColumns);
        assertCells(w.rows[0], c.wideRow, `get ${c.resource} -o wide`);
        for (const line of c.describe) assert.match(described, line, `describe ${c.resource}:\n${described}`);
        assert.equal(again, `${c.ref}/${c.name} ${c.reapplied ?? 'unchanged'}\n`);
      });
    }
  });

  describe('several kinds at once', () => {
    test('-o name keeps the order asked for; -o json is a List of every kind', async () => {
      const names = await s.ok(['get', 'deploy/frontend', 'sts/db', 'ds/agent', 'rs/backend', 'svc/web', 'cm/settings', '-n', NS, '-o', 'name']);
      assert.equal(names, 'deployment.apps/frontend\nstatefulset.apps/db\ndaemonset.apps/agent\nreplicaset.apps/backend\nservice/web\nconfigmap/settings\n');
      const list = JSON.parse(await s.ok(['get', 'deploy/frontend', 'svc/web', 'ingress/site', '-n', NS, '-o', 'json']));
      assert.equal(list.kind, 'List');
      assert.equal(list.apiVersion, 'v1');
      assert.deepEqual(
        list.items.map((i: any) => `${i.apiVersion} ${i.kind} ${i.metadata.name}`),
        ['apps/v1 Deployment frontend', 'v1 Service web', 'networking.k8s.io/v1 Ingress site'],
      );
      const yaml = await s.ok(['get', 'deploy/frontend', 'pvc/data', '-n', NS, '-o', 'yaml']);
      assert.match(yaml, /^apiVersion: v1\nitems:\n- apiVersion: apps\/v1\n {2}kind: Deployment\n/);
      assert.match(yaml, /\n- apiVersion: v1\n {2}kind: PersistentVolumeClaim\n/);
      assert.match(yaml, /\nkind: List\nmetadata:\n {2}resourceVersion: ""\n$/);
    });

    test('a Deployment reads back with upstream defaults', async () => {
      const yaml = await s.ok(['get', 'deploy', 'frontend', '-n', NS, '-o', 'yaml']);
      const spec = yaml.slice(yaml.indexOf('\nspec:\n') + 1, yaml.indexOf('\nstatus:'));
      assert.equal(
        spec,
        [
          'spec:',
          '  progressDeadlineSeconds: 600',
          '  replicas: 2',
          '  revisionHistoryLimit: 10',
          '  selector:',
          '    matchLabels:',
          '      app: frontend',
          '  strategy:',
          '    rollingUpdate:',
          '      maxSurge: 25%',
          '      maxUnavailable: 25%',
          '    type: RollingUpdate',
          '  template:',
          '    metadata:',
          '      creationTimestamp: null',
          '      labels:',
          '        app: frontend',
          '    spec:',
          '      containers:',
          '      - image: registry.example/hello:1.0',
          '        imagePullPolicy: IfNotPresent',
          '        name: web',
          '        ports:',
          '        - containerPort: 8080',
          '          protocol: TCP',
          '        resources:',
          '          requests:',
          '            cpu: 50m',
          '        terminationMessagePath: /dev/termination-log',
          '        terminationMessagePolicy: File',
          '      dnsPolicy: ClusterFirst',
          '      restartPolicy: Always',
          '      schedulerName: default-scheduler',
          '      securityContext: {}',
          '      terminationGracePeriodSeconds: 30',
        ].join('\n'),
      );
      assert.match(yaml, /^ {2}generation: 1$/m);
    });

    test('pod templates print `creationTimestamp: null` as 1.32 serializes an unset time', async () => {
      const yaml = await s.ok(['get', 'deploy/frontend', 'rc/legacy', 'cronjob/nightly', '-n', NS, '-o', 'yaml']);
      assert.equal(yaml.match(/^ +creationTimestamp: null$/gm)?.length, 4, yaml);
    });

    test('jsonpath and custom-columns across kinds', async () => {
      const jp = await s.ok(['get', 'pods,svc,cm', '-n', NS, '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}{"\\n"}{end}']);
      assert.equal(jp, 'Pod/web\nService/web\nConfigMap/settings\n');
      const cc = await s.ok(['get', 'deploy/frontend', 'sts/db', 'rs/backend', '-n', NS, '-o', 'custom-columns=KIND:.kind,NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image']);
      const rows = [
        ['KIND', 'NAME', 'REPLICAS', 'IMAGE'],
        ['Deployment', 'frontend', '2', 'registry.example/hello:1.0'],
        ['StatefulSet', 'db', '1', 'registry.example/db:2.1'],
        ['ReplicaSet', 'backend', '1', 'registry.example/hello:1.0'],
      ];
      // custom-columns pads every column but the last to its widest cell plus three spaces.
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 3);
      assert.equal(cc, rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('') + '\n').join(''));
    });

    test('--show-labels, -L and -l (equality and set-based) on several kinds', async () => {
      const shown = parseTable(await s.ok(['get', 'pods', 'web', '-n', NS, '--show-labels']));
      assert.deepEqual(shown.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
      assert.equal(shown.rows[0][5], 'app=web,tier=front');
      const columns = parseTable(await s.ok(['get', 'pods', 'web', '-n', NS, '-L', 'tier,missing']));
      assert.deepEqual(columns.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'TIER', 'MISSING']);
      assert.deepEqual(columns.rows[0].slice(5), ['front', '']);
      const names = async (args: string[]) => (await s.ok(['get', ...args, '-n', NS, '-o', 'name'])).split('\n').filter(Boolean).sort();
      assert.deepEqual(await names(['svc,cm,secrets,pvc', '-l', 'app=web']), ['configmap/settings', 'persistentvolumeclaim/data', 'secret/credentials', 'service/web']);
      assert.deepEqual(await names(['pods', '-l', 'app in (web,api),tier']), ['pod/web']);
      assert.deepEqual(await names(['pods,svc', '-l', 'app=web,!tier']), ['service/web']);
      assert.deepEqual(await names(['deploy,sts,cm', '-l', 'app,app notin (frontend,db)']), ['configmap/settings']);
      const none = await s.k(['get', 'pods', '-n', NS, '-l', 'app=nothing']);
      assert.equal(none.code, 0);
      assert.equal(none.stderr, `No resources found in ${NS} namespace.\n`);
    });

    test('--field-selector on the fields each kind supports', async () => {
      const names = async (args: string[]) => (await s.ok(['get', ...args, '-o', 'name'])).split('\n').filter(Boolean);
      assert.deepEqual(await names(['pods', '-n', NS, '--field-selector', 'metadata.name=web,spec.schedulerName=default-scheduler']), ['pod/web']);
      assert.deepEqual(await names(['secrets', '-n', NS, '--field-selector', 'type=Opaque']), ['secret/credentials']);
      const pulled = await names(['events', '-n', NS, '--field-selector', 'involvedObject.kind=Pod,involvedObject.name=web,reason=Pulled,type=Normal']);
      assert.ok(pulled.includes('event/web.fixture') && pulled.every((n) => n.startsWith('event/web.')), pulled.join());
      assert.deepEqual(await names(['nodes', '--field-selector', 'metadata.name=fixture-node,spec.unschedulable=false']), ['node/fixture-node']);
      assert.deepEqual(await names(['namespaces', '--field-selector', `status.phase=Active,metadata.name=${NS}`]), [`namespace/${NS}`]);
      // The Job controller runs the job meanwhile: select on whatever count it has now.
      const successful = (await s.ok(['get', 'job', 'report', '-n', NS, '-o', 'jsonpath={.status.succeeded}'])) || '0';
      assert.deepEqual(await names(['jobs', '-n', NS, '--field-selector', `status.successful=${successful}`]), ['job.batch/report']);
      const unsupported = await s.failed(['get', 'deployments', '-n', NS, '--field-selector', 'spec.replicas=2']);
      assert.match(unsupported.stderr, /^Error from server \(BadRequest\): .*field label not supported: spec\.replicas\n$/);
    });

    test('-A lists every namespace with a NAMESPACE column; --sort-by orders rows', async () => {
      const all = parseTable(await s.ok(['get', 'deploy', '-A']));
      assert.deepEqual(all.header, ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      assert.ok(all.rows.some((r) => r[0] === NS && r[1] === 'frontend'), JSON.stringify(all.rows));
      const leases = parseTable(await s.ok(['get', 'leases', '-A']));
      assert.deepEqual(leases.header, ['NAMESPACE', 'NAME', 'HOLDER', 'AGE']);
      assert.ok(leases.rows.some((r) => r[0] === 'kube-node-lease' && r[1] === 'k8ts-node-1'), JSON.stringify(leases.rows));
      const byValue = await s.ok(['get', 'priorityclasses', '--sort-by=.value', '-o', 'name']);
      assert.equal(byValue, 'priorityclass.scheduling.k8s.io/fixture-high\npriorityclass.scheduling.k8s.io/system-cluster-critical\npriorityclass.scheduling.k8s.io/system-node-critical\n');
      const byReplicas = await s.ok(['get', 'deploy,sts', '-n', NS, '--sort-by=.spec.replicas', '-o', 'name']);
      assert.equal(byReplicas, 'statefulset.apps/db\ndeployment.apps/frontend\n');
    });

    test('get all prints the workload kinds in kubectl order, each as kind/name', async () => {
      const text = await s.ok(['get', 'all', '-n', NS]);
      const sections = text.split('\n\n').map((block) => parseTable(block));
      const firstNames = sections.map((t) => t.rows[0]?.[0]);
      for (const expected of ['pod/web', 'replicationcontroller/legacy', 'service/web', 'daemonset.apps/agent', 'deployment.apps/frontend', 'replicaset.apps/backend', 'statefulset.apps/db', 'horizontalpodautoscaler.autoscaling/backend', 'cronjob.batch/nightly', 'job.batch/report']) {
        assert.ok(sections.some((t) => t.rows.some((r) => r[0] === expected)), `${expected} missing from get all:\n${text}`);
      }
      assert.deepEqual(
        firstNames.map((n) => n?.split('/')[0]),
        ['pod', 'replicationcontroller', 'service', 'daemonset.apps', 'deployment.apps', 'replicaset.apps', 'statefulset.apps', 'horizontalpodautoscaler.autoscaling', 'cronjob.batch', 'job.batch'],
      );
      assert.deepEqual(sections[0].header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    });

    test('get -w on a kind with a scale subresource prints the change made by kubectl scale', async () => {
      const watcher = kubectlStart(['get', 'deploy', 'frontend', '-n', NS, '-w', '--output-watch-events'], { kubeconfig: s.cluster.kubeconfigPath });
      try {
        await watcher.waitForOutput(/ADDED\s+frontend\s+\d\/2\s+/);
        assert.equal(await s.ok(['scale', 'deploy', 'frontend', '-n', NS, '--replicas=3']), 'deployment.apps/frontend scaled\n');
        await watcher.waitForOutput(/MODIFIED\s+frontend\s+\d\/3\s+/);
        assert.match(watcher.stdout, /^EVENT\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
      } finally {
        await watcher.stop();
      }
    });

    test('get --raw reads an object and a subresource', async () => {
      const pod = JSON.parse(await s.ok(['get', '--raw', `/api/v1/namespaces/${NS}/pods/web`]));
      assert.equal(pod.kind, 'Pod');
      assert.equal(pod.metadata.namespace, NS);
      const scale = JSON.parse(await s.ok(['get', '--raw', `/apis/apps/v1/namespaces/${NS}/statefulsets/db/scale`]));
      assert.deepEqual({ kind: scale.kind, apiVersion: scale.apiVersion, replicas: scale.spec.replicas, selector: scale.status.selector }, { kind: 'Scale', apiVersion: 'autoscaling/v1', replicas: 1, selector: 'app=db' });
      const missing = await s.failed(['get', '--raw', `/api/v1/namespaces/${NS}/pods/none`]);
      assert.equal(missing.stderr, 'Error from server (NotFound): pods "none" not found\n');
    });

    test('a Binding places an unscheduled pod on a node', async () => {
      // kubectl validates a kind without a PATCH operation client-side, against /openapi/v2 in protobuf.
      assert.equal(await s.ok(['create', '-f', fixturePath('bindings.yaml'), '-n', NS]), 'pod/unscheduled created\nstatus/<unknown> created\n');
      assert.equal(await s.ok(['get', 'pod', 'unscheduled', '-n', NS, '-o', 'jsonpath={.spec.nodeName}']), 'fixture-node');
      const binding = fixtureDocuments().find((d) => d.file === 'bindings.yaml' && d.object.kind === 'Binding')!.object;
      const again = await s.failed(['create', '-f', '-', '-n', NS], JSON.stringify({ ...binding, target: { kind: 'Node', name: 'k8ts-node-1' } }));
      assert.match(again.stderr, /Operation cannot be fulfilled on pods\/binding "unscheduled": pod unscheduled is already assigned to node "fixture-node"/);
      // kubectl's client-side validation lets a number pass for a string; the server's decoding does not.
      const invalid = await s.failed(['create', '-f', '-', '-n', NS], JSON.stringify({ ...binding, target: { kind: 'Node', name: 7 } }));
      assert.match(invalid.stderr, /Binding in version "v1" cannot be handled as a Binding: json: cannot unmarshal number into Go struct field ObjectReference\.target\.name of type string/);
      const unknown = await s.failed(['create', '-f', '-', '-n', NS], JSON.stringify({ ...binding, bogus: 1 }));
      assert.match(unknown.stderr, /error validating data: ValidationError\(Binding\): unknown field "bogus" in io\.k8s\.api\.core\.v1\.Binding/);
    });

    test('delete -f removes every kind and prints one line per object', async () => {
      const lines = await inParallel(created, 4, async (c) => {
        const out = await s.ok(['delete', '-f', fixturePath(c.file), '--wait=false', ...nsArgs(c)]);
        assert.equal(out, `${c.ref} "${c.name}" deleted\n`);
        return out;
      });
      assert.equal(lines.length, created.length);
      // Then each is gone (pods after their grace period, claims and volumes after their finalizers).
      await inParallel(created, 4, async (c) => {
        await s.ok(['wait', '--for=delete', '-f', fixturePath(c.file), '--timeout=30s', ...nsArgs(c)]);
      });
    });
  });
});

