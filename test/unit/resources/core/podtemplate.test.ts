import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplate } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { podTemplates } from '../../../../src/api/resources/core/podtemplate.js';

function template(): PodTemplate {
  const pt = {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 'web', namespace: 'default' },
    template: {
      metadata: { labels: { tier: 'front', app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'fluent-bit' }] },
    },
  } as PodTemplate;
  podTemplates.defaults!(pt);
  return pt;
}

test('the template pod spec is defaulted and validated under template.spec', () => {
  const pt = template();
  assert.equal(pt.template!.spec!.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(podTemplates.validate!(pt, {}), []);
  pt.template!.spec!.containers[1].name = 'web';
  assert.deepEqual(podTemplates.validate!(pt, {}).map(fieldErrorString), ['template.spec.containers[1].name: Duplicate value: "web"']);
});

test('table: NAME CONTAINERS IMAGES POD LABELS, without AGE', () => {
  assert.deepEqual(
    podTemplates.table!.columns.map((c) => c.name),
    ['Name', 'Containers', 'Images', 'Pod Labels'],
  );
  assert.deepEqual(podTemplates.table!.cells(template(), 0), ['web', 'web,log', 'nginx:1.25,fluent-bit', 'app=web,tier=front']);
});
