// Simulated nodes: hollow kubelets with no containers, for tests, demos and scale runs.
export { SimulatedNodes } from './manager.js';
export type { SimulatedNodesOptions } from './manager.js';
export { DEFAULT_NODE_CAPACITY, KUBELET_VERSION, CONTAINER_RUNTIME_VERSION } from './node.js';
export type { NodeCapacity } from './node.js';
export {
  DEFAULT_JOB_DURATION_MS,
  DEFAULT_STARTUP_MS,
  DURATION_ANNOTATION,
  EXIT_CODE_ANNOTATION,
  STOP_DURATION_ANNOTATION,
  simulatedLogs,
} from './podstatus.js';
