// The workload controllers of this part: ReplicaSet, ReplicationController, Deployment, DaemonSet.
import type { ControllerFactory } from './controller.js';
import { newDaemonSetsController } from './daemonset.js';
import { newDeploymentController } from './deployment.js';
import { newReplicaSetController, newReplicationControllerController } from './replicaset.js';

export const workloadControllersA: Record<string, ControllerFactory> = {
  replicaset: newReplicaSetController,
  replicationcontroller: newReplicationControllerController,
  deployment: newDeploymentController,
  daemonset: newDaemonSetsController,
};
