// The shape every controller has, as kube-controller-manager's: informers feed a
// rate-limited, de-duplicating work queue of keys; workers call `reconcile(key)`, which
// reads the world from informer caches and writes through the API. A failed reconcile is
// retried with back-off; a 409 Conflict is just another retry.
import type { KubeObject } from '../api/registry.js';
import type { Client } from '../client/client.js';
import type { EventRecorder } from '../client/events.js';
import { InformerFactory, metaNamespaceKey } from '../client/informer.js';
import { RateLimitingQueue, runWorkers } from '../client/workqueue.js';

/** Time as controllers see it: real in a cluster, controllable in tests (CronJob schedules, TTLs). */
export interface Clock {
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

export interface ControllerContext {
  client: Client;
  /** Shared informers: every controller asking for the same resource and selector gets the same one. */
  informers: InformerFactory;
  /** An event recorder reporting as `component` (e.g. `replicaset-controller`). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  /** Reports an error a reconcile hit (the key is retried with back-off). */
  log(line: string): void;
}

export abstract class Controller {
  /** The upstream controller's name, as `--controllers` takes it (`replicaset`, `deployment` …). */
  abstract readonly name: string;
  readonly queue = new RateLimitingQueue<string>();
  /** Concurrent reconciles (upstream's --concurrent-*-syncs). */
  protected workers = 5;

  constructor(protected readonly ctx: ControllerContext) {}

  /** Asks for informers and adds the event handlers that enqueue keys; runs before informers start. */
  abstract setup(): void;

  /** Brings the object named by `key` (`namespace/name`, or `name`) to its desired state. */
  abstract reconcile(key: string): Promise<void>;

  /** Runs the workers until stop(). */
  run(): Promise<void> {
    return runWorkers(this.queue, this.workers, (key) => this.reconcile(key), {
      onError: (key, err) => this.ctx.log(`${this.name}: ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  stop(): void {
    this.queue.shutDown();
  }

  protected enqueue(obj: Readonly<KubeObject>): void {
    this.queue.add(metaNamespaceKey(obj));
  }
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;
