// A small registry for the schema tests: a ConfigMap-like and a Deployment-like kind written
// with the builders, plus a CRD-like kind with the validations CRD schemas use.
import { ResourceRegistry, type ResourceDefinition } from '../../../src/api/registry.js';
import {
  anyObject,
  bool,
  define,
  enumOf,
  int32,
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
  time,
} from '../../../src/api/schema/build.js';
import { metaDefinitions } from '../../../src/api/schema/meta-definitions.js';
import type { Definitions } from '../../../src/api/schema/types.js';

const typeMeta = { apiVersion: str({ description: 'API version.' }), kind: str({ description: 'Kind.' }) };

export const coreDefs: Definitions = new Map();
define(coreDefs, {
  'io.k8s.api.core.v1.ConfigMap': object(
    {
      ...typeMeta,
      metadata: objectMeta({ default: {}, description: "Standard object's metadata." }),
      data: stringMap({ description: 'UTF-8 configuration data.' }),
      binaryData: mapOf(str({ format: 'byte' }), { description: 'Binary configuration data.' }),
      immutable: bool({ description: 'Whether the data may change.' }),
    },
    { description: 'Configuration data for pods to consume.' },
  ),
});

export const appsDefs: Definitions = new Map();
define(appsDefs, {
  'io.k8s.api.apps.v1.Deployment': object(
    {
      ...typeMeta,
      metadata: objectMeta({ default: {}, description: "Standard object's metadata." }),
      spec: ref('io.k8s.api.apps.v1.DeploymentSpec', { default: {}, description: 'Desired state.' }),
      status: ref('io.k8s.api.apps.v1.DeploymentStatus', { default: {}, description: 'Observed state.' }),
    },
    { description: 'Declarative updates for pods.' },
  ),
  'io.k8s.api.apps.v1.DeploymentSpec': object(
    {
      replicas: int32({ description: 'Desired number of pods.' }),
      selector: labelSelector({ description: 'Which pods belong to the deployment.' }),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec', { default: {}, description: 'The pods to create.' }),
      strategy: ref('io.k8s.api.apps.v1.DeploymentStrategy', { default: {}, description: 'How to replace pods.' }),
      paused: bool({ description: 'Whether rollouts are paused.' }),
    },
    { description: 'The desired state of a deployment.', required: ['selector', 'template'] },
  ),
  'io.k8s.api.apps.v1.DeploymentStrategy': object(
    {
      type: enumOf(['Recreate', 'RollingUpdate'], { default: 'RollingUpdate', description: 'The strategy type.' }),
      rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateDeployment', { description: 'Rolling update parameters.' }),
    },
    { description: 'How to replace pods.' },
  ),
  'io.k8s.api.apps.v1.RollingUpdateDeployment': object(
    {
      maxSurge: intOrString({ description: 'Extra pods allowed during an update.' }),
      maxUnavailable: intOrString({ description: 'Pods that may be unavailable during an update.' }),
    },
    { description: 'Rolling update parameters.' },
  ),
  'io.k8s.api.apps.v1.DeploymentStatus': object(
    {
      replicas: int32({ description: 'Pods targeted.' }),
      conditions: mergeList(ref('io.k8s.api.apps.v1.DeploymentCondition', { default: {} }), 'type', { description: 'Latest observations.' }),
    },
    { description: 'The observed state of a deployment.' },
  ),
  'io.k8s.api.apps.v1.DeploymentCondition': object(
    {
      type: str({ default: '', description: 'Condition type.' }),
      status: str({ default: '', description: 'True, False or Unknown.' }),
      lastTransitionTime: time({ description: 'When the status changed.' }),
    },
    { description: 'One condition.', required: ['type', 'status'] },
  ),
  'io.k8s.api.core.v1.PodTemplateSpec': object(
    {
      metadata: objectMeta({ default: {}, description: "Standard object's metadata." }),
      spec: ref('io.k8s.api.core.v1.PodSpec', { default: {}, description: 'The pod specification.' }),
    },
    { description: 'A pod template.' },
  ),
  'io.k8s.api.core.v1.PodSpec': object(
    {
      containers: mergeList(ref('io.k8s.api.core.v1.Container', { default: {} }), 'name', { description: 'The containers of the pod.' }),
      restartPolicy: enumOf(['Always', 'OnFailure', 'Never'], { description: 'When containers restart.' }),
      nodeSelector: stringMap({ description: 'Labels a node must have.', 'x-kubernetes-map-type': 'atomic' }),
    },
    { description: 'The specification of a pod.', required: ['containers'] },
  ),
  'io.k8s.api.core.v1.Container': object(
    {
      name: str({ default: '', description: 'The container name.' }),
      image: str({ description: 'The container image.' }),
      args: list(str({ default: '' }), { description: 'Arguments to the entrypoint.', 'x-kubernetes-list-type': 'atomic' }),
      ports: mergeList(ref('io.k8s.api.core.v1.ContainerPort', { default: {} }), 'containerPort', {
        mapKeys: ['containerPort', 'protocol'],
        description: 'Ports to expose.',
      }),
      resources: ref('io.k8s.api.core.v1.ResourceRequirements', { default: {}, description: 'Compute resources.' }),
    },
    { description: 'A container of a pod.', required: ['name'] },
  ),
  'io.k8s.api.core.v1.ContainerPort': object(
    {
      containerPort: int32({ default: 0, description: 'The port number.' }),
      protocol: enumOf(['TCP', 'UDP', 'SCTP'], { default: 'TCP', description: 'The protocol.' }),
      name: str({ description: 'A name for the port.' }),
    },
    { description: 'A network port of a container.', required: ['containerPort'] },
  ),
  'io.k8s.api.core.v1.ResourceRequirements': object(
    {
      limits: mapOf(quantity(), { description: 'Most resources allowed.' }),
      requests: mapOf(quantity(), { description: 'Least resources required.' }),
    },
    { description: 'Compute resources.' },
  ),
  'io.k8s.api.autoscaling.v1.Scale': object(
    {
      ...typeMeta,
      metadata: objectMeta({ default: {} }),
      spec: object({ replicas: int32() }, { default: {} }),
      status: object({ replicas: int32({ default: 0 }), selector: str() }, { default: {} }),
    },
    { description: 'A scaling request.' },
  ),
});

