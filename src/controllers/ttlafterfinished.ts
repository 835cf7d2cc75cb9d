// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// .spec.ttlSecondsAfterFinished is deleted (cascading in the foreground) that long after it
// finished. The deadline is re-checked against a fresh read before deleting, and the delete is
// conditional on that read's resourceVersion, so a Job whose TTL was just extended survives.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ResourceClient } from '../client/client.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { splitMetaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';

/** When the Job finished: the transition time of its Complete or Failed condition. */
export function jobFinishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/** Milliseconds until the Job expires (≤ 0: now), or undefined when it has no TTL or is not finished. */
export function timeLeft(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finishedAt = jobFinishTime(job);
  if (finishedAt === undefined) return undefined;
  return finishedAt + ttl * 1000 - now;
}

export class TTLAfterFinishedController extends Controller {
  readonly name = 'ttl-after-finished';
  private jobs!: Informer<Job>;
  private readonly client: ResourceClient<Job>;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.client = ctx.client.resource<Job>(resources.jobs);
  }

  setup(): void {
    this.jobs = this.ctx.informers.informerFor<Job>(resources.jobs);
    const maybeEnqueue = (job: Job) => {
      if (timeLeft(job, this.ctx.clock.now()) !== undefined) this.enqueue(job);
    };
    this.jobs.addEventHandler({ onAdd: maybeEnqueue, onUpdate: (_, job) => maybeEnqueue(job) });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.jobs.store.get(key);
    if (!cached) return;
    const left = timeLeft(cached, this.ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    const { namespace, name } = splitMetaNamespaceKey(key);
    const jobs = this.client.namespace(namespace);
    let fresh: Job;
    try {
      fresh = await jobs.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const freshLeft = timeLeft(fresh, this.ctx.clock.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.queue.addAfter(key, freshLeft);
      return;
    }
    try {
      await jobs.delete(name, { propagationPolicy: 'Foreground', preconditions: { resourceVersion: fresh.metadata!.resourceVersion } });
    } catch (err) {
      if (isNotFound(err)) return;
      // Changed since the read: look again.
      if (isConflict(err)) this.queue.add(key);
      else throw err;
    }
  }
}

export const ttlAfterFinishedControllerFactory: ControllerFactory = (ctx) => new TTLAfterFinishedController(ctx);
