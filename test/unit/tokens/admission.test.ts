// The ServiceAccount admission plugin's token volume on its own: which pods get the projected
// kube-api-access volume, and where it is mounted, as upstream 1.32 decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { ResourceDefinition } from '../../../src/api/registry.js';
import { StatusError } from '../../../src/api/meta/status.js';
import { pods } from '../../../src/api/resources/core/pod.js';
import { serviceAccount } from '../../../src/apiserver/admission/serviceaccount.js';
import type { AdmissionAttributes } from '../../../src/apiserver/admission/types.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_MOUNT = { name: 'kube-api-access-abcde', readOnly: true, mountPath: MOUNT };

async function admit(pod: Pod, account: ServiceAccount = { metadata: { name: 'default' } }): Promise<Pod> {
  const plugin = serviceAccount({ generateName: (prefix) => `${prefix}abcde`, sleep: async () => {} });
  const attrs: AdmissionAttributes = {
    operation: 'CREATE',
    def: pods as ResourceDefinition,
    subresource: '',
    namespace: 'ns',
    name: pod.metadata!.name!,
    object: pod,
    dryRun: false,
    lookup: (_g, plural, _ns, name) => (plural === 'serviceaccounts' && name === account.metadata!.name ? account : undefined),
    lookupConsistent: async () => undefined,
  };
  await plugin.admit!(attrs);
  return attrs.object as Pod;
}

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

test('a pod gets the projected token volume, mounted read-only in every container', async () => {
  const admitted = await admit(pod({ initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'a' }, { name: 'b' }] }));
  assert.deepEqual(admitted.spec!.volumes, [
    {
      name: 'kube-api-access-abcde',
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
        defaultMode: 420,
      },
    },
  ]);
  for (const c of [...admitted.spec!.initContainers!, ...admitted.spec!.containers]) assert.deepEqual(c.volumeMounts, [TOKEN_MOUNT], c.name);
  assert.equal(admitted.spec!.serviceAccountName, 'default');
});

test('automountServiceAccountToken: the pod decides first, then the account', async () => {
  assert.equal((await admit(pod({ automountServiceAccountToken: false }))).spec!.volumes, undefined);
  const optedOut: ServiceAccount = { metadata: { name: 'default' }, automountServiceAccountToken: false };
  assert.equal((await admit(pod(), optedOut)).spec!.volumes, undefined);
  assert.equal((await admit(pod({ automountServiceAccountToken: true }), optedOut)).spec!.volumes?.[0].name, 'kube-api-access-abcde');
});

test('a container with its own mount at the token path is left alone', async () => {
  const own = { name: 'creds', mountPath: MOUNT };
  const admitted = await admit(pod({ containers: [{ name: 'a', volumeMounts: [own] }, { name: 'b' }], volumes: [{ name: 'creds', emptyDir: {} }] }));
  assert.deepEqual(admitted.spec!.containers[0].volumeMounts, [own]);
  assert.deepEqual(admitted.spec!.containers[1].volumeMounts, [TOKEN_MOUNT]);
  assert.deepEqual(admitted.spec!.volumes!.map((v) => v.name), ['creds', 'kube-api-access-abcde']);
  // No container needs the token: no volume.
  const none = await admit(pod({ containers: [{ name: 'a', volumeMounts: [own] }], volumes: [{ name: 'creds', emptyDir: {} }] }));
  assert.deepEqual(none.spec!.volumes!.map((v) => v.name), ['creds']);
});

test('an existing kube-api-access volume is reused, not duplicated', async () => {
  const existing = { name: 'kube-api-access-zzzzz', projected: { sources: [] } };
  const admitted = await admit(pod({ volumes: [existing] }));
  assert.deepEqual(admitted.spec!.volumes, [existing]);
  assert.deepEqual(admitted.spec!.containers[0].volumeMounts, [{ ...TOKEN_MOUNT, name: 'kube-api-access-zzzzz' }]);
});

test('mirror pods may not project service account tokens', async () => {
  const mirror: Pod = {
    metadata: { name: 'static', annotations: { 'kubernetes.io/config.mirror': 'x' } },
    spec: { containers: [{ name: 'c' }], volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] },
  };
  await assert.rejects(admit(mirror), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.message, 'pods "static" is forbidden: a mirror pod may not use ServiceAccountToken volume projections');
    return true;
  });
  const plain: Pod = { metadata: { name: 'static', annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { containers: [{ name: 'c' }] } };
  assert.equal((await admit(plain)).spec!.volumes, undefined);
});
