// Every controller kube-controller-manager runs that k8ts has, by its `--controllers` name.
import type { ControllerFactory } from './controller.js';

export const controllerFactories: Record<string, ControllerFactory> = {};
