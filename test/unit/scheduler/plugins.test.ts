import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../../src/scheduler/framework.js';
import { PodInfo } from '../../../src/scheduler/nodeinfo.js';
import { Snapshot } from '../../../src/scheduler/snapshot.js';
import { defaultPlugins } from '../../../src/scheduler/plugins/index.js';
import { NodeAffinity } from '../../../src/scheduler/plugins/nodeaffinity.js';
import { NodeResourcesFit } from '../../../src/scheduler/plugins/noderesourcesfit.js';
import { NodeResourcesBalancedAllocation } from '../../../src/scheduler/plugins/balancedallocation.js';
import { ImageLocality } from '../../../src/scheduler/plugins/imagelocality.js';
import { TaintToleration } from '../../../src/scheduler/plugins/tainttoleration.js';
import { PodTopologySpread } from '../../../src/scheduler/plugins/podtopologyspread.js';
import { InterPodAffinity } from '../../../src/scheduler/plugins/interpodaffinity.js';
import { fakeHandle, filterReasons, frameworkFor, makeNode, makePod, nodeInfos, type FakeWorld } from './fixtures.js';

function world(nodes = [makeNode('n1')], pods: Pod[] = [], extra: Partial<FakeWorld> = {}): FakeWorld {
  return { snapshot: Snapshot.of(nodeInfos(nodes, pods)), ...extra };
}

const reasons = (w: FakeWorld, pod: Pod, node = 'n1') => filterReasons(frameworkFor(w, defaultPlugins), w, pod, node);

test('NodeResourcesFit: Insufficient cpu and memory, Too many pods', () => {
  const w = world([makeNode('n1', { cpu: '1', memory: '1Gi', pods: '1' })], [makePod('old', { nodeName: 'n1', cpu: '600m' })]);
  assert.deepEqual(reasons(w, makePod('p', { cpu: '500m', memory: '2Gi' })), ['Too many pods', 'Insufficient cpu', 'Insufficient memory']);
  const roomy = world([makeNode('n1', { cpu: '1' })]);
  assert.deepEqual(reasons(roomy, makePod('p', { cpu: '1' })), []);
});

test('NodeResourcesFit: not fitting is Unschedulable even beyond the whole allocatable of the node (1.32; 1.34 made that unresolvable)', () => {
  const ni = nodeInfos([makeNode('n1', { cpu: '1' })], [makePod('old', { nodeName: 'n1', cpu: '600m' })])[0];
  const fit = new NodeResourcesFit();
  assert.equal(fit.filter(new CycleState(), new PodInfo(makePod('p', { cpu: '500m' })), ni)?.code, 'Unschedulable');
  assert.equal(fit.filter(new CycleState(), new PodInfo(makePod('p', { cpu: '2' })), ni)?.code, 'Unschedulable');
});

test('NodeResourcesFit scoring: least allocated prefers the emptier node; MostAllocated the fuller', () => {
  const [empty, busy] = nodeInfos([makeNode('a'), makeNode('b')], [makePod('x', { nodeName: 'b', cpu: '2', memory: '4Gi' })]);
  const pod = new PodInfo(makePod('p', { cpu: '1', memory: '1Gi' }));
  const least = new NodeResourcesFit();
  assert.ok(least.score(new CycleState(), pod, empty) > least.score(new CycleState(), pod, busy));
  // (4000-1000)/4000 → 75 for cpu, (8-1)/8 → 87 for memory: (75+87)/2
  assert.equal(least.score(new CycleState(), pod, empty), 81);
  const most = new NodeResourcesFit({ scoringStrategy: 'MostAllocated' });
  assert.ok(most.score(new CycleState(), pod, busy) > most.score(new CycleState(), pod, empty));
});

test('BalancedAllocation: equal cpu and memory shares score 100', () => {
  const [ni] = nodeInfos([makeNode('a', { cpu: '4', memory: '4Gi' })]);
  const ba = new NodeResourcesBalancedAllocation();
  assert.equal(ba.score(new CycleState(), new PodInfo(makePod('p', { cpu: '1', memory: '1Gi' })), ni), 100);
  assert.equal(ba.score(new CycleState(), new PodInfo(makePod('p', { cpu: '2', memory: '0' })), ni), 75);
  assert.equal(ba.preScore(new CycleState(), new PodInfo(makePod('be')))?.code, 'Skip');
});

