// The Job controller (pkg/controller/job): runs pods to completion. Finished pods are counted
// exactly once through the `batch.kubernetes.io/job-tracking` finalizer: a finished pod's UID
// goes to .status.uncountedTerminatedPods first, then its finalizer is removed, then it moves
// to the succeeded/failed counters, so neither a controller restart nor a lost watch event
// miscounts. Failures are replaced after an exponential back-off; the Job ends Complete or
// Failed (after the interim SuccessCriteriaMet / FailureTarget condition, as 1.32 does).
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector } from '../api/meta/labels.js';
import { formatRFC3339 } from '../api/meta/time.js';
import type { ResourceClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import { metaNamespaceKey, type Informer } from '../client/informer.js';
import { resources } from '../client/resource.js';
import { Controller, type ControllerContext, type ControllerFactory } from './controller.js';
import { Expectations } from './expectations.js';
import {
  activePodsForRemoval,
  backoffRemainingMs,
  completionIndexOf,
  DEFAULT_POD_FAILURE_BACKOFF_MS,
  firstPendingIndexes,
  formatIndexes,
  hasTrackingFinalizer,
  isIndexedJob,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_COMPLETION_INDEX_ENV,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  matchPodFailurePolicy,
  matchSuccessPolicy,
  MAX_POD_FAILURE_BACKOFF_MS,
  nextBackoffRecord,
  parseIndexes,
  pastBackoffLimitOnFailure,
  type BackoffRecord,
} from './job-util.js';
import { claimCandidates, claimObjects, CONTROLLER_UID_INDEX, controllerUIDIndexFunc, recheckOwner } from './util/controller-ref.js';
import { getControllerOf, newControllerRef } from '../api/meta/objectmeta.js';
import { isPodActive, isPodReady, isPodTerminating } from '../api/helpers/pod.js';
import { deepCopy } from '../api/patch/json.js';

export interface JobControllerOptions {
  /** Delay before the first replacement of a failed pod, doubling per failure (upstream: 10 s). */
  podFailureBackoffMs?: number;
  /** The longest such delay (upstream: 10 minutes). */
  maxPodFailureBackoffMs?: number;
  /** Pod changes are batched for this long before the Job is synced (upstream's syncJobBatchPeriod: 1 s). */
  syncBatchPeriodMs?: number;
}

const COMPONENT = 'job-controller';
/** MaxPodCreateDeletePerSync and MaxUncountedPods. */
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const MAX_UNCOUNTED_PODS = 500;
/** Keys of pods whose tracking finalizer outlived their Job. */
const ORPHAN_POD_PREFIX = 'orphan-pod:';

function conditionOf(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** util.IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: Job): boolean {
  return !!(conditionOf(job, 'Complete') ?? conditionOf(job, 'Failed'));
}

function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** Pods that are replaced only once they are Failed (not while terminating). */
function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/** isPodFailed: Failed, or (unless only failed pods count) deleted before it succeeded. */
function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

function newCondition(type: string, reason: string, message: string, now: number): JobCondition {
  const at = formatRFC3339(now);
  return { type, status: 'True', lastProbeTime: at, lastTransitionTime: at, reason, message };
}

/** ensureJobConditionStatus: sets the condition, creating it only when it is True; reports a change. */
function ensureCondition(status: JobStatus, type: string, value: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const conditions = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    if (value === 'False') return false;
    conditions.push({ ...newCondition(type, reason, message, now), status: value });
    return true;
  }
  if (existing.status === value && existing.reason === reason && existing.message === message) return false;
  const at = formatRFC3339(now);
  if (existing.status !== value) existing.lastTransitionTime = at;
  existing.status = value;
  existing.reason = reason;
  existing.message = message;
  existing.lastProbeTime = at;
  return true;
}

/** Everything one sync works out before it writes. */
interface SyncContext {
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRmFinalizers: Set<string>;
  newBackoff: BackoffRecord;
  finishedCondition?: JobCondition;
  prevSucceededIndexes?: Set<number>;
  succeededIndexes?: Set<number>;
  failedIndexes?: Set<number>;
}

