import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo, PodInfo, podRequests, normalizedImageName } from '../../../src/scheduler/nodeinfo.js';
import { makeNode, makePod } from './fixtures.js';

test('pod requests: app containers summed, init containers as a max, overhead added', () => {
  const pod = makePod('p', {
    spec: {
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'b', resources: { requests: { cpu: '200m' } } },
      ],
      initContainers: [{ name: 'init', resources: { requests: { cpu: '500m', memory: '32Mi' } } }],
      overhead: { cpu: '10m' },
    },
  });
  const r = podRequests(pod);
  assert.equal(r.milliCPU, 510);
  assert.equal(r.memory, 64 * 1024 * 1024);
});

test('pod requests: a sidecar counts with the app containers and under later init containers', () => {
  const pod = makePod('p', {
    spec: {
      containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }],
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
        { name: 'init', resources: { requests: { cpu: '250m' } } },
      ],
    },
  });
  // max(100 + 200, 200 + 250)
  assert.equal(podRequests(pod).milliCPU, 450);
});

test('pod requests: limits stand in for missing requests; non-zero defaults for scoring', () => {
  const pod = makePod('p', { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] } });
  assert.equal(podRequests(pod).milliCPU, 1000);
  const empty = makePod('e');
  assert.equal(podRequests(empty).milliCPU, 0);
  const nonZero = podRequests(empty, true);
  assert.equal(nonZero.milliCPU, 100);
  assert.equal(nonZero.memory, 200 * 1024 * 1024);
});

test('NodeInfo accounts pods in and out, with host ports and claims', () => {
  const ni = new NodeInfo('n1');
  ni.setNode(makeNode('n1', { cpu: '2' }));
  assert.equal(ni.allocatable.milliCPU, 2000);
  assert.equal(ni.allocatable.allowedPodNumber, 110);
  const p = new PodInfo(
    makePod('p', {
      cpu: '300m',
      spec: {
        containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '300m' } } }],
        volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }],
      },
    }),
  );
  const g = ni.generation;
  ni.addPod(p);
  assert.ok(ni.generation > g);
  assert.equal(ni.requested.milliCPU, 300);
  assert.ok(ni.usedPorts.conflicts({ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }));
  assert.ok(!ni.usedPorts.conflicts({ ip: '0.0.0.0', protocol: 'UDP', port: 8080 }));
  assert.equal(ni.pvcRefCounts.get('default/data'), 1);
  assert.ok(ni.removePod(p.key));
  assert.equal(ni.requested.milliCPU, 0);
  assert.equal(ni.usedPorts.size, 0);
  assert.equal(ni.pvcRefCounts.size, 0);
});

test('image names are normalized as the kubelet reports them', () => {
  assert.equal(normalizedImageName('nginx'), 'nginx:latest');
  assert.equal(normalizedImageName('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(normalizedImageName('nginx:1.27'), 'nginx:1.27');
  assert.equal(normalizedImageName('nginx@sha256:abc'), 'nginx@sha256:abc');
});
