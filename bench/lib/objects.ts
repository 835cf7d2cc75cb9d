// The objects the API benchmarks write: a Pod of a realistic size (~1.5 KB of JSON: one
// container with an image, ports, resources and env, as a Deployment would stamp it), or a
// ConfigMap whose data carries a payload of the same size, for servers that do not serve pods.
import type { KubeObject } from '../../src/api/registry.js';
import { resources, type ResourceRef } from '../../src/client/resource.js';

export const BENCH_RESOURCES = ['pods', 'configmaps'] as const;
export type BenchResource = (typeof BENCH_RESOURCES)[number];

export function benchPod(name: string, namespace: string, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'checkout', 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop', 'pod-template-hash': '6d4f8b7c9d' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [
        {
          name: 'checkout',
          image: 'registry.example.com/shop/checkout:v2.14.3',
          imagePullPolicy: 'IfNotPresent',
          args: ['--listen=:8080', '--metrics-listen=:9090', '--log-format=json'],
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'DATABASE_URL', value: 'postgres://checkout@orders-db.shop.svc.cluster.local:5432/orders?sslmode=require' },
            { name: 'CACHE_ADDR', value: 'redis-master.shop.svc.cluster.local:6379' },
            { name: 'PAYMENTS_ENDPOINT', value: 'http://payments.shop.svc.cluster.local:8080/v1/charges' },
            { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc:4317' },
            { name: 'FEATURE_FLAGS', value: 'new-cart=true,express-checkout=false,gift-cards=true' },
            { name: 'GOMAXPROCS', value: '1' },
          ],
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        },
      ],
      terminationGracePeriodSeconds: 30,
    },
  };
}

const POD_BYTES = Buffer.byteLength(JSON.stringify(benchPod('checkout-6d4f8b7c9d-x2x9z', 'default', 'node-0001')));
const CONFIGMAP_OVERHEAD = Buffer.byteLength(JSON.stringify(benchConfigMapWith('checkout-6d4f8b7c9d-x2x9z', 'default', '', '')));

function benchConfigMapWith(name: string, namespace: string, nodeName: string, payload: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { app: 'checkout' } }, data: { nodeName, payload } };
}

/** A ConfigMap as large as the bench Pod, naming its node in data (ConfigMaps have no spec.nodeName). */
export function benchConfigMap(name: string, namespace: string, nodeName = ''): KubeObject {
  return benchConfigMapWith(name, namespace, nodeName, 'x'.repeat(Math.max(0, POD_BYTES - CONFIGMAP_OVERHEAD - nodeName.length)));
}

export interface BenchKind {
  resource: BenchResource;
  ref: ResourceRef;
  make(name: string, namespace: string, nodeName?: string): KubeObject;
  /**
   * A field selector that picks one node's share of the objects: `spec.nodeName` for pods;
   * ConfigMaps can only be selected by name, so there it picks one object.
   */
  oneNodeSelector(nodeName: string, anObjectName: string): string;
}

export const benchKinds: Record<BenchResource, BenchKind> = {
  pods: { resource: 'pods', ref: resources.pods, make: benchPod, oneNodeSelector: (node) => `spec.nodeName=${node}` },
  configmaps: { resource: 'configmaps', ref: resources.configMaps, make: benchConfigMap, oneNodeSelector: (_node, name) => `metadata.name=${name}` },
};

/** The request body size of one bench object, in bytes. */
export const BENCH_OBJECT_BYTES = POD_BYTES;
