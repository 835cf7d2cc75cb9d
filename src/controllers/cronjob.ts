// The CronJob controller (pkg/controller/cronjob, "v2"): on each sync it reconciles
// .status.active with the Jobs it owns, starts the Job for the most recent unmet schedule time
// (at most one, however many were missed), applies the concurrency policy and the starting
// deadline, trims finished Jobs to the history limits, and requeues itself for the next
// schedule time as read from the controller's clock.
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { formatRFC3339 } from '../api/meta/time.js';
import type { ResourceClient } from '../client/client.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { timeZoneError } from '../api/resources/batch/schedule.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { compareByStartTime, jobFromTemplate, jobNameFor, mostRecentScheduleTime, nextScheduleDelayMs, parseSchedule, type Schedule } from './cronjob-util.js';
import { isJobFinished } from './job.js';
import { CONTROLLER_UID_INDEX, controllerUIDIndexFunc } from './util/controller-ref.js';
import { getControllerOf } from '../api/meta/objectmeta.js';
import { deepCopy } from '../api/patch/json.js';

const COMPONENT = 'cronjob-controller';

/** The finished condition's type (`Complete` or `Failed`), as FinishedCondition reports it. */
function finishedConditionType(job: Job): string | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
}

/** RFC 1123 with a numeric zone, as Go's time.RFC1123Z prints a UTC time. */
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export class CronJobController extends Controller {
  readonly name = 'cronjob';
  private cronJobs!: Informer<CronJob>;
  private jobs!: Informer<Job>;
  private readonly cronJobClient: ResourceClient<CronJob>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx);
    this.cronJobClient = ctx.client.resource<CronJob>(resources.cronJobs);
    this.jobClient = ctx.client.resource<Job>(resources.jobs);
    this.recorder = ctx.recorder(COMPONENT);
  }

  setup(): void {
    this.cronJobs = this.ctx.informers.informerFor<CronJob>(resources.cronJobs);
    this.jobs = this.ctx.informers.informerFor<Job>(resources.jobs);
    this.jobs.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.enqueue(cj),
      onUpdate: (_, cj) => this.enqueue(cj),
      onDelete: (cj) => this.enqueue(cj),
    });
    const owner = (job: Job) => {
      const ref = getControllerOf(job);
      if (ref?.kind !== 'CronJob') return;
      const cj = this.cronJobs.store.get(`${job.metadata!.namespace}/${ref.name}`);
      if (cj?.metadata?.uid === ref.uid) this.enqueue(cj);
    };
    this.jobs.addEventHandler({ onAdd: owner, onUpdate: (old, job) => (owner(old), owner(job)), onDelete: owner });
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.cronJobs.store.get(key);
    if (!cached) return;
    const cj = deepCopy(cached);
    const jobs = this.jobs.store.byIndex(CONTROLLER_UID_INDEX, cj.metadata!.uid!);
    const now = this.ctx.clock.now();
    const { requeueAfterMs, updateStatus } = await this.syncCronJob(cj, jobs, now);
    if (updateStatus) await this.cronJobClient.namespace(cj.metadata!.namespace!).updateStatus(cj);
    if (requeueAfterMs !== undefined) this.queue.addAfter(key, requeueAfterMs);
  }

  private async syncCronJob(cj: CronJob, jobs: Job[], now: number): Promise<{ requeueAfterMs?: number; updateStatus: boolean }> {
    const status = (cj.status ??= {});
    let updateStatus = false;
    const children = new Set<string>();
    for (const job of jobs) {
      const uid = job.metadata!.uid!;
      children.add(uid);
      const inActive = status.active?.some((r) => r.uid === uid) ?? false;
      if (!inActive && !isJobFinished(job)) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata!.name}`);
      } else if (inActive && isJobFinished(job)) {
        status.active = status.active!.filter((r) => r.uid !== uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata!.name}, condition: ${finishedConditionType(job)}`);
        updateStatus = true;
      }
      const completed = job.status?.completionTime;
      if (isJobFinished(job) && completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) {
        status.lastSuccessfulTime = completed;
        updateStatus = true;
      }
    }
    // Active entries the informer does not know: gone, or not seen yet (ask the API).
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid!)) continue;
      try {
        const job = await this.jobClient.namespace(ref.namespace ?? cj.metadata!.namespace!).get(ref.name!);
        if (job.metadata?.uid === ref.uid) continue;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      status.active = status.active!.filter((r) => r.uid !== ref.uid);
      updateStatus = true;
    }
    if (await this.cleanupFinishedJobs(cj, jobs)) updateStatus = true;

    if (cj.metadata?.deletionTimestamp) return { updateStatus };
    const timeZone = cj.spec?.timeZone ?? undefined;
    if (timeZone) {
      const problem = timeZoneError(timeZone);
      if (problem) {
        this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: ${problem}`);
        return { updateStatus };
      }
    }
    if (cj.spec?.suspend) return { updateStatus };
    let schedule: Schedule;
    try {
      schedule = parseSchedule(cj.spec!.schedule, timeZone);
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec!.schedule)} : ${err instanceof Error ? err.message : String(err)}`);
      return { updateStatus };
    }

    let scheduled: number | undefined;
    try {
      const recent = mostRecentScheduleTime(cj, now, schedule, true);
      if (recent.mostRecent !== undefined && recent.mostRecent <= now) {
        scheduled = recent.mostRecent;
        if (recent.missed === 'many') {
          this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        }
      }
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec!.schedule} : ${err instanceof Error ? err.message : String(err)}`);
      return { updateStatus };
    }
    const requeueAfterMs = nextScheduleDelayMs(cj, now, schedule);
    if (scheduled === undefined) return { requeueAfterMs, updateStatus };

    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
      this.recorder.event(cj, 'Normal', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return { requeueAfterMs, updateStatus };
    }
    const name = jobNameFor(cj, scheduled);
    if (status.active?.some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) {
      return { requeueAfterMs, updateStatus };
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      // Regardless of which job is running, this schedule time is skipped (not queued for later).
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfterMs, updateStatus };
    }
    if (policy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        const job = this.jobs.store.get(`${ref.namespace ?? cj.metadata!.namespace}/${ref.name}`);
        if (job && (await this.deleteJob(cj, job))) {
          status.active = status.active!.filter((r) => r.uid !== ref.uid);
          updateStatus = true;
        }
      }
    }

    let created: Job;
    try {
      created = await this.jobClient.namespace(cj.metadata!.namespace!).create(jobFromTemplate(cj, scheduled));
    } catch (err) {
      // Created before (by an earlier sync that failed to write status): that sync's state stands.
      if (isAlreadyExists(err)) return { updateStatus };
      this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata!.name}`);
    const ref: ObjectReference = {
      kind: 'Job',
      namespace: created.metadata!.namespace,
      name: created.metadata!.name,
      uid: created.metadata!.uid,
      apiVersion: 'batch/v1',
      resourceVersion: created.metadata!.resourceVersion,
    };
    status.active = [...(status.active ?? []), ref];
    status.lastScheduleTime = formatRFC3339(scheduled);
    return { requeueAfterMs, updateStatus: true };
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<boolean> {
    const successLimit = cj.spec?.successfulJobsHistoryLimit;
    const failedLimit = cj.spec?.failedJobsHistoryLimit;
    if ((successLimit === undefined || successLimit === null) && (failedLimit === undefined || failedLimit === null)) return false;
    let changed = false;
    const trim = async (kind: string, limit: number | undefined | null) => {
      if (limit === undefined || limit === null) return;
      const finished = jobs.filter((j) => finishedConditionType(j) === kind && !j.metadata?.deletionTimestamp).sort(compareByStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        if (await this.deleteJob(cj, job)) changed = true;
      }
    };
    await trim('Complete', successLimit);
    await trim('Failed', failedLimit);
    return changed;
  }

  /** Deletes a Job and its pods (background cascade); false when it is gone already. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.jobClient.namespace(job.metadata!.namespace!).delete(job.metadata!.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      if (isNotFound(err)) return false;
      this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    if (cj.status?.active) cj.status.active = cj.status.active.filter((r) => r.uid !== job.metadata!.uid);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata!.name}`);
    return true;
  }
}

export const cronJobControllerFactory: ControllerFactory = (ctx) => new CronJobController(ctx);
