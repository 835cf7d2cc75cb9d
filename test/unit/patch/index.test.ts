import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PATCH_CONTENT_TYPES, applyPatch, patchTypeFromContentType, unsupportedPatchMediaType } from '../../../src/api/patch/index.js';
import { podSchema } from './fixture.js';

test('content types name the patch types; parameters are ignored', () => {
  assert.equal(patchTypeFromContentType('application/json-patch+json'), 'json');
  assert.equal(patchTypeFromContentType('application/merge-patch+json; charset=utf-8'), 'merge');
  assert.equal(patchTypeFromContentType('application/strategic-merge-patch+json'), 'strategic');
  assert.equal(patchTypeFromContentType(PATCH_CONTENT_TYPES.strategic), 'strategic');
  // Upstream matches exactly: no case folding, and apply-patch is server-side apply, not one of these.
  assert.equal(patchTypeFromContentType('Application/Merge-Patch+JSON'), undefined);
  assert.equal(patchTypeFromContentType('application/apply-patch+yaml'), undefined);
  assert.equal(patchTypeFromContentType('application/json'), undefined);
  assert.equal(patchTypeFromContentType(''), undefined);
});

test('415 for an unknown patch type, as go-restful (built-ins) and the patch handler (custom resources) answer', () => {
  assert.deepEqual(unsupportedPatchMediaType().status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: '415: Unsupported Media Type',
    reason: 'UnsupportedMediaType',
    details: {},
    code: 415,
  });
  assert.deepEqual(unsupportedPatchMediaType(true).status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    reason: 'UnsupportedMediaType',
    code: 415,
  });
});

test('applyPatch dispatches on the patch type', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }] } };
  const change = { spec: { containers: [{ name: 'b', image: 'y' }] } };
  assert.deepEqual((applyPatch('merge', pod, change) as any).spec.containers, [{ name: 'b', image: 'y' }]);
  assert.deepEqual(
    (applyPatch('strategic', pod, change, podSchema) as any).spec.containers,
    [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }],
  );
  assert.deepEqual((applyPatch('json', pod, [{ op: 'remove', path: '/spec/containers/0' }]) as any).spec.containers, []);
});