/** A custom resource as a CRD's openAPIV3Schema would describe it. */
export const crdDefs: Definitions = new Map();
define(crdDefs, {
  'com.example.stable.v1.CronTab': object(
    {
      metadata: { type: 'object' },
      spec: object(
        {
          cronSpec: str({ pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' }),
          image: str({ minLength: 3, maxLength: 10 }),
          replicas: int32({ minimum: 1, maximum: 10, default: 1 }),
          tags: setList(str(), { maxItems: 3 }),
          hosts: list(str(), { minItems: 1 }),
          mode: enumOf(['Fast', 'Slow']),
          port: { 'x-kubernetes-int-or-string': true },
          note: str({ nullable: true }),
          extra: anyObject(),
          template: object({}, { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true }),
          labels: mapOf(str({ default: 'x' })),
          uid: str({ format: 'uuid' }),
        },
        { required: ['cronSpec'] },
      ),
    },
    {},
  ),
});

export const configMapDef: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  schemaName: 'io.k8s.api.core.v1.ConfigMap',
  definitions: coreDefs,
};

export const deploymentDef: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  schemaName: 'io.k8s.api.apps.v1.Deployment',
  definitions: appsDefs,
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
};

export const cronTabDef: ResourceDefinition = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'CronTab',
  plural: 'crontabs',
  singular: 'crontab',
  namespaced: true,
  schemaName: 'com.example.stable.v1.CronTab',
  definitions: crdDefs,
  customResource: true,
};

export function fixtureRegistry(): ResourceRegistry {
  const registry = new ResourceRegistry(metaDefinitions);
  registry.add(configMapDef);
  registry.add(deploymentDef);
  registry.add(cronTabDef);
  return registry;
}

/** All definitions of the fixture kinds, for the walkers that take a Definitions map. */
export const defs: Definitions = fixtureRegistry().definitions;

export function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
        },
      },
    },
  };
}
