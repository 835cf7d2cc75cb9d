// What a kubelet would report for a pod at a given moment, computed from the pod and a few
// instants (admitted, asked to stop) alone: no containers exist, so the status is a pure
// function of time. The simulated node writes it whenever its `stage` changes and asks to be
// woken at `nextAt`, when it changes next.
//
// The timeline of a pod admitted at A:
//   A                      Pending; containers waiting ContainerCreating (PodInitializing with
//                          init containers); PodReadyToStartContainers False.
//   A + startup            sandbox ready: pod IP, PodReadyToStartContainers True; init containers
//                          run one after another, each for `startup` (sidecars keep running).
//   main start             Running; containers running; each ready after its startup probe's and
//                          readiness probe's initialDelaySeconds (at once without probes).
//   main start + duration  only for pods that end (see runPlan): terminated with the exit code,
//                          then Succeeded / Failed, or a restart after the kubelet's crash-loop
//                          back-off (0 s, 10 s, 20 s … 300 s).
// A pod asked to stop (deletionTimestamp) freezes where it was; its containers exit after the
// stop duration (exit 0, Completed) or are killed when the grace period ends first (137, Error),
// and the pod ends Succeeded or Failed as upstream kubelets (1.27+) report deleted pods.
import { createHash } from 'node:crypto';
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { formatRFC3339 } from '../api/meta/time.js';

/** Exit code of the pod's containers when they end (default 0). */
export const EXIT_CODE_ANNOTATION = 'k8ts.io/simulate-exit-code';
/** How long the pod's containers run before they exit, as a Go duration ("5s", "1m30s"). */
export const DURATION_ANNOTATION = 'k8ts.io/simulate-duration';
/** How long the containers take to exit after SIGTERM (default 0: they exit at once). */
export const STOP_DURATION_ANNOTATION = 'k8ts.io/simulate-stop-duration';

/** How long containers of pods that end (restartPolicy Never or OnFailure) run by default. */
export const DEFAULT_JOB_DURATION_MS = 1000;
/** Sandbox creation plus container creation; also the run time of each init container. */
export const DEFAULT_STARTUP_MS = 100;

const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const KILLED_EXIT_CODE = 137;
const UNKNOWN_STATUS_MESSAGE = 'The container could not be located when the pod was terminated';

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 ? total : undefined;
}

/** The reference containerd reports for an image: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImage(image: string): string {
  let name = image;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasRegistry) name = slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  if (!tag && !digest) tag = ':latest';
  return name + tag + digest;
}

const imageIDs = new Map<string, string>();

/** `docker.io/library/nginx@sha256:…`: the digest is the one given, or a stable hash of the name. */
export function simulatedImageID(image: string): string {
  let id = imageIDs.get(image);
  if (id) return id;
  const normalized = normalizeImage(image);
  const at = normalized.indexOf('@');
  if (at >= 0) {
    id = normalized;
  } else {
    const repo = normalized.slice(0, normalized.lastIndexOf(':'));
    id = `${repo}@sha256:${sha256(normalized)}`;
  }
  if (imageIDs.size > 10_000) imageIDs.clear();
  imageIDs.set(image, id);
  return id;
}

// Many statuses name the same few seconds: format each second once.
const secondTexts = new Map<number, string>();