export class JobController extends Controller {
  readonly name = 'job';
  private jobs!: Informer<Job>;
  private pods!: Informer<Pod>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly expectations: Expectations;
  /** Per Job: UIDs of pods whose finalizer removal was sent and not yet seen. */
  private readonly finalizerExpectations = new Map<string, Set<string>>();
  private readonly backoffs = new Map<string, BackoffRecord>();
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly batchMs: number;

  constructor(ctx: ControllerContext, opts: JobControllerOptions = {}) {
    super(ctx);
    this.jobClient = ctx.client.resource<Job>(resources.jobs);
    this.podClient = ctx.client.resource<Pod>(resources.pods);
    this.recorder = ctx.recorder(COMPONENT);
    this.expectations = new Expectations(() => ctx.clock.now());
    this.backoffBaseMs = opts.podFailureBackoffMs ?? DEFAULT_POD_FAILURE_BACKOFF_MS;
    this.backoffMaxMs = opts.maxPodFailureBackoffMs ?? MAX_POD_FAILURE_BACKOFF_MS;
    this.batchMs = opts.syncBatchPeriodMs ?? 1000;
  }

  setup(): void {
    this.jobs = this.ctx.informers.informerFor<Job>(resources.jobs);
    this.pods = this.ctx.informers.informerFor<Pod>(resources.pods);
    this.pods.addIndexers({ [CONTROLLER_UID_INDEX]: controllerUIDIndexFunc });
    this.jobs.addEventHandler({
      onAdd: (job) => this.enqueue(job),
      onUpdate: (_, job) => this.enqueue(job),
      onDelete: (job) => this.enqueue(job),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => {
        if (pod.metadata?.deletionTimestamp) return this.podGone(pod, false);
        const job = this.jobOf(pod);
        if (job) {
          this.expectations.creationObserved(metaNamespaceKey(job));
          this.enqueueBatched(job);
        }
      },
      onUpdate: (old, pod) => {
        if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) return this.podGone(pod, false);
        const job = this.jobOf(pod);
        if (job && hasTrackingFinalizer(old) && !hasTrackingFinalizer(pod)) this.finalizerRemovalObserved(metaNamespaceKey(job), pod.metadata!.uid!);
        const oldJob = this.jobOf(old);
        if (oldJob && oldJob !== job) this.enqueueBatched(oldJob);
        if (job) this.enqueueBatched(job);
        else if (hasTrackingFinalizer(pod)) this.queue.add(ORPHAN_POD_PREFIX + metaNamespaceKey(pod));
        if (job && isJobFinished(job) && hasTrackingFinalizer(pod)) this.queue.add(ORPHAN_POD_PREFIX + metaNamespaceKey(pod));
      },
      onDelete: (pod) => this.podGone(pod, true),
    });
  }

  private enqueueBatched(job: Job): void {
    this.queue.addAfter(metaNamespaceKey(job), this.batchMs);
  }

  /** The Job controlling the pod, from the cache (only batch/v1 Jobs with the same UID). */
  private jobOf(pod: Pod): Job | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return undefined;
    const job = this.jobs.store.get(`${pod.metadata!.namespace}/${ref.name}`);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private podGone(pod: Pod, final: boolean): void {
    const job = this.jobOf(pod);
    if (!job || isJobFinished(job)) {
      if (hasTrackingFinalizer(pod) && !final) this.queue.add(ORPHAN_POD_PREFIX + metaNamespaceKey(pod));
      return;
    }
    const key = metaNamespaceKey(job);
    this.expectations.deletionObserved(key);
    if (final || !hasTrackingFinalizer(pod)) this.finalizerRemovalObserved(key, pod.metadata!.uid!);
    this.enqueueBatched(job);
  }

  private finalizerRemovalObserved(key: string, uid: string): void {
    const uids = this.finalizerExpectations.get(key);
    if (!uids) return;
    uids.delete(uid);
    if (uids.size === 0) this.finalizerExpectations.delete(key);
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_POD_PREFIX)) return this.syncOrphanPod(key.slice(ORPHAN_POD_PREFIX.length));
    const cached = this.jobs.store.get(key);
    if (!cached) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoffs.delete(key);
      return;
    }
    if (cached.spec?.managedBy !== undefined && cached.spec.managedBy !== 'kubernetes.io/job-controller') return;
    if (isJobFinished(cached)) {
      this.backoffs.delete(key);
      return;
    }
    const mode = cached.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    await this.syncJob(key, deepCopy(cached));
  }

  /** Removes the tracking finalizer from a pod whose Job is gone or finished. */
  private async syncOrphanPod(podKey: string): Promise<void> {
    const pod = this.pods.store.get(podKey);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.jobOf(pod);
      if (job && !isJobFinished(job)) return;
    }
    await this.removeFinalizer(pod);
  }

  private async syncJob(key: string, job: Job): Promise<void> {
    const now = this.ctx.clock.now();
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const uncountedSucceeded = new Set(status.uncountedTerminatedPods.succeeded ?? []);
    const uncountedFailed = new Set(status.uncountedTerminatedPods.failed ?? []);
    const expectedRmFinalizers = new Set(this.finalizerExpectations.get(key) ?? []);
    // Finished pods not counted anywhere yet (they still carry the finalizer).
    const fresh = (p: Pod) => hasTrackingFinalizer(p) && !expectedRmFinalizers.has(p.metadata!.uid!);
    const newSucceeded = pods.filter((p) => fresh(p) && !uncountedSucceeded.has(p.metadata!.uid!) && p.status?.phase === 'Succeeded');
    const newFailed = pods.filter((p) => fresh(p) && !uncountedFailed.has(p.metadata!.uid!) && isPodFailed(p, job));
    const countedNewFailed = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
    const sc: SyncContext = {
      job,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      succeeded: (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size,
      failed: (status.failed ?? 0) + countedNewFailed + uncountedFailed.size,
      uncountedSucceeded,
      uncountedFailed,
      expectedRmFinalizers,
      newBackoff: nextBackoffRecord(this.backoffs.get(key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailed),
    };
    if (!status.startTime && !isSuspended(job)) status.startTime = formatRFC3339(now);

    let active = activePods.length;
    let manageError: unknown;
    sc.finishedCondition = conditionOf(job, 'SuccessCriteriaMet');
    if (!sc.finishedCondition) {
      const target = conditionOf(job, 'FailureTarget');
      if (target) sc.finishedCondition = newCondition('Failed', target.reason ?? '', target.message ?? '', now);
      else {
        const message = this.failJobMessage(job, pods);
        if (message) sc.finishedCondition = newCondition('FailureTarget', 'PodFailurePolicy', message, now);
      }
    }
    if (!sc.finishedCondition) {
      const backoffLimit = job.spec?.backoffLimit ?? 6;
      if (sc.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        sc.finishedCondition = newCondition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job, now)) {
        sc.finishedCondition = newCondition('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (job.spec?.activeDeadlineSeconds !== undefined && !isSuspended(job) && status.startTime) {
        this.queue.addAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime)));
      }
    }
    if (isIndexedJob(job)) this.indexedProgress(sc, now);

    let suspendChanged = false;
    if (sc.finishedCondition) {
      const deleted = await this.deleteActivePods(job, activePods);
      if (deleted.deleted !== active || !satisfied) sc.finishedCondition = undefined;
      active -= deleted.deleted;
      sc.terminating += deleted.deleted;
      sc.ready -= deleted.ready;
      manageError = deleted.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata?.deletionTimestamp) {
        try {
          active = await this.manageJob(key, sc, now);
        } catch (err) {
          manageError = err;
        }
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions === undefined || completions === null ? sc.succeeded > 0 && active === 0 : sc.succeeded >= completions && active === 0;
      if (complete) {
        sc.finishedCondition = newCondition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        if (isSuspended(job)) {
          if (ensureCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: it restarts on resume.
          status.startTime = formatRFC3339(now);
        }
      }
    }
    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || sc.ready !== status.ready || sc.terminating !== status.terminating;
    status.active = active;
    status.ready = sc.ready;
    status.terminating = sc.terminating;
    await this.trackStatusAndRemoveFinalizers(key, sc, needsUpdate, now);
    if (manageError) throw manageError;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const deadline = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (deadline === undefined || deadline === null || !start || isSuspended(job)) return false;
    return now - Date.parse(start) >= deadline * 1000;
  }

  private failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p).failJobMessage;
      if (m) return m;
    }
    return undefined;
  }

  /** Indexed Jobs: which indexes succeeded (and failed for good, with backoffLimitPerIndex), and what that decides. */
  private indexedProgress(sc: SyncContext, now: number): void {
    const { job, pods } = sc;
    const completions = job.spec?.completions ?? 0;
    sc.prevSucceededIndexes = parseIndexes(job.status?.completedIndexes, completions);
    sc.succeededIndexes = new Set(sc.prevSucceededIndexes);
    for (const p of pods) {
      const ix = completionIndexOf(p);
      if (p.status?.phase === 'Succeeded' && ix >= 0 && ix < completions && hasTrackingFinalizer(p)) sc.succeededIndexes.add(ix);
    }
    sc.succeeded = sc.succeededIndexes.size;
    const perIndex = job.spec?.backoffLimitPerIndex;
    if (perIndex !== undefined && perIndex !== null) {
      sc.failedIndexes = parseIndexes(job.status?.failedIndexes, completions);
      for (const p of pods) {
        const ix = completionIndexOf(p);
        if (ix < 0 || ix >= completions || sc.succeededIndexes.has(ix) || !isPodFailed(p, job)) continue;
        const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, p);
        const failures = Number(p.metadata?.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION] ?? '0') + (match.countFailed ? 1 : 0);
        if (match.action === 'FailIndex' || failures > perIndex) sc.failedIndexes.add(ix);
      }
      if (!sc.finishedCondition) {
        const max = job.spec?.maxFailedIndexes;
        if (max !== undefined && max !== null && sc.failedIndexes.size > max) {
          sc.finishedCondition = newCondition('FailureTarget', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', now);
        } else if (sc.failedIndexes.size > 0 && sc.failedIndexes.size + sc.succeededIndexes.size >= completions) {
          sc.finishedCondition = newCondition('FailureTarget', 'FailedIndexes', 'Job has failed indexes', now);
        }
      }
    }
    if (!sc.finishedCondition) {
      const message = matchSuccessPolicy(job.spec?.successPolicy, completions, sc.succeededIndexes);
      if (message) sc.finishedCondition = newCondition('SuccessCriteriaMet', 'SuccessPolicy', message, now);
    }
  }

  /** getPodsForJob: every pod of the namespace the Job controls, adopting orphans it selects. */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const { namespace, name } = job.metadata as { namespace: string; name: string };
    return claimObjects<Pod>(
      {
        owner: job,
        controllerRef: newControllerRef(job, 'batch/v1', 'Job'),
        selector: selectorFromLabelSelector(job.spec?.selector),
        objects: this.podClient,
        adoptFinalizer: JOB_TRACKING_FINALIZER,
        canAdopt: () => recheckOwner(() => this.jobClient.namespace(namespace).get(name), job),
      },
      claimCandidates(this.pods.store, job),
    );
  }

  /** manageJob: the number of active pods after creating or deleting toward the wanted number. */
  private async manageJob(key: string, sc: SyncContext, now: number): Promise<number> {
    const { job } = sc;
    let active = sc.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (isSuspended(job)) {
      const removed = await this.deleteJobPods(key, job, activePodsForRemoval(job, sc.activePods, active));
      sc.terminating += removed.deleted;
      sc.ready -= removed.ready;
      if (removed.error) throw removed.error;
      return active - removed.deleted;
    }
    const completions = job.spec?.completions;
    let wantActive: number;
    if (completions === undefined || completions === null) wantActive = sc.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - sc.succeeded, parallelism));

    const toDelete = activePodsForRemoval(job, sc.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      const removed = await this.deleteJobPods(key, job, toDelete);
      sc.terminating += removed.deleted;
      sc.ready -= removed.ready;
      if (removed.error) throw removed.error;
      // Deletions and creations never happen in the same sync; deletions go first.
      return active - removed.deleted;
    }
    const terminating = onlyReplaceFailedPods(job) ? sc.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return active;
    const perIndex = job.spec?.backoffLimitPerIndex;
    if (perIndex === undefined || perIndex === null) {
      const remaining = backoffRemainingMs(sc.newBackoff, now, this.backoffBaseMs, this.backoffMaxMs);
      if (remaining > 0) {
        this.queue.addAfter(key, Math.max(remaining, this.batchMs));
        return active;
      }
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      const taken = new Set<number>([...(sc.succeededIndexes ?? []), ...(sc.failedIndexes ?? [])]);
      for (const p of sc.activePods) taken.add(completionIndexOf(p));
      if (terminating > 0) for (const p of sc.pods) if (isPodTerminating(p)) taken.add(completionIndexOf(p));
      indexes = firstPendingIndexes(diff, completions ?? 0, taken);
      diff = indexes.length;
    }
    if (diff === 0) return active;
    this.expectations.expectCreations(key, diff);
    const created = await this.createPods(key, job, sc, diff, indexes);
    return active + created;
  }

  /** Creates `count` pods in slow-start batches (1, 2, 4 …), stopping at the first failed batch. */
  private async createPods(key: string, job: Job, sc: SyncContext, count: number, indexes: number[]): Promise<number> {
    let created = 0;
    let remaining = count;
    let firstError: unknown;
    for (let batch = Math.min(remaining, 1); remaining > 0; batch = Math.min(2 * batch, remaining)) {
      const results = await Promise.all(
        Array.from({ length: batch }, (_, i) => this.createPod(job, sc, indexes.length ? indexes[count - remaining + i] : -1)),
      );
      remaining -= batch;
      let failed = 0;
      for (const r of results) {
        if (r === true) created++;
        else {
          failed++;
          this.expectations.creationObserved(key);
          firstError ??= r;
        }
      }
      if (failed > 0) {
        // Pods never attempted are not expected either.
        this.expectations.lowerExpectations(key, remaining, 0);
        break;
      }
    }
    if (firstError) throw firstError;
    return created;
  }

  /** One pod from the template; resolves true, or with the error. */
  private async createPod(job: Job, sc: SyncContext, index: number): Promise<true | unknown> {
    const template = deepCopy(job.spec!.template);
    const meta = (template.metadata ??= {});
    const spec = template.spec!;
    let generateName = `${job.metadata!.name}-`;
    if (index >= 0) {
      meta.annotations = { ...meta.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
      meta.labels = { ...meta.labels, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
      spec.hostname = `${job.metadata!.name}-${index}`;
      generateName = `${job.metadata!.name}-${index}-`;
      const withIndexEnv = (c: Container): Container =>
        c.env?.some((e) => e.name === JOB_COMPLETION_INDEX_ENV)
          ? c
          : { ...c, env: [...(c.env ?? []), { name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } }] };
      spec.containers = spec.containers.map(withIndexEnv);
      if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
      if (job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null) {
        const failures = sc.pods.filter((p) => completionIndexOf(p) === index && isPodFailed(p, job) && matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
        meta.annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(failures);
      }
    }
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...meta,
        name: undefined,
        generateName,
        namespace: job.metadata!.namespace,
        finalizers: [...new Set([...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER])],
        ownerReferences: [newControllerRef(job, 'batch/v1', 'Job')],
      },
      spec,
    };
    try {
      const created = await this.podClient.namespace(job.metadata!.namespace!).create(pod);
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata!.name}`);
      return true;
    } catch (err) {
      this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      return err;
    }
  }

  /** Removes the pods' finalizers and deletes them: pods the Job no longer wants are not counted. */
  private async deleteJobPods(key: string, job: Job, pods: Pod[]): Promise<{ deleted: number; ready: number; error?: unknown }> {
    if (pods.length === 0) return { deleted: 0, ready: 0 };
    this.expectations.expectDeletions(key, pods.length);
    let deleted = 0;
    let ready = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          if (hasTrackingFinalizer(pod)) await this.removeFinalizer(pod);
          await this.deletePod(job, pod);
          deleted++;
          if (isPodReady(pod)) ready++;
        } catch (err) {
          this.expectations.deletionObserved(key);
          if (isNotFound(err)) {
            deleted++;
            return;
          }
          error ??= err;
        }
      }),
    );
    return { deleted, ready, error };
  }

  /** Deletes active pods keeping their finalizers, so that they are counted once they stop. */
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<{ deleted: number; ready: number; error?: unknown }> {
    let deleted = 0;
    let ready = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.deletePod(job, pod);
        } catch (err) {
          if (!isNotFound(err)) {
            error ??= err;
            return;
          }
        }
        deleted++;
        if (isPodReady(pod)) ready++;
      }),
    );
    return { deleted, ready, error };
  }

  private async deletePod(job: Job, pod: Pod): Promise<void> {
    await this.podClient.namespace(pod.metadata!.namespace!).delete(pod.metadata!.name!, { preconditions: { uid: pod.metadata!.uid } });
    this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`);
  }

  private async removeFinalizer(pod: Pod): Promise<void> {
    const i = pod.metadata?.finalizers?.indexOf(JOB_TRACKING_FINALIZER) ?? -1;
    if (i < 0) return;
    const path = `/metadata/finalizers/${i}`;
    // The test makes the patch fail (rather than remove another finalizer) if the list changed meanwhile.
    await this.podClient.namespace(pod.metadata!.namespace!).patch(pod.metadata!.name!, [{ op: 'test', path, value: JOB_TRACKING_FINALIZER }, { op: 'remove', path }], 'json');
  }

  /**
   * trackJobStatusAndRemoveFinalizers: (1) finished pods' UIDs into uncountedTerminatedPods,
   * written; (2) their finalizers removed; (3) UIDs without finalizers moved to the counters;
   * (4) the Complete or Failed condition once nothing is uncounted or terminating.
   */
  private async trackStatusAndRemoveFinalizers(key: string, sc: SyncContext, needsFlush: boolean, now: number): Promise<void> {
    const { job } = sc;
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods!;
    const indexed = isIndexedJob(job);
    const completions = job.spec?.completions ?? 0;
    const withFinalizer = new Set<string>();
    for (const p of sc.pods) if (hasTrackingFinalizer(p) && !sc.expectedRmFinalizers.has(p.metadata!.uid!)) withFinalizer.add(p.metadata!.uid!);
    if (moveCountedUIDs(status, withFinalizer)) needsFlush = true;

    const toRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    const pods = indexed ? [...sc.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : sc.pods;
    for (const pod of pods) {
      const uid = pod.metadata!.uid!;
      if (!hasTrackingFinalizer(pod) || sc.expectedRmFinalizers.has(uid)) continue;
      const failed = isPodFailed(pod, job);
      const canRemove = !!job.metadata?.deletionTimestamp || !!sc.finishedCondition || pod.status?.phase === 'Succeeded' || failed;
      if (!canRemove) continue;
      toRemoveFinalizer.push(pod);
      const ix = completionIndexOf(pod);
      if (pod.status?.phase === 'Succeeded' && !sc.uncountedFailed.has(uid)) {
        if (indexed) {
          if (ix >= 0 && ix < completions && !sc.prevSucceededIndexes!.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!sc.uncountedSucceeded.has(uid)) {
          (uncounted.succeeded ??= []).push(uid);
          needsFlush = true;
        }
      } else if (failed || (sc.finishedCondition && sc.finishedCondition.type !== 'SuccessCriteriaMet')) {
        // Once the Job is finished, every pod that did not succeed counts as failed.
        if (!sc.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
            (uncounted.failed ??= []).push(uid);
            needsFlush = true;
          }
        }
      }
      if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      const all = new Set([...sc.succeededIndexes!, ...newSucceededIndexes]);
      const text = formatIndexes(all);
      if (text !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = all.size;
      status.completedIndexes = text;
      const failedText = sc.failedIndexes ? formatIndexes(sc.failedIndexes) : undefined;
      if (failedText !== status.failedIndexes) {
        status.failedIndexes = failedText;
        needsFlush = true;
      }
    }
    if (sc.finishedCondition?.type === 'FailureTarget') {
      // The interim condition is written before finalizers go, so the reason survives a restart.
      status.conditions = [...(status.conditions ?? []), sc.finishedCondition];
      needsFlush = true;
      sc.finishedCondition = newCondition('Failed', sc.finishedCondition.reason!, sc.finishedCondition.message!, now);
    }
    if (sc.finishedCondition?.type === 'SuccessCriteriaMet') {
      if (!conditionOf(job, 'SuccessCriteriaMet')) {
        status.conditions = [...(status.conditions ?? []), sc.finishedCondition];
        needsFlush = true;
      }
      sc.finishedCondition = newCondition('Complete', sc.finishedCondition.reason!, sc.finishedCondition.message!, now);
    }

    // (1) Flush the uncounted UIDs (and the interim condition) before touching finalizers.
    let current = job;
    if (needsFlush) {
      current = await this.writeStatus(current);
      this.backoffs.set(key, sc.newBackoff);
      needsFlush = false;
    }
    // (2) Remove finalizers.
    let removeError: unknown;
    if (toRemoveFinalizer.length > 0) {
      const expected = this.finalizerExpectations.get(key) ?? new Set<string>();
      for (const p of toRemoveFinalizer) expected.add(p.metadata!.uid!);
      this.finalizerExpectations.set(key, expected);
      await Promise.all(
        toRemoveFinalizer.map(async (pod) => {
          try {
            await this.removeFinalizer(pod);
            withFinalizer.delete(pod.metadata!.uid!);
          } catch (err) {
            this.finalizerRemovalObserved(key, pod.metadata!.uid!);
            if (isNotFound(err)) withFinalizer.delete(pod.metadata!.uid!);
            else removeError ??= err;
          }
        }),
      );
    }
    // (3) Count what no longer has a finalizer.
    if (moveCountedUIDs(current.status!, withFinalizer)) needsFlush = true;
    if (removeError) {
      if (needsFlush) await this.writeStatus(current);
      throw removeError;
    }
    // (4) The terminal condition, once every pod is counted and none is still stopping.
    const finished = !reachedMax && this.enactFinished(current, sc, now);
    if (finished) needsFlush = true;
    if (needsFlush) {
      current = await this.writeStatus(current);
      if (finished) this.recordFinished(current, sc.finishedCondition!);
    }
  }

  private enactFinished(job: Job, sc: SyncContext, now: number): boolean {
    const cond = sc.finishedCondition;
    if (!cond) return false;
    const uncounted = job.status?.uncountedTerminatedPods;
    if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
    if (sc.terminating > 0) return false;
    const status = job.status!;
    ensureCondition(status, cond.type, 'True', cond.reason ?? '', cond.message ?? '', now);
    if (cond.type === 'Complete') status.completionTime = cond.lastTransitionTime;
    return true;
  }

  private recordFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
    }
  }

  private async writeStatus(job: Job): Promise<Job> {
    const status = job.status!;
    const uncounted = status.uncountedTerminatedPods;
    if (uncounted) {
      if (uncounted.succeeded?.length === 0) delete uncounted.succeeded;
      if (uncounted.failed?.length === 0) delete uncounted.failed;
    }
    const written = await this.jobClient.namespace(job.metadata!.namespace!).updateStatus(job);
    // Later steps of the same sync build on what was written (new resourceVersion), keeping local counters.
    return { ...written, status: { ...written.status, uncountedTerminatedPods: written.status?.uncountedTerminatedPods ?? {} } };
  }
}

/** cleanUncountedPodsWithoutFinalizers: UIDs whose finalizer is gone move to the counters. */
function moveCountedUIDs(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const kind of ['succeeded', 'failed'] as const) {
    const list = uncounted[kind] ?? [];
    const kept = list.filter((uid) => withFinalizer.has(uid));
    if (kept.length !== list.length) {
      changed = true;
      status[kind] = (status[kind] ?? 0) + list.length - kept.length;
      uncounted[kind] = kept;
    }
  }
  return changed;
}

export function newJobControllerFactory(opts: JobControllerOptions = {}): ControllerFactory {
  return (ctx) => new JobController(ctx, opts);
}

export const jobControllerFactory: ControllerFactory = newJobControllerFactory();

