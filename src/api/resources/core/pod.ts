// core/v1 Pod: upstream's pod strategy (status on create, QoS class, scheduling-gated
// condition, matchLabelKeys), validation of creates, updates and status writes, graceful
// deletion, the `kubectl get pods` table and the pod field selectors. Also core/v1 Binding,
// served by the pod storage (pods/binding and the legacy `bindings` resource).
import type { ContainerStatus, Pod, PodAffinityTerm, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition, ValidationContext } from '../../registry.js';
import { define, kindSchema, objectMeta, ref } from '../../schema/build.js';
import { fieldErrors, FieldPath, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG, isQualifiedName, isValidIP, nameIsDNSSubdomain, parseIPSloppy } from '../../meta/validation.js';
import { Quantity } from '../../meta/quantity.js';
import { humanDuration } from '../../meta/time.js';
import { table } from '../table.js';
import {
  definitions as podSpecDefinitions,
  defaultPodSpec,
  canonicalQuantity,
  parseQ,
  validatePodSpec,
  validatePodSpecificAnnotations,
  validatePodSpecUpdate,
} from './podspec.js';

const definitions: Definitions = new Map(podSpecDefinitions);
define(definitions, {
  'io.k8s.api.core.v1.Pod': kindSchema(
    { group: '', version: 'v1', kind: 'Pod' },
    {
      metadata: objectMeta({ default: {}, description: 'Standard object metadata.' }),
      spec: ref('io.k8s.api.core.v1.PodSpec', { default: {}, description: 'The desired behaviour of the pod.' }),
      status: ref('io.k8s.api.core.v1.PodStatus', { default: {}, description: 'The most recently observed state of the pod; written by the system.' }),
    },
    { proto: { metadata: 1, spec: 2, status: 3 }, description: 'Pod is a group of containers scheduled together onto one node.' },
  ),
  'io.k8s.api.core.v1.Binding': kindSchema(
    { group: '', version: 'v1', kind: 'Binding' },
    {
      metadata: objectMeta({ default: {}, description: 'Standard object metadata.' }),
      target: ref('io.k8s.api.core.v1.ObjectReference', { default: {}, description: 'The object to bind to.' }),
    },
    { proto: { metadata: 1, target: 2 }, required: ['target'], description: 'Binding ties an object to another; a pod to a node, for example.' },
  ),
});

/** Validation context with the subresource being written (status, binding …), when the apiserver passes it. */
export type PodValidationContext = ValidationContext & { subresource?: string };

export const POD_REASON_SCHEDULING_GATED = 'SchedulingGated';
/** The status reason the node lifecycle controller gives pods of unreachable nodes. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';
const SYSTEM_POD_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

// ---------------------------------------------------------------- defaults and strategy

/** SetDefaults_Pod on top of the pod spec defaults: requests from limits, service links, host-network ports. */
function defaultPod(pod: Pod): void {
  const spec = (pod.spec ??= { containers: [] });
  defaultPodSpec(spec);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    const requests = (c.resources!.requests ??= {});
    for (const k in limits) if (!(k in requests)) requests[k] = canonicalQuantity(limits[k]);
  }
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