function timeText(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = secondTexts.get(second);
  if (text === undefined) {
    if (secondTexts.size >= 256) secondTexts.clear();
    text = formatRFC3339(second * 1000);
    secondTexts.set(second, text);
  }
  return text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function containerID(pod: Pod, name: string, attempt: number): string {
  return `simulated://${sha256(`${pod.metadata?.uid ?? ''}/${name}/${attempt}`)}`;
}

/** How the pod's containers run: for how long, with which exit code, and whether they restart. */
export interface RunPlan {
  /** Infinity for containers that run until stopped. */
  durationMs: number;
  exitCode: number;
  /** Whether an ended run is followed by another (after back-off). */
  restarts: boolean;
}

/**
 * Pods with restartPolicy Never or OnFailure end after `jobDurationMs` (or the duration
 * annotation); Always pods run until stopped unless an annotation says they exit, and then
 * crash-loop as they would on a kubelet.
 */
export function runPlan(pod: Pod, jobDurationMs: number): RunPlan {
  const annotations = pod.metadata?.annotations ?? {};
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const exitText = annotations[EXIT_CODE_ANNOTATION];
  const parsedExit = exitText === undefined ? 0 : Number.parseInt(exitText, 10);
  const exitCode = Number.isFinite(parsedExit) ? parsedExit : 0;
  const explicit = parseDuration(annotations[DURATION_ANNOTATION]);
  const ends = policy !== 'Always' || exitText !== undefined || explicit !== undefined;
  return {
    durationMs: ends ? (explicit ?? jobDurationMs) : Infinity,
    exitCode,
    restarts: policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0),
  };
}

/** The kubelet's crash-loop back-off after run `k` (from 0): the first restart is immediate. */
export function restartBackoffMs(k: number): number {
  return k === 0 ? 0 : Math.min(BACKOFF_INITIAL_MS * 2 ** (k - 1), BACKOFF_MAX_MS);
}

/** Where the runs of the main containers are at time `t` (≥ their first start). */
export interface RunPosition {
  /** Run number: the restart count. */
  k: number;
  start: number;
  end: number;
  /** The run ended for good (no restart follows). */
  final: boolean;
  /** Set while waiting in back-off after the run ended: when the next run starts. */
  backoffUntil?: number;
}

export function locateRun(plan: RunPlan, firstStart: number, t: number): RunPosition {
  if (plan.durationMs === Infinity) return { k: 0, start: firstStart, end: Infinity, final: false };
  if (!plan.restarts) return { k: 0, start: firstStart, end: firstStart + plan.durationMs, final: true };
  let k = 0;
  let start = firstStart;
  while (start + plan.durationMs + restartBackoffMs(k) <= t) {
    start += plan.durationMs + restartBackoffMs(k);
    k++;
  }
  const end = start + plan.durationMs;
  return { k, start, end, final: false, backoffUntil: t >= end ? end + restartBackoffMs(k) : undefined };
}

export interface PodSimulationInput {
  pod: Pod;
  hostIP: string;
  /** The pod's address once its sandbox exists (the host IP for hostNetwork pods). */
  podIP: string;
  /** When the kubelet admitted the pod: its startTime. */
  admittedAt: number;
  /** When the kubelet saw the pod's deletionTimestamp. */
  stoppingAt?: number;
  startupMs: number;
  jobDurationMs: number;
}

export interface SimulatedPodState {
  status: PodStatus;
  /** Everything the status says apart from times: a write is due when it changes. */
  stage: string;
  /** When the status changes next, if it will. */
  nextAt?: number;
  /** No container runs nor will again: the pod IP can go back to the pool. */
  finished: boolean;
  /** The pod was asked to stop and has stopped: the kubelet may delete it. */
  deletable: boolean;
  /** For events: init containers started so far, main run number (-1 before), back-off, stopping. */
  progress: { initStarted: number; run: number; backingOff: boolean; stopping: boolean };
}

