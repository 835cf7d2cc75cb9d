// Garbage collection, namespaces, service accounts, endpoints and nodes, by their
// kube-controller-manager `--controllers` names. The CA publisher needs the cluster CA.
import type { ControllerFactory } from './controller.js';
import { endpointsControllerFactory } from './endpoints.js';
import { endpointSliceControllerFactory } from './endpointslice.js';
import { endpointSliceMirroringControllerFactory } from './endpointslicemirroring.js';
import { garbageCollectorFactory } from './garbagecollector.js';
import { namespaceControllerFactory } from './namespace.js';
import { nodeLifecycleControllerFactory, type NodeLifecycleOptions } from './nodelifecycle.js';
import { podGCControllerFactory } from './podgc.js';
import { rootCACertPublisherFactory } from './rootcacertpublisher.js';
import { serviceAccountsControllerFactory } from './serviceaccount.js';
import { taintEvictionControllerFactory } from './tainteviction.js';

export function clusterControllersA(opts: { rootCA: string; nodeLifecycle?: NodeLifecycleOptions }): Record<string, ControllerFactory> {
  return {
    garbagecollector: garbageCollectorFactory,
    namespace: namespaceControllerFactory,
    serviceaccount: serviceAccountsControllerFactory,
    'root-ca-certificate-publisher': rootCACertPublisherFactory(opts.rootCA),
    endpoint: endpointsControllerFactory,
    endpointslice: endpointSliceControllerFactory(),
    'endpointslice-mirroring': endpointSliceMirroringControllerFactory,
    nodelifecycle: nodeLifecycleControllerFactory(opts.nodeLifecycle),
    'taint-eviction-controller': taintEvictionControllerFactory,
    podgc: podGCControllerFactory(),
  };
}
