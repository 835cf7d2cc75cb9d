// The client library: what controllers, the scheduler, the kubelet and tests import.
export { Client, ResourceClient, retryOnConflict } from './client.js';
export type {
  DeleteOptions,
  KubeconfigClientOptions,
  ListMeta,
  ListOptions,
  ObjectList,
  PatchOptions,
  PatchType,
  RawRequest,
  Watch,
  WatchOptions,
  WriteOptions,
} from './client.js';
export {
  errorFromResponse,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  isResourceExpired,
  isTooManyRequests,
} from './errors.js';
export { EventRecorder, objectReference } from './events.js';
export type { EventRecorderOptions, EventType, ObjectReference } from './events.js';
export { HttpTransport } from './http.js';
export type { HttpTransportOptions } from './http.js';
export { Informer, InformerFactory, metaNamespaceKey, NAMESPACE_INDEX, splitMetaNamespaceKey } from './informer.js';
export type { EventHandler, HandlerRegistration, IndexFunc, InformerFactoryOptions, InformerOptions, InformerSelector, InformerStore } from './informer.js';
export { defaultKubeconfigPath, kubeconfigDocument, loadKubeconfig, parseKubeconfig, writeKubeconfig } from './kubeconfig.js';
export type { KubeconfigContext, KubeconfigSpec } from './kubeconfig.js';
export { LeaderElector } from './leaderelection.js';
export type { Lease, LeaseSpec, LeaderElectionOptions } from './leaderelection.js';
export { LocalTransport } from './local.js';
export type { ClientTransport } from './request.js';
export { apiVersionOf, resourcePath, resources } from './resource.js';
export type { ResourceRef } from './resource.js';
export type { ApiRequest, ApiResponse, LocalApi, UserInfo, WatchEvent, WatchEventType, WatchSource } from './transport.js';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  RateLimitingQueue,
  runWorkers,
} from './workqueue.js';
export type { QueueOptions, RateLimiter, WorkerOptions } from './workqueue.js';
export { isStatusError, StatusError } from '../api/meta/status.js';
export type { Status } from '../api/meta/status.js';