function condition(type: string, ok: boolean, at: number, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False', lastTransitionTime: timeText(at) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** Restartable init containers (sidecars) start in order and keep running beside the main ones. */
function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function startedDelayMs(c: Container): number {
  return (c.startupProbe?.initialDelaySeconds ?? 0) * 1000;
}

function readyDelayMs(c: Container): number {
  return Math.max(startedDelayMs(c), (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000);
}

/** Conditions the kubelet writes (upstream's PodConditionsByKubelet plus PodReadyToStartContainers). */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

interface Built {
  status: ContainerStatus;
  ready: boolean;
  /** Terminated with this exit code (undefined while not terminated). */
  exitCode?: number;
}

/** Builds statuses and collects the next moment anything changes. */
class Timeline {
  nextAt = Infinity;
  readonly stage: string[] = [];

  constructor(
    readonly input: PodSimulationInput,
    /** The moment the containers are looked at (frozen at the stop request). */
    readonly t: number,
    readonly collectNext: boolean,
  ) {}

  after(at: number): void {
    if (this.collectNext && at > this.t && at < this.nextAt) this.nextAt = at;
  }

  waiting(c: Container, reason: string, message?: string): Built {
    const state: ContainerState = { waiting: message ? { reason, message } : { reason } };
    this.stage.push(`${c.name}=W${reason}`);
    return { status: this.base(c, state, false, false, 0, false), ready: false };
  }

  running(c: Container, start: number, attempt: number, lastState: ContainerState): Built {
    const startedAt = start + startedDelayMs(c);
    const readyAt = start + readyDelayMs(c);
    this.after(startedAt);
    this.after(readyAt);
    const started = this.t >= startedAt;
    const ready = this.t >= readyAt;
    this.stage.push(`${c.name}=R${attempt}${started ? 1 : 0}${ready ? 1 : 0}`);
    const state: ContainerState = { running: { startedAt: timeText(start) } };
    return { status: this.base(c, state, ready, started, attempt, true, lastState), ready };
  }

  terminated(c: Container, attempt: number, exitCode: number, start: number, end: number): Built {
    this.stage.push(`${c.name}=T${attempt}:${exitCode}`);
    const state = this.terminatedState(c, attempt, exitCode, start, end);
    return { status: this.base(c, state, false, false, attempt, true), ready: false, exitCode };
  }

  terminatedState(c: Container, attempt: number, exitCode: number, start: number, end: number): ContainerState {
    return {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: timeText(start),
        finishedAt: timeText(end),
        containerID: containerID(this.input.pod, c.name, attempt),
      },
    };
  }

  private base(c: Container, state: ContainerState, ready: boolean, started: boolean, attempt: number, created: boolean, lastState: ContainerState = {}): ContainerStatus {
    const s: ContainerStatus = {
      name: c.name,
      state,
      lastState,
      ready,
      restartCount: attempt,
      image: created ? normalizeImage(c.image ?? '') : (c.image ?? ''),
      imageID: created ? simulatedImageID(c.image ?? '') : '',
      started,
    };
    if (created) s.containerID = containerID(this.input.pod, c.name, attempt);
    const mounts = c.volumeMounts;
    if (mounts?.length) {
      s.volumeMounts = mounts.map((m) => (m.readOnly ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: 'Disabled' } : { name: m.name, mountPath: m.mountPath }));
    }
    return s;
  }
}