/** The QoS class (qos.ComputePodQOS): Guaranteed, Burstable or BestEffort, from cpu and memory of all containers. */
export function podQOSClass(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.has(name) ? into.get(name)!.add(q) : q);
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    const found = new Set<string>();
    for (const [list, into] of [
      [c.resources?.requests, requests],
      [c.resources?.limits, limits],
    ] as const) {
      for (const name in list ?? {}) {
        if (name !== 'cpu' && name !== 'memory') continue;
        const q = parseQ(list![name]);
        if (!q || q.sign() <= 0) continue;
        add(into, name, q);
        if (into === limits) found.add(name);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || !lim.equal(req)) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** matchLabelKeys / mismatchLabelKeys become In / NotIn requirements on the pod's own label values. */
function applyMatchLabelKeys(term: PodAffinityTerm | undefined, labels: Record<string, string>): void {
  if (!term?.labelSelector || (!term.matchLabelKeys?.length && !term.mismatchLabelKeys?.length)) return;
  const exprs = (term.labelSelector.matchExpressions ??= []);
  for (const key of term.matchLabelKeys ?? []) if (key in labels) exprs.push({ key, operator: 'In', values: [labels[key]] });
  for (const key of term.mismatchLabelKeys ?? []) if (key in labels) exprs.push({ key, operator: 'NotIn', values: [labels[key]] });
}

function mutatePodAffinity(pod: Pod): void {
  const labels = pod.metadata?.labels ?? {};
  for (const a of [pod.spec?.affinity?.podAffinity, pod.spec?.affinity?.podAntiAffinity]) {
    if (!a) continue;
    for (const t of a.requiredDuringSchedulingIgnoredDuringExecution ?? []) applyMatchLabelKeys(t, labels);
    for (const w of a.preferredDuringSchedulingIgnoredDuringExecution ?? []) applyMatchLabelKeys(w.podAffinityTerm, labels);
  }
}

/** CheckGracefulDelete: unscheduled or finished pods go at once; a negative period counts as 1. */
function deletionGracePeriod(pod: Pod, requested: number | undefined): number {
  let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') period = 0;
  return period < 0 ? 1 : period;
}

// ---------------------------------------------------------------- validation

function validatePod(pod: Pod, ctx: ValidationContext): FieldError[] {
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  const specPath = new FieldPath('spec');
  const errs = validatePodSpecificAnnotations(pod.metadata?.annotations, spec, new FieldPath('metadata').child('annotations'));
  errs.push(...validatePodSpec(spec, specPath, { resourceIsPod: true, podMeta: pod.metadata }));
  if (!spec.serviceAccountName) {
    (spec.volumes ?? []).forEach((v, i) => {
      (v.projected?.sources ?? []).forEach((s, j) => {
        if (s.serviceAccountToken) {
          const p = specPath.child('volumes').index(i).child('projected').child('sources').index(j).child('serviceAccountToken');
          errs.push(fieldErrors.forbidden(p.path, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const list of ['containers', 'initContainers'] as const) {
    (spec[list] ?? []).forEach((c, i) => {
      const image = c.image ?? '';
      if (image.trim() !== image) errs.push(fieldErrors.invalid(specPath.child(list).index(i).child('image').path, image, 'must not have leading or trailing whitespace'));
    });
  }
  if (!ctx.old) {
    if (spec.ephemeralContainers?.length) errs.push(fieldErrors.forbidden(specPath.child('ephemeralContainers').path, 'cannot be set on create'));
    if (spec.nodeName && spec.schedulingGates?.length) {
      errs.push(fieldErrors.forbidden(specPath.child('nodeName').path, 'cannot be set until all schedulingGates have been cleared'));
    }
  }
  return errs;
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Mirror-pod and AppArmor annotations may not be added, changed or removed. */
function validateAnnotationUpdates(now: Record<string, string>, before: Record<string, string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const guarded = (k: string) => k === MIRROR_POD_ANNOTATION || k.startsWith(APPARMOR_ANNOTATION_PREFIX);
  const what = (k: string) => (k === MIRROR_POD_ANNOTATION ? 'mirror pod annotation' : 'AppArmor annotations');
  for (const k in before) {
    if (now[k] === before[k] || !guarded(k)) continue;
    errs.push(fieldErrors.forbidden(path.key(k).path, `may not remove or update ${what(k)}`));
  }
  for (const k in now) if (!(k in before) && guarded(k)) errs.push(fieldErrors.forbidden(path.key(k).path, `may not add ${what(k)}`));
  return errs;
}

function isTerminated(s: ContainerStatus): boolean {
  return !!s.state?.terminated;
}

/** Containers that may not restart may not leave the terminated state. */
function validateStateTransitions(now: ContainerStatus[], before: ContainerStatus[], path: FieldPath, restartPolicy: string, restartable: (name: string) => boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (restartPolicy === 'Always') return errs;
  before.forEach((old, i) => {
    if (!isTerminated(old)) return;
    if (old.state!.terminated!.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable(old.name)) return;
    for (const s of now) {
      if (s.name === old.name && !isTerminated(s)) errs.push(fieldErrors.forbidden(path.index(i).child('state').path, 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

/** At most one IP per family, no duplicates. */
function validateIPList(ips: { ip?: string }[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  ips.forEach((ip, i) => errs.push(...isValidIP(path.index(i), ip.ip ?? '')));
  if (ips.length > 1) {
    const v4 = ips.filter((ip) => (ip.ip ?? '').includes('.') && !(ip.ip ?? '').includes(':')).length;
    const parsed = ips.every((ip) => parseIPSloppy(ip.ip ?? ''));
    if (!parsed || ips.length > 2 || v4 !== 1) errs.push(fieldErrors.invalid(path.path, ips, 'may specify no more than one IP for each IP family'));
    const seen = new Set<string>();
    ips.forEach((ip, i) => {
      if (seen.has(ip.ip ?? '')) errs.push(fieldErrors.duplicate(path.index(i).path, ip));
      seen.add(ip.ip ?? '');
    });
  }
  return errs;
}

/** ValidatePodStatusUpdate's rules on the status itself. */
function validatePodStatus(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const status = pod.status ?? {};
  const oldStatus = old.status ?? {};
  // Upstream reports custom condition types under metadata.conditions.
  (status.conditions ?? []).forEach((c, i) => {
    if (SYSTEM_POD_CONDITIONS.has(c.type)) return;
    for (const msg of isQualifiedName(c.type ?? '')) errs.push(fieldErrors.invalid(`metadata.conditions[${i}].Type`, c.type ?? '', msg));
  });
  const statusPath = new FieldPath('status');
  const nominated = status.nominatedNodeName ?? '';
  if (nominated && nominated !== (oldStatus.nominatedNodeName ?? '')) {
    for (const msg of nameIsDNSSubdomain(nominated, false)) errs.push(fieldErrors.invalid(statusPath.child('nominatedNodeName').path, nominated, msg));
  }
  if ((status.qosClass ?? '') !== (oldStatus.qosClass ?? '')) errs.push(fieldErrors.invalid(statusPath.child('qosClass').path, status.qosClass ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  const restartPolicy = old.spec?.restartPolicy ?? 'Always';
  const sidecars = new Set((old.spec?.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always').map((c) => c.name));
  errs.push(...validateStateTransitions(status.containerStatuses ?? [], oldStatus.containerStatuses ?? [], statusPath.child('containerStatuses'), restartPolicy, () => false));
  errs.push(...validateStateTransitions(status.initContainerStatuses ?? [], oldStatus.initContainerStatuses ?? [], statusPath.child('initContainerStatuses'), restartPolicy, (n) => sidecars.has(n)));
  errs.push(...validateStateTransitions(status.ephemeralContainerStatuses ?? [], oldStatus.ephemeralContainerStatuses ?? [], statusPath.child('ephemeralContainerStatuses'), 'Never', () => false));
  errs.push(...validateIPList(status.podIPs ?? [], statusPath.child('podIPs')));
  const hostIPs = status.hostIPs ?? [];
  if (hostIPs.length) {
    if ((status.hostIP ?? '') !== (hostIPs[0].ip ?? '')) errs.push(fieldErrors.invalid(statusPath.child('hostIPs').index(0).child('ip').path, hostIPs[0].ip ?? '', 'must be equal to `hostIP`'));
    errs.push(...validateIPList(hostIPs, statusPath.child('hostIPs')));
  }
  return errs;
}

function validatePodUpdate(pod: Pod, old: Pod, ctx?: PodValidationContext): FieldError[] {
  const errs = validatePodStatus(pod, old);
  // The binding subresource sets spec.nodeName, and /status keeps the stored spec: neither runs the spec rules.
  if (ctx?.subresource === 'binding' || ctx?.subresource === 'status') return errs;
  errs.push(...validateAnnotationUpdates(pod.metadata?.annotations ?? {}, old.metadata?.annotations ?? {}, new FieldPath('metadata').child('annotations')));
  errs.push(...validatePodSpecUpdate(pod.spec ?? ({} as PodSpec), old.spec ?? ({} as PodSpec)));
  return errs;
}

// ---------------------------------------------------------------- table

function lastTerminated(s: ContainerStatus): number {
  const at = s.lastState?.terminated?.finishedAt;
  return at ? Date.parse(at) || 0 : 0;
}

function isPodReadyConditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** printPod's READY, STATUS and RESTARTS cells. */
export function podStatusCells(pod: Pod, now: number): [ready: string, status: string, restarts: string] {
  const spec = pod.spec ?? ({ containers: [] } as PodSpec);
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason: string = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === POD_REASON_SCHEDULING_GATED)) reason = POD_REASON_SCHEDULING_GATED;

  const sidecars = new Set<string>();
  for (const c of spec.initContainers ?? []) {
    if ((c as { restartPolicy?: string }).restartPolicy === 'Always') {
      sidecars.add(c.name);
      totalContainers++;
    }
  }
  const inits = spec.initContainers ?? [];
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, lastTerminated(c));
    if (sidecars.has(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, lastTerminated(c));
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }

  if (!initializing || isPodReadyConditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminated(c));
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = isPodReadyConditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = !!pod.metadata?.deletionTimestamp;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return [`${readyContainers}/${totalContainers}`, reason, restartsCell];
}

function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  let ready = 0;
  for (const g of gates) if ((pod.status?.conditions ?? []).find((c) => c.type === g.conditionType)?.status === 'True') ready++;
  return `${ready}/${gates.length}`;
}

function firstPodIP(pod: Pod): string {
  return pod.status?.podIPs?.[0]?.ip ?? '';
}

// ---------------------------------------------------------------- definitions

export const pods: ResourceDefinition<Pod> = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  schemaName: 'io.k8s.api.core.v1.Pod',
  definitions,
  subresources: { status: true, others: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'] },
  returnDeletedObject: true,
  deletionGracePeriod,
  defaults: defaultPod,
  prepareForCreate(pod) {
    const status: PodStatus = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
    (pod as { status?: PodStatus }).status = status;
    if (pod.spec?.schedulingGates?.length) {
      status.conditions = [
        { type: 'PodScheduled', status: 'False', reason: POD_REASON_SCHEDULING_GATED, message: 'Scheduling is blocked due to non-empty scheduling gates' },
      ];
    }
    mutatePodAffinity(pod);
  },
  prepareForStatusUpdate(pod, old) {
    // The QoS class is fixed at creation; old kubelets dropped it when rejecting a pod.
    if (pod.status && !pod.status.qosClass && old.status?.qosClass) pod.status.qosClass = old.status.qosClass;
  },
  validate: validatePod,
  validateUpdate: validatePodUpdate,
  table: table<Pod>(
    [
      { name: 'Ready', type: 'string', description: 'Ready containers of the pod, out of all.' },
      { name: 'Status', type: 'string', description: 'The aggregate status of the containers in the pod.' },
      { name: 'Restarts', type: 'string', description: 'How many times the containers restarted, and when the last one did.' },
    ],
    (pod, now) => podStatusCells(pod, now),
    {
      columns: [
        { name: 'IP', type: 'string', description: 'The primary IP of the pod.' },
        { name: 'Node', type: 'string', description: 'The node the pod is bound to.' },
        { name: 'Nominated Node', type: 'string', description: 'The node the pod may run on once preemption completes.' },
        { name: 'Readiness Gates', type: 'string', description: 'Readiness gates that are true, out of all.' },
      ],
      cells: (pod) => [firstPodIP(pod) || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', readinessGatesCell(pod)],
    },
  ),
  fieldSelectors: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork === true),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': firstPodIP,
    // Accepted as a label by upstream's conversion, but not a selectable field: it matches as empty.
    'status.podIPs': () => '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
};

/** core/v1 Binding through `POST /api/v1/namespaces/{ns}/bindings`: create only, handled by the pod storage. */
export const bindings: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  namespaced: true,
  verbs: ['create'],
  schemaName: 'io.k8s.api.core.v1.Binding',
  definitions,
};

