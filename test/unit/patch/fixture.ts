// A small schema with the patch metadata of the real Pod, Deployment and ControllerRevision
// (strategies and merge keys as in k8s.io/api 1.32), enough to exercise strategic merge patch.
import assert from 'node:assert/strict';
import {
  anyObject,
  bool,
  define,
  enumOf,
  int32,
  int64,
  intOrString,
  labelSelector,
  list,
  mapOf,
  mergeList,
  object,
  objectMeta,
  quantity,
  ref,
  setList,
  str,
  stringMap,
} from '../../../src/api/schema/build.js';
import type { Definitions } from '../../../src/api/schema/types.js';
import type { StrategicSchema } from '../../../src/api/patch/index.js';
import { StatusError, type Status } from '../../../src/api/meta/status.js';

const core = (name: string): string => `io.k8s.api.core.v1.${name}`;
const apps = (name: string): string => `io.k8s.api.apps.v1.${name}`;
const meta = (name: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;

export const definitions: Definitions = new Map();

define(definitions, {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': str({ format: 'quantity' }),
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': str({ format: 'int-or-string', 'x-kubernetes-int-or-string': true }),
  [meta('OwnerReference')]: object({ apiVersion: str(), kind: str(), name: str(), uid: str(), controller: bool() }),
  [meta('ObjectMeta')]: object({
    name: str(),
    generateName: str(),
    namespace: str(),
    uid: str(),
    resourceVersion: str(),
    labels: stringMap(),
    annotations: stringMap(),
    finalizers: setList(str()),
    ownerReferences: mergeList(ref(meta('OwnerReference')), 'uid'),
  }),
  [meta('LabelSelector')]: object({ matchLabels: stringMap() }),
  [core('ContainerPort')]: object({ name: str(), containerPort: int32(), protocol: enumOf(['TCP', 'UDP', 'SCTP']) }),
  [core('EnvVar')]: object({ name: str(), value: str() }),
  [core('VolumeMount')]: object({ name: str(), mountPath: str(), readOnly: bool() }),
  [core('ResourceRequirements')]: object({ limits: mapOf(quantity()), requests: mapOf(quantity()) }),
  [core('Container')]: object({
    name: str(),
    image: str(),
    command: list(str()),
    args: list(str()),
    ports: mergeList(ref(core('ContainerPort')), 'containerPort', { mapKeys: ['containerPort', 'protocol'] }),
    env: mergeList(ref(core('EnvVar')), 'name'),
    resources: ref(core('ResourceRequirements')),
    volumeMounts: mergeList(ref(core('VolumeMount')), 'mountPath'),
  }),
  [core('Toleration')]: object({ key: str(), operator: str(), value: str(), effect: str() }),
  [core('Volume')]: object({
    name: str(),
    emptyDir: object({ medium: str() }),
    configMap: object({ name: str() }),
    secret: object({ secretName: str() }),
    hostPath: object({ path: str() }),
  }),
  [core('PodSpec')]: object({
    containers: mergeList(ref(core('Container')), 'name'),
    initContainers: mergeList(ref(core('Container')), 'name'),
    volumes: mergeList(ref(core('Volume')), 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    tolerations: list(ref(core('Toleration'))),
    nodeSelector: stringMap(),
    restartPolicy: str(),
  }),
  [core('PodTemplateSpec')]: object({ metadata: objectMeta(), spec: ref(core('PodSpec')) }),
  [core('Pod')]: object({ apiVersion: str(), kind: str(), metadata: objectMeta(), spec: ref(core('PodSpec')), status: object({ phase: str() }) }),
  [apps('RollingUpdateDeployment')]: object({ maxSurge: intOrString(), maxUnavailable: intOrString() }),
  [apps('DeploymentStrategy')]: object({ type: enumOf(['Recreate', 'RollingUpdate']), rollingUpdate: ref(apps('RollingUpdateDeployment')) }),
  [apps('DeploymentSpec')]: object({
    replicas: int32(),
    selector: labelSelector(),
    template: ref(core('PodTemplateSpec')),
    strategy: ref(apps('DeploymentStrategy'), { 'x-kubernetes-patch-strategy': 'retainKeys' }),
  }),
  [apps('Deployment')]: object({ apiVersion: str(), kind: str(), metadata: objectMeta(), spec: ref(apps('DeploymentSpec')) }),
  // RawExtension data: no schema below it, so no patch metadata.
  [apps('ControllerRevision')]: object({ apiVersion: str(), kind: str(), metadata: objectMeta(), data: anyObject(), revision: int64() }),
});

export const podSchema: StrategicSchema = { definitions, root: core('Pod') };
export const deploymentSchema: StrategicSchema = { definitions, root: apps('Deployment') };
export const revisionSchema: StrategicSchema = { definitions, root: apps('ControllerRevision') };

/** Freezes a value deeply, as the watch cache freezes stored objects: patching must not write into it. */
export function frozen<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v as object)) frozen(child);
    Object.freeze(v);
  }
  return v;
}

/** Asserts `fn` throws a StatusError whose Status has these fields (and no others among code/reason/message/details). */
export function assertStatus(fn: () => unknown, expected: Pick<Status, 'code' | 'message'> & Partial<Pick<Status, 'reason' | 'details'>>): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
    const { code, reason, message, details } = err.status;
    assert.deepEqual({ code, reason, message, details }, { reason: undefined, details: undefined, ...expected });
    assert.equal(err.status.status, 'Failure');
    return true;
  });
}
