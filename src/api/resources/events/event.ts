// events.k8s.io/v1 Event: the same stored objects as core/v1 events, with newer field names
// (regarding, note, reportingController …) and stricter rules for writes through this group.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { AlternateVersion, KubeObject } from '../../registry.js';
import { define, int32, kindSchema, object, ref, str, time } from '../../schema/build.js';
import { fieldErrors, type FieldError } from '../../meta/status.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../meta/validation.js';
import { deepEqual } from '../../patch/json.js';

const V1 = 'io.k8s.api.events.v1';
const CORE_V1 = 'io.k8s.api.core.v1';
const microTime = (extra: { description: string }) => ref('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime', extra);

export const eventsV1Definitions: Definitions = new Map();
define(eventsV1Definitions, {
  [`${V1}.Event`]: kindSchema(
    { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
    {
      eventTime: microTime({ description: 'When the event was first observed; required.' }),
      series: ref(`${V1}.EventSeries`, { description: 'The series this event represents, when it keeps recurring.' }),
      reportingController: str({ description: 'The controller that emitted the event, such as kubernetes.io/kubelet.' }),
      reportingInstance: str({ description: 'The instance of the controller, such as kubelet-node1; at most 128 characters.' }),
      action: str({ description: 'What was done or failed to be done; at most 128 characters.' }),
      reason: str({ description: 'Why the action was taken; at most 128 characters.' }),
      regarding: ref(`${CORE_V1}.ObjectReference`, { default: {}, description: 'The object the event is about.' }),
      related: ref(`${CORE_V1}.ObjectReference`, { description: 'A secondary object involved in the action.' }),
      note: str({ description: 'A human-readable description; at most 1kB.' }),
      type: str({ description: 'Normal or Warning.' }),
      deprecatedSource: ref(`${CORE_V1}.EventSource`, { default: {}, description: 'The core/v1 source field.' }),
      deprecatedFirstTimestamp: time({ description: 'The core/v1 firstTimestamp field.' }),
      deprecatedLastTimestamp: time({ description: 'The core/v1 lastTimestamp field.' }),
      deprecatedCount: int32({ description: 'The core/v1 count field.' }),
    },
    {
      proto: {
        metadata: 1,
        eventTime: 2,
        series: 3,
        reportingController: 4,
        reportingInstance: 5,
        action: 6,
        reason: 7,
        regarding: 8,
        related: 9,
        note: 10,
        type: 11,
        deprecatedSource: 12,
        deprecatedFirstTimestamp: 13,
        deprecatedLastTimestamp: 14,
        deprecatedCount: 15,
      },
      required: ['eventTime'],
      description: 'Event is a report of something that happened to an object, kept for a limited time.',
    },
  ),
  [`${V1}.EventSeries`]: object(
    {
      count: int32({ default: 0, description: 'How many times the event occurred up to the last heartbeat.' }),
      lastObservedTime: microTime({ description: 'When the event was last seen before the last heartbeat.' }),
    },
    { proto: { count: 1, lastObservedTime: 2 }, required: ['count', 'lastObservedTime'], description: 'A recurring event, updated on heartbeats.' },
  ),
});

/** Copies the set values of `from` into `to`, renamed by `[toName, fromName]` pairs. */
function copyFields(to: Record<string, unknown>, from: Record<string, unknown>, names: readonly (readonly [string, string])[]): void {
  for (const [toName, fromName] of names) {
    const v = from[fromName];
    if (v !== undefined && v !== null) to[toName] = v;
  }
}

/** Fields with the same name and meaning in both versions. */
const SAME_NAMES = [
  ['metadata', 'metadata'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['related', 'related'],
  ['type', 'type'],
] as const;

/** `[core/v1 name, events.k8s.io/v1 name]` of the renamed scalar fields. */
const RENAMED = [
  ['reportingComponent', 'reportingController'],
  ['message', 'note'],
  ['count', 'deprecatedCount'],
] as const;
const swapped = RENAMED.map(([core, v1]) => [v1, core] as const);

/** events.k8s.io/v1 → core/v1, the stored form. */
export function toCoreEvent(e: KubeObject): KubeObject {
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Event' };
  copyFields(out, e, SAME_NAMES);
  copyFields(out, e, RENAMED);
  copyFields(out, e, [
    ['eventTime', 'eventTime'],
    ['firstTimestamp', 'deprecatedFirstTimestamp'],
    ['lastTimestamp', 'deprecatedLastTimestamp'],
  ]);
  out.involvedObject = e.regarding ?? {};
  if (e.deprecatedSource && Object.keys(e.deprecatedSource).length > 0) out.source = e.deprecatedSource;
  if (e.series) {
    const series: Record<string, unknown> = {};
    copyFields(series, e.series, [
      ['count', 'count'],
      ['lastObservedTime', 'lastObservedTime'],
    ]);
    out.series = series;
  }
  return out as KubeObject;
}

/** core/v1 → events.k8s.io/v1; unset timestamps read as null and unset structs as {}, as upstream serializes them. */
export function fromCoreEvent(e: KubeObject): KubeObject {
  const core = e as CoreEvent;
  const out: Record<string, unknown> = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };
  copyFields(out, e, SAME_NAMES);
  copyFields(out, e, swapped);
  out.eventTime = core.eventTime ?? null;
  if (core.series) out.series = { count: core.series.count ?? 0, lastObservedTime: core.series.lastObservedTime ?? null };
  out.regarding = core.involvedObject ?? {};
  out.deprecatedSource = core.source ?? {};
  out.deprecatedFirstTimestamp = core.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = core.lastTimestamp ?? null;
  // Go omits a zero count.
  if (out.deprecatedCount === 0) delete out.deprecatedCount;
  return out as KubeObject;
}

/** events.k8s.io/v1 field selectors → the core/v1 fields they select on. */
export const EVENTS_V1_FIELD_LABELS: Readonly<Record<string, string>> = {
  'metadata.name': 'metadata.name',
  'metadata.namespace': 'metadata.namespace',
  reason: 'reason',
  type: 'type',
  reportingController: 'reportingComponent',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
};

function validateSeries(e: CoreEvent): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(fieldErrors.required('series.lastObservedTime', ''));
  return errs;
}

