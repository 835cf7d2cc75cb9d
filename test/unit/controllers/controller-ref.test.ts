import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/registry.js';
import { selectorFromSet } from '../../../src/api/meta/labels.js';
import type { ResourceClient } from '../../../src/client/client.js';
import { claimObjects } from '../../../src/controllers/util/controller-ref.js';

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'rs-1' } };
const controllerRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true, blockOwnerDeletion: true };

function pod(name: string, labels: Record<string, string>, ownerUID?: string): KubeObject {
  const ownerReferences = ownerUID ? [{ ...controllerRef, uid: ownerUID }] : undefined;
  return { metadata: { name, namespace: 'default', uid: `uid-${name}`, labels, ownerReferences } };
}

/** Records patches and answers with the patched object as the API server would. */
function recordingClient(patches: string[]): ResourceClient<KubeObject> {
  const ns = {
    async patch(name: string, patch: { metadata: { ownerReferences: unknown[] } }) {
      const adopting = !('$patch' in (patch.metadata.ownerReferences[0] as object));
      patches.push(`${adopting ? 'adopt' : 'release'} ${name}`);
      return { metadata: { name, namespace: 'default', ownerReferences: adopting ? [controllerRef] : [] } };
    },
  };
  return { namespace: () => ns } as unknown as ResourceClient<KubeObject>;
}

test('claiming keeps owned matching objects in order and patches only what changes hands', async () => {
  const patches: string[] = [];
  let adoptionChecks = 0;
  const opts = {
    owner,
    controllerRef,
    selector: selectorFromSet({ app: 'web' }),
    objects: recordingClient(patches),
    canAdopt: async () => {
      adoptionChecks++;
    },
  };
  const a = pod('a', { app: 'web' }, 'rs-1');
  const b = pod('b', { app: 'web' }, 'rs-1');
  const steady = await claimObjects(opts, [a, pod('other', { app: 'web' }, 'rs-2'), b]);
  assert.deepEqual(steady, [a, b]);
  assert.deepEqual(patches, []);
  assert.equal(adoptionChecks, 0);

  const claimed = await claimObjects(opts, [a, pod('relabelled', { app: 'db' }, 'rs-1'), pod('orphan', { app: 'web' }), pod('stranger', { app: 'db' }), pod('orphan2', { app: 'web' })]);
  assert.deepEqual(
    claimed.map((o) => o.metadata.name),
    ['a', 'orphan', 'orphan2'],
  );
  assert.deepEqual(patches.sort(), ['adopt orphan', 'adopt orphan2', 'release relabelled']);
  assert.equal(adoptionChecks, 1, 'the owner is re-read once per claim, not once per orphan');
});

test('an owner that may not adopt claims nothing new, and the error is reported', async () => {
  const patches: string[] = [];
  const opts = {
    owner,
    controllerRef,
    selector: selectorFromSet({ app: 'web' }),
    objects: recordingClient(patches),
    canAdopt: async () => {
      throw new Error('original ReplicaSet default/web is gone: got uid rs-2, wanted rs-1');
    },
  };
  await assert.rejects(claimObjects(opts, [pod('a', { app: 'web' }, 'rs-1'), pod('orphan', { app: 'web' })]), /is gone/);
  assert.deepEqual(patches, []);
});
