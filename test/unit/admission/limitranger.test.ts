// LimitRanger's validation on its own (no server): ratios, pod-wide sums and claims, with
// upstream's messages, as a pod or claim create would meet them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LimitRange, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject, ResourceDefinition } from '../../../src/api/registry.js';
import { StatusError } from '../../../src/api/meta/status.js';
import { pods } from '../../../src/api/resources/core/pod.js';
import { persistentVolumeClaims } from '../../../src/api/resources/core/persistentvolumeclaim.js';
import { limitRanger } from '../../../src/apiserver/admission/limitranger.js';
import type { AdmissionAttributes } from '../../../src/apiserver/admission/types.js';

function attrs(def: ResourceDefinition<any>, object: KubeObject): AdmissionAttributes {
  return { operation: 'CREATE', def: def as ResourceDefinition, subresource: '', namespace: 'ns', name: object.metadata.name, object, dryRun: false, lookup: () => undefined, lookupConsistent: async () => undefined };
}

function refusal(range: LimitRange, a: AdmissionAttributes): string | undefined {
  const plugin = limitRanger({ limitRanges: () => [range] });
  try {
    plugin.validate!(a);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.status.code, 403);
    return err.message;
  }
}

const range = (limits: NonNullable<LimitRange['spec']>['limits']): LimitRange => ({ metadata: { name: 'lr' }, spec: { limits } });

test('maxLimitRequestRatio: the ratio printed with six decimals', () => {
  const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' }, limits: { cpu: '350m' } } }] } };
  assert.equal(
    refusal(range([{ type: 'Container', maxLimitRequestRatio: { cpu: '3' } }]), attrs(pods, pod)),
    'pods "p" is forbidden: cpu max limit to request ratio per Container is 3, but provided ratio is 3.500000',
  );
  assert.equal(refusal(range([{ type: 'Container', maxLimitRequestRatio: { cpu: '4' } }]), attrs(pods, pod)), undefined);
});

test('Pod limits apply to the sum of the containers', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'a', resources: { requests: { memory: '300Mi' }, limits: { memory: '300Mi' } } },
        { name: 'b', resources: { requests: { memory: '300Mi' }, limits: { memory: '300Mi' } } },
      ],
    },
  };
  assert.equal(refusal(range([{ type: 'Pod', max: { memory: '512Mi' } }]), attrs(pods, pod)), 'pods "p" is forbidden: maximum memory usage per Pod is 512Mi, but limit is 600Mi');
});

test('PersistentVolumeClaim min and max hold the storage request', () => {
  const claim = (size: string): PersistentVolumeClaim => ({ metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
  const lr = range([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]);
  assert.equal(refusal(lr, attrs(persistentVolumeClaims, claim('500Mi'))), 'persistentvolumeclaims "c" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
  assert.equal(refusal(lr, attrs(persistentVolumeClaims, claim('20Gi'))), 'persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
  assert.equal(refusal(lr, attrs(persistentVolumeClaims, claim('5Gi'))), undefined);
});