test('TaintToleration: untolerated NoSchedule taint message; Equal and Exists tolerations', () => {
  const taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  const w = world([makeNode('n1', { taints })]);
  assert.deepEqual(reasons(w, makePod('p')), ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
  assert.deepEqual(reasons(w, makePod('p', { spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } })), []);
  const kv = world([makeNode('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] })]);
  assert.deepEqual(reasons(kv, makePod('p')), ['node(s) had untolerated taint {dedicated: gpu}']);
  assert.deepEqual(reasons(kv, makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] } })), []);
  assert.deepEqual(reasons(kv, makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }] } })).length, 1);
  assert.deepEqual(reasons(world([makeNode('n1', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })]), makePod('p')), []);
});

test('TaintToleration scoring: fewer untolerated PreferNoSchedule taints is better', () => {
  const [clean, tainted] = nodeInfos([makeNode('a'), makeNode('b', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })]);
  const tt = new TaintToleration();
  const state = new CycleState();
  const pod = new PodInfo(makePod('p'));
  tt.preScore(state, pod);
  const scores = new Float64Array([tt.score(state, pod, clean), tt.score(state, pod, tainted)]);
  tt.normalizeScore(state, pod, scores);
  assert.deepEqual([...scores], [100, 0]);
});

test('NodeUnschedulable: a cordoned node takes only pods tolerating the unschedulable taint', () => {
  const w = world([makeNode('n1', { unschedulable: true })]);
  assert.deepEqual(reasons(w, makePod('p')), ['node(s) were unschedulable']);
  const tolerant = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.deepEqual(reasons(w, tolerant), []);
});

test('NodeAffinity: nodeSelector and required terms (ORed terms, ANDed expressions, every operator)', () => {
  const w = world([makeNode('n1', { labels: { disk: 'ssd', zone: 'a', cores: '8' } })]);
  const noMatch = ["node(s) didn't match Pod's node affinity/selector"];
  assert.deepEqual(reasons(w, makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } })), []);
  assert.deepEqual(reasons(w, makePod('p', { spec: { nodeSelector: { disk: 'hdd' } } })), noMatch);
  const required = (...terms: object[]) =>
    makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } } } } });
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });
  assert.deepEqual(reasons(w, required(expr('disk', 'In', ['ssd', 'nvme']))), []);
  assert.deepEqual(reasons(w, required(expr('disk', 'NotIn', ['ssd']))), noMatch);
  assert.deepEqual(reasons(w, required(expr('gpu', 'NotIn', ['x']))), []);
  assert.deepEqual(reasons(w, required(expr('zone', 'Exists'))), []);
  assert.deepEqual(reasons(w, required(expr('gpu', 'DoesNotExist'))), []);
  assert.deepEqual(reasons(w, required(expr('cores', 'Gt', ['4']))), []);
  assert.deepEqual(reasons(w, required(expr('cores', 'Lt', ['4']))), noMatch);
  // Terms are ORed; expressions within a term ANDed.
  assert.deepEqual(reasons(w, required(expr('disk', 'In', ['hdd']), expr('zone', 'In', ['a']))), []);
  assert.deepEqual(reasons(w, required({ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'zone', operator: 'In', values: ['b'] }] })), noMatch);
  assert.deepEqual(reasons(w, required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] })), []);
});

test('NodeAffinity: matchFields on metadata.name narrows the nodes in PreFilter; preferred terms score by weight', () => {
  const na = new NodeAffinity();
  const pod = new PodInfo(
    makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
              { weight: 5, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
            ],
          },
        },
      },
    }),
  );
  const r = na.preFilter(new CycleState(), pod);
  assert.deepEqual(r && 'nodeNames' in r ? [...r.nodeNames] : r, ['n2']);
  const [a, b] = nodeInfos([makeNode('a', { labels: { zone: 'a', disk: 'ssd' } }), makeNode('b', { labels: { zone: 'b' } })]);
  const state = new CycleState();
  na.preScore(state, pod);
  const scores = new Float64Array([na.score(state, pod, a), na.score(state, pod, b)]);
  assert.deepEqual([...scores], [15, 0]);
  na.normalizeScore(state, pod, scores);
  assert.deepEqual([...scores], [100, 0]);
});

