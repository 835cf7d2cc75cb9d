// StatefulSet, Job (with TTL-after-finished), CronJob and HPA controllers, by `--controllers` name.
import type { ControllerFactory } from './controller.js';
import { cronJobControllerFactory } from './cronjob.js';
import { horizontalPodAutoscalerControllerFactory } from './horizontalpodautoscaler.js';
import { jobControllerFactory } from './job.js';
import { statefulSetControllerFactory } from './statefulset.js';
import { ttlAfterFinishedControllerFactory } from './ttlafterfinished.js';

export const workloadControllersB: Record<string, ControllerFactory> = {
  statefulset: statefulSetControllerFactory,
  job: jobControllerFactory,
  cronjob: cronJobControllerFactory,
  horizontalpodautoscaling: horizontalPodAutoscalerControllerFactory,
  'ttl-after-finished': ttlAfterFinishedControllerFactory,
};