/**
 * The rules a create through events.k8s.io/v1 adds to core/v1's (ValidateEventCreate's strict part),
 * on the stored (core/v1) form: eventTime required, the deprecated fields left unset.
 */
export function validateEventsV1Create(e: KubeObject): FieldError[] {
  const core = e as CoreEvent;
  const errs = validateSeries(core);
  if (!core.eventTime) errs.push(fieldErrors.required('eventTime', ''));
  if (core.type !== 'Normal' && core.type !== 'Warning') errs.push(fieldErrors.invalid('type', '', `has invalid value: ${core.type ?? ''}`));
  if (core.firstTimestamp) errs.push(fieldErrors.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (core.lastTimestamp) errs.push(fieldErrors.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (core.count) errs.push(fieldErrors.invalid('deprecatedCount', '', 'needs to be unset'));
  if (core.source?.component || core.source?.host) errs.push(fieldErrors.invalid('deprecatedSource', '', 'needs to be unset'));
  // An event with eventTime names who reported it and what happened (upstream's legacyValidateEvent).
  if (!core.reportingComponent) errs.push(fieldErrors.required('reportingController', ''));
  if (!core.reportingInstance) errs.push(fieldErrors.required('reportingInstance', ''));
  if (!core.action) errs.push(fieldErrors.required('action', ''));
  if (!core.reason) errs.push(fieldErrors.required('reason', ''));
  return errs;
}

/** Fields an update through events.k8s.io/v1 may not change, by their core/v1 names (as upstream reports them). */
// `reason` is listed twice upstream, so a changed reason is reported twice.
const IMMUTABLE_ON_UPDATE = [
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'reason',
  'type',
  'eventTime',
  'action',
  'related',
  'reportingComponent',
  'reportingInstance',
] as const;

/** Where upstream's update messages name a field differently from its core/v1 JSON name. */
const UPDATE_PATHS: Partial<Record<string, string>> = { reportingComponent: 'reportingController' };

/** The rules an update through events.k8s.io/v1 adds to core/v1's (ValidateEventUpdate's strict part). */
export function validateEventsV1Update(e: KubeObject, old: KubeObject): FieldError[] {
  const errs = deepEqual(e.series ?? null, old.series ?? null) ? [] : validateSeries(e as CoreEvent);
  for (const f of IMMUTABLE_ON_UPDATE) {
    if (!deepEqual(e[f] ?? null, old[f] ?? null)) errs.push(fieldErrors.invalid(UPDATE_PATHS[f] ?? f, e[f] ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errs;
}

/** Served as an alternate group of the core events resource. */
export const eventsV1: AlternateVersion = {
  group: 'events.k8s.io',
  version: 'v1',
  schemaName: `${V1}.Event`,
  toStored: toCoreEvent,
  fromStored: fromCoreEvent,
  definitions: eventsV1Definitions,
  fieldLabels: EVENTS_V1_FIELD_LABELS,
  validate: (e, old) => (old ? validateEventsV1Update(e, old) : validateEventsV1Create(e)),
};