test('NodePorts: a host port in use on the node conflicts', () => {
  const withPort = (name: string, nodeName?: string, hostIP?: string) =>
    makePod(name, { nodeName, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, hostIP }] }] } });
  const w = world([makeNode('n1')], [withPort('old', 'n1', '10.0.0.1')]);
  assert.deepEqual(reasons(w, withPort('p')), ["node(s) didn't have free ports for the requested pod ports"]);
  assert.deepEqual(reasons(w, withPort('p', undefined, '10.0.0.2')), []);
});

test('InterPodAffinity: required anti-affinity on hostname keeps replicas apart; affinity pulls them together', () => {
  const anti = (name: string, nodeName?: string) =>
    makePod(name, {
      nodeName,
      labels: { app: 'web' },
      spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } },
    });
  const w = world([makeNode('n1'), makeNode('n2')], [anti('w1', 'n1')]);
  assert.deepEqual(reasons(w, anti('w2'), 'n1'), ["node(s) didn't match pod anti-affinity rules"]);
  assert.deepEqual(reasons(w, anti('w2'), 'n2'), []);
  // A pod without anti-affinity of its own is kept off by the placed pod's rule.
  assert.deepEqual(reasons(w, makePod('plain', { labels: { app: 'web' } }), 'n1'), ["node(s) didn't satisfy existing pods anti-affinity rules"]);
  assert.deepEqual(reasons(w, makePod('other', { labels: { app: 'db' } }), 'n1'), []);

  const affinity = (name: string) =>
    makePod(name, {
      labels: { app: 'cache' },
      spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } },
    });
  assert.deepEqual(reasons(w, affinity('c1'), 'n1'), []);
  assert.deepEqual(reasons(w, affinity('c1'), 'n2'), ["node(s) didn't match pod affinity rules"]);
  // The first of a group with affinity to itself may go anywhere.
  const self = makePod('s', {
    labels: { app: 'solo' },
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' }] } } },
  });
  assert.deepEqual(reasons(w, self, 'n2'), []);
});

test('InterPodAffinity: namespaceSelector selects pods of labelled namespaces', () => {
  const placed = makePod('w1', { namespace: 'team-a', nodeName: 'n1', labels: { app: 'web' } });
  const w = world([makeNode('n1'), makeNode('n2')], [placed], { namespaces: { 'team-a': { team: 'a' }, default: {} } });
  const pod = makePod('p', {
    spec: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, namespaceSelector: { matchLabels: { team: 'a' } }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    },
  });
  assert.deepEqual(reasons(w, pod, 'n1'), ["node(s) didn't match pod anti-affinity rules"]);
  // Without the selector the term only sees the pod's own namespace.
  const local = makePod('q', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } } });
  assert.deepEqual(reasons(w, local, 'n1'), []);
});

test('InterPodAffinity scoring: preferred affinity toward a zone with matching pods', () => {
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } })];
  const w = world(nodes, [makePod('db', { nodeName: 'a', labels: { app: 'db' } })]);
  const h = fakeHandle(w);
  const ipa = new InterPodAffinity(h);
  const pod = new PodInfo(
    makePod('p', { spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone' } }] } } } }),
  );
  const state = new CycleState();
  const infos = w.snapshot.nodeInfoList;
  assert.equal(ipa.preScore(state, pod, infos, infos), undefined);
  const scores = new Float64Array(infos.map((ni) => ipa.score(state, pod, ni)));
  ipa.normalizeScore(state, pod, scores);
  assert.deepEqual([...scores], [100, 0]);
});