/** The kubelet's view of the pod at `now`. */
export function simulatePod(input: PodSimulationInput, now: number): SimulatedPodState {
  const { pod, admittedAt, stoppingAt, startupMs } = input;
  const spec = pod.spec ?? { containers: [] };
  const inits = spec.initContainers ?? [];
  const containers = spec.containers ?? [];
  const stopping = stoppingAt !== undefined;
  const t = stopping ? Math.min(now, stoppingAt) : now;
  const tl = new Timeline(input, t, !stopping);
  const sandboxAt = admittedAt + startupMs;
  tl.after(sandboxAt);

  // Init containers, in order.
  const initStatuses: Built[] = [];
  let cursor = sandboxAt;
  let initStarted = 0;
  const incompleteInits: string[] = [];
  let sidecarsReadyAt = -Infinity;
  for (const c of inits) {
    const start = cursor;
    tl.after(start);
    if (t < start || t < sandboxAt) {
      initStatuses.push(tl.waiting(c, 'PodInitializing'));
      incompleteInits.push(c.name);
      cursor = Infinity;
      continue;
    }
    initStarted++;
    if (isSidecar(c)) {
      const b = tl.running(c, start, 0, {});
      initStatuses.push(b);
      if (!b.status.started) incompleteInits.push(c.name);
      sidecarsReadyAt = Math.max(sidecarsReadyAt, start + readyDelayMs(c));
      cursor = start + startedDelayMs(c);
    } else {
      const end = start + startupMs;
      tl.after(end);
      if (t < end) {
        initStatuses.push(tl.running(c, start, 0, {}));
        incompleteInits.push(c.name);
        cursor = Infinity;
      } else {
        initStatuses.push(tl.terminated(c, 0, 0, start, end));
        cursor = end;
      }
    }
  }
  const mainAt = inits.length === 0 ? sandboxAt : cursor;
  tl.after(mainAt);

  // Main containers share one run timeline.
  const plan = runPlan(pod, input.jobDurationMs);
  let statuses: Built[];
  let phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' = 'Pending';
  let run = -1;
  let backingOff = false;
  let finishedAt = Infinity;
  /** When the current ready stretch began, or when the last one ended. */
  let readySince = -Infinity;
  let notReadySince = admittedAt;
  if (t < mainAt) {
    const reason = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
    statuses = containers.map((c) => tl.waiting(c, reason));
  } else {
    const pos = locateRun(plan, mainAt, t);
    run = pos.k;
    tl.after(pos.end);
    if (pos.backoffUntil !== undefined) tl.after(pos.backoffUntil);
    const readyAt = Math.max(sidecarsReadyAt, pos.start + Math.max(0, ...containers.map(readyDelayMs)));
    if (t < pos.end) {
      // After a restart, lastState is the previous run: it ended one back-off before this one began.
      const previousEnd = pos.start - restartBackoffMs(pos.k - 1);
      statuses = containers.map((c) =>
        tl.running(c, pos.start, pos.k, pos.k > 0 ? tl.terminatedState(c, pos.k - 1, plan.exitCode, previousEnd - plan.durationMs, previousEnd) : {}),
      );
      phase = 'Running';
      if (t >= readyAt) readySince = readyAt;
      else notReadySince = pos.k > 0 ? previousEnd : admittedAt;
    } else if (pos.final) {
      statuses = containers.map((c) => tl.terminated(c, 0, plan.exitCode, pos.start, pos.end));
      phase = plan.exitCode === 0 ? 'Succeeded' : 'Failed';
      finishedAt = pos.end;
      notReadySince = pos.end;
    } else {
      backingOff = true;
      const message = (c: Container) =>
        `back-off ${Math.round(restartBackoffMs(pos.k) / 1000)}s restarting failed container=${c.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid ?? ''})`;
      statuses = containers.map((c) => {
        const b = tl.waiting(c, 'CrashLoopBackOff', message(c));
        b.status.restartCount = pos.k;
        b.status.image = normalizeImage(c.image ?? '');
        b.status.imageID = simulatedImageID(c.image ?? '');
        b.status.containerID = containerID(pod, c.name, pos.k);
        b.status.lastState = tl.terminatedState(c, pos.k, plan.exitCode, pos.start, pos.end);
        return b;
      });
      tl.stage.push(`k${pos.k}`);
      phase = 'Running';
      notReadySince = pos.end;
    }
  }

  // A stop request: once the stop duration (or the grace period) is over, everything has exited.
  let deletable = false;
  if (stopping) {
    const graceMs = Math.max(0, (pod.metadata?.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30) * 1000);
    const wantedMs = parseDuration(pod.metadata?.annotations?.[STOP_DURATION_ANNOTATION]) ?? 0;
    const killed = wantedMs >= graceMs && graceMs > 0;
    const stoppedAt = stoppingAt + Math.min(wantedMs, graceMs);
    if (now < stoppedAt) {
      tl.nextAt = stoppedAt;
    } else if (phase !== 'Succeeded' && phase !== 'Failed') {
      const stop = (list: Built[], specs: Container[]): Built[] =>
        list.map((b, i) => {
          const c = specs[i];
          if (b.exitCode !== undefined) return b;
          const running = b.status.state?.running;
          if (running) {
            const exitCode = killed ? KILLED_EXIT_CODE : 0;
            tl.stage.push(`${c.name}=S${exitCode}`);
            const state = tl.terminatedState(c, b.status.restartCount, exitCode, Date.parse(running.startedAt!), stoppedAt);
            return { status: { ...b.status, state, ready: false, started: false }, ready: false, exitCode };
          }
          tl.stage.push(`${c.name}=U`);
          const state: ContainerState = { terminated: { exitCode: KILLED_EXIT_CODE, reason: 'ContainerStatusUnknown', message: UNKNOWN_STATUS_MESSAGE } };
          return { status: { ...b.status, state, ready: false, started: false }, ready: false, exitCode: KILLED_EXIT_CODE };
        });
      initStatuses.splice(0, initStatuses.length, ...stop(initStatuses, inits));
      statuses = stop(statuses, containers);
      phase = statuses.every((b) => b.exitCode === 0) ? 'Succeeded' : 'Failed';
      finishedAt = stoppedAt;
      notReadySince = stoppedAt;
      readySince = -Infinity;
      deletable = true;
    } else {
      deletable = true;
    }
  }
  const finished = phase === 'Succeeded' || phase === 'Failed';

  // Conditions, in the kubelet's order after any it does not own.
  const conditions: PodCondition[] = (pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const sandboxReady = t >= sandboxAt && !finished;
  conditions.push(condition('PodReadyToStartContainers', sandboxReady, finished ? finishedAt : sandboxReady ? sandboxAt : admittedAt));
  const initialized = incompleteInits.length === 0;
  conditions.push(
    initialized
      ? condition('Initialized', true, inits.length === 0 ? admittedAt : mainAt)
      : condition('Initialized', false, admittedAt, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInits.join(' ')}]`),
  );
  const unready = [...inits.filter((c, i) => isSidecar(c) && !initStatuses[i].ready), ...containers.filter((_, i) => !statuses[i].ready)].map((c) => c.name);
  const containersReady = !finished && unready.length === 0 && readySince > -Infinity;
  const since = containersReady ? readySince : notReadySince;
  const notReadyReason = phase === 'Succeeded' ? 'PodCompleted' : phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady';
  const notReadyMessage = finished ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const gateProblems = readinessGateProblems(pod);
  const podReady = containersReady && gateProblems.length === 0;
  if (podReady) conditions.push(condition('Ready', true, since));
  else if (containersReady) conditions.push(condition('Ready', false, since, 'ReadinessGatesNotReady', gateProblems.join(', ')));
  else conditions.push(condition('Ready', false, since, notReadyReason, notReadyMessage));
  conditions.push(containersReady ? condition('ContainersReady', true, since) : condition('ContainersReady', false, since, notReadyReason, notReadyMessage));
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True');
  conditions.push(condition('PodScheduled', true, scheduled?.lastTransitionTime ? Date.parse(scheduled.lastTransitionTime) : admittedAt));

  const status: PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: timeText(admittedAt),
    containerStatuses: statuses.map((b) => b.status),
  };
  if (t >= sandboxAt && input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (inits.length > 0) status.initContainerStatuses = initStatuses.map((b) => b.status);
  tl.stage.push(phase, sandboxReady ? 'S' : 's', podReady ? 'R' : containersReady ? 'G' : 'r', initialized ? 'I' : 'i');
  return {
    status,
    stage: tl.stage.join(' '),
    nextAt: tl.nextAt === Infinity || (finished && !stopping) ? undefined : tl.nextAt,
    finished,
    deletable,
    progress: { initStarted, run, backingOff, stopping },
  };
}

/** Why readiness gates hold a pod back (GeneratePodReadyCondition's messages), if they do. */
function readinessGateProblems(pod: Pod): string[] {
  const problems: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = pod.status?.conditions?.find((x) => x.type === gate.conditionType);
    if (!c) problems.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') problems.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return problems;
}

/** The status of a pod the node refused (not enough room): Failed at once, as kubelet admission does. */
export function rejectedPodStatus(reason: string, message: string, at: number): PodStatus {
  return { phase: 'Failed', reason, message: `Pod was rejected: ${message}`, startTime: timeText(at) };
}

/** What `kubectl logs` shows for a container of a simulated node. */
export function simulatedLogs(pod: Pod, container: string): string {
  return `k8ts: container "${container}" of pod "${pod.metadata?.namespace}/${pod.metadata?.name}" runs on simulated node "${pod.spec?.nodeName ?? ''}", which runs no processes and keeps no logs\n`;
}
