// The scheduler: what cluster/ composes and tests import.
export { Scheduler, DEFAULT_SCHEDULER_NAME } from './scheduler.js';
export type { SchedulerOptions } from './scheduler.js';
export { Cache } from './cache.js';
export { Snapshot } from './snapshot.js';
export { SchedulingQueue, QueuedPodInfo } from './queue.js';
export { CycleState, FitError, fitErrorMessage, Framework, numFeasibleNodesToFind, Status } from './framework.js';
export type { Handle, Plugin, PluginConfig } from './framework.js';
export { NodeInfo, PodInfo, podRequests } from './nodeinfo.js';
export { defaultPlugins } from './plugins/index.js';
export type { PluginArgs } from './plugins/index.js';