test('PodTopologySpread: DoNotSchedule rejects a node that would exceed maxSkew; missing label is unresolvable', () => {
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } }), makeNode('c')];
  const placed = [makePod('x1', { nodeName: 'a', labels: { app: 'web' } }), makePod('x2', { nodeName: 'a', labels: { app: 'web' } })];
  const w = world(nodes, placed);
  const pod = makePod('p', {
    labels: { app: 'web' },
    spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
  });
  assert.deepEqual(reasons(w, pod, 'a'), ["node(s) didn't match pod topology spread constraints"]);
  assert.deepEqual(reasons(w, pod, 'b'), []);
  assert.deepEqual(reasons(w, pod, 'c'), ["node(s) didn't match pod topology spread constraints (missing required label)"]);
  // minDomains above the number of domains counts the global minimum as 0.
  const strict = makePod('q', {
    labels: { app: 'web' },
    spec: { topologySpreadConstraints: [{ maxSkew: 2, minDomains: 3, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
  });
  assert.deepEqual(reasons(w, strict, 'a').length, 1);
});

test('PodTopologySpread: matchLabelKeys narrows the selector to the pod’s own revision', () => {
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } })];
  const placed = [makePod('old1', { nodeName: 'a', labels: { app: 'web', rev: '1' } }), makePod('old2', { nodeName: 'a', labels: { app: 'web', rev: '1' } })];
  const w = world(nodes, placed);
  const pod = makePod('p', {
    labels: { app: 'web', rev: '2' },
    spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['rev'] }] },
  });
  assert.deepEqual(reasons(w, pod, 'a'), []);
});

test('PodTopologySpread scoring: ScheduleAnyway prefers the emptier domain', () => {
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } })];
  const w = world(nodes, [makePod('x', { nodeName: 'a', labels: { app: 'web' } })]);
  const pts = new PodTopologySpread(fakeHandle(w));
  const pod = new PodInfo(
    makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] } }),
  );
  const state = new CycleState();
  const infos = w.snapshot.nodeInfoList;
  assert.equal(pts.preScore(state, pod, infos, infos), undefined);
  const scores = new Float64Array(infos.map((ni) => pts.score(state, pod, ni)));
  pts.normalizeScore(state, pod, scores, infos);
  assert.ok(scores[1] > scores[0], `${scores}`);
});

test('ImageLocality: a node holding a big image scores higher', () => {
  const big = 500 * 1024 * 1024;
  const [withImage, without] = nodeInfos([makeNode('a', { images: [{ names: ['nginx:latest'], sizeBytes: big }] }), makeNode('b')]);
  // The cache shares image states; here each NodeInfo's own map is set directly.
  withImage.imageStates = new Map([['nginx:latest', { size: big, numNodes: 1 }]]);
  const il = new ImageLocality();
  const state = new CycleState();
  const pod = new PodInfo(makePod('p'));
  il.preScore(state, pod, [withImage, without], [withImage, without]);
  assert.ok(il.score(state, pod, withImage) > 0);
  assert.equal(il.score(state, pod, without), 0);
});

test('VolumeBinding: unbound Immediate claim, missing claim, WaitForFirstConsumer with a provisioner', () => {
  const pvc = (name: string, storageClassName: string, volumeName?: string) => ({
    metadata: { name, namespace: 'default' },
    spec: { storageClassName, volumeName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  const w = world([makeNode('n1')], [], {
    pvcs: [pvc('imm', 'fast'), pvc('wffc', 'local'), pvc('bound', 'fast', 'pv-1')],
    pvs: [{ metadata: { name: 'pv-1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } } } }],
    storageClasses: [
      { metadata: { name: 'fast' }, provisioner: 'example.com/fast', volumeBindingMode: 'Immediate' },
      { metadata: { name: 'local' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
    ],
  });
  const withClaim = (claimName: string) => makePod('p', { spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] } });
  assert.deepEqual(reasons(w, withClaim('imm')), ['pod has unbound immediate PersistentVolumeClaims']);
  assert.deepEqual(reasons(w, withClaim('nope')), ['persistentvolumeclaim "nope" not found']);
  assert.deepEqual(reasons(w, withClaim('wffc')), []);
  assert.deepEqual(reasons(w, withClaim('bound')), ['node(s) had volume node affinity conflict']);
});

test('VolumeRestrictions: a ReadWriteOncePod claim in use elsewhere conflicts', () => {
  const claim = { metadata: { name: 'solo', namespace: 'default' }, spec: { accessModes: ['ReadWriteOncePod'], volumeName: 'pv' } };
  const user = (name: string, nodeName?: string) => makePod(name, { nodeName, spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'solo' } }] } });
  const w = world([makeNode('n1'), makeNode('n2')], [user('first', 'n1')], { pvcs: [claim], pvs: [{ metadata: { name: 'pv' }, spec: {} }] });
  assert.deepEqual(reasons(w, user('second'), 'n2'), ['node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode']);
});
