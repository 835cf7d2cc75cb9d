import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LimitRange } from 'kubernetes-types/core/v1.js';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import { limitRanges } from '../../../../src/api/resources/core/limitrange.js';

const lr = (limits: NonNullable<LimitRange['spec']>['limits']): LimitRange => ({ metadata: { name: 'limits', namespace: 'default' }, spec: { limits } });
const errors = (l: LimitRange) => limitRanges.validate!(l, {}).map(fieldErrorString);

test('container defaults come from max, default and min', () => {
  const l = lr([{ type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { 'ephemeral-storage': '1Gi' } }]);
  limitRanges.defaults!(l);
  assert.deepEqual(l.spec!.limits[0].default, { cpu: '2', memory: '1Gi' });
  assert.deepEqual(l.spec!.limits[0].defaultRequest, { cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' });
  assert.deepEqual(errors(l), []);
});

test('min <= default request <= default <= max, ratios at least 1', () => {
  assert.deepEqual(errors(lr([{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }])), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
  ]);
  assert.deepEqual(errors(lr([{ type: 'Container', default: { memory: '1Gi' }, defaultRequest: { memory: '2Gi' } }])), [
    'spec.limits[0].defaultRequest[memory]: Invalid value: "2Gi": default request value 2Gi is greater than default limit value 1Gi',
  ]);
  assert.deepEqual(errors(lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '500m' } }])), [
    'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1',
  ]);
  assert.deepEqual(errors(lr([{ type: 'Container', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }])), [
    'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000',
  ]);
});

test('types: known or qualified, once each; pods take no defaults; claims need storage bounds', () => {
  assert.deepEqual(errors(lr([{ type: 'Pod', default: { cpu: '1' } }, { type: 'Pod' }, { type: 'Thing' }, { type: 'PersistentVolumeClaim' }])), [
    "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    'spec.limits[1].type: Duplicate value: "Pod"',
    'spec.limits[2].type: Invalid value: "Thing": must be a standard limit type or fully qualified',
    'spec.limits[3].limits: Required value: either minimum or maximum storage value is required, but neither was provided',
  ]);
  assert.deepEqual(errors(lr([{ type: 'Container', max: { gpus: '1' } }])), [
    'spec.limits[0].max[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
    'spec.limits[0].max[gpus]: Invalid value: "gpus": must be a standard resource for containers',
  ]);
});

test('a nameless LimitRange is named with a UUID; the table is the default one', () => {
  const l: LimitRange = { metadata: { generateName: 'x-' }, spec: { limits: [] } };
  limitRanges.prepareForCreate!(l);
  assert.match(l.metadata!.name!, /^[0-9a-f-]{36}$/);
  assert.deepEqual(limitRanges.table!.columns.map((c) => c.name), ['Name', 'Created At']);
});
