import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../../src/api/meta/status.js';
import {
  EVENTS_V1_FIELD_LABELS,
  eventsV1,
  fromCoreEvent,
  toCoreEvent,
  validateEventsV1Create,
  validateEventsV1Update,
} from '../../../../src/api/resources/events/index.js';
import { events } from '../../../../src/api/resources/core/event.js';
import { findUnknownFields } from '../../../../src/api/schema/prune.js';
import { registry, schemaProblems } from '../networking/fixture.js';

const metadata = { name: 'web-0.17c2', namespace: 'default', uid: 'e1', resourceVersion: '42', creationTimestamp: '2024-05-01T10:00:00Z' };
const pod = { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'p1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' };

/** An event as the scheduler writes it through events.k8s.io/v1. */
const v1Event = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata,
  eventTime: '2024-05-01T10:00:00.123456Z',
  series: { count: 3, lastObservedTime: '2024-05-01T10:03:00.000000Z' },
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-node-1',
  action: 'Binding',
  reason: 'Scheduled',
  regarding: pod,
  related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
  note: 'Successfully assigned default/web-0 to node-1',
  type: 'Normal',
};

/** An event as the kubelet writes it through core/v1. */
const coreEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata,
  involvedObject: pod,
  reason: 'Pulled',
  message: 'Container image "nginx" already present on machine',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-05-01T10:00:00Z',
  lastTimestamp: '2024-05-01T10:01:00Z',
  count: 2,
  type: 'Normal',
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

test('events.k8s.io/v1 is served as an alternate group of core/v1 events', () => {
  assert.equal(eventsV1.group, 'events.k8s.io');
  assert.equal(eventsV1.version, 'v1');
  assert.equal(eventsV1.schemaName, 'io.k8s.api.events.v1.Event');
  assert.equal(eventsV1.toStored, toCoreEvent);
  assert.equal(eventsV1.fromStored, fromCoreEvent);
});

test('an events.k8s.io/v1 event is stored with the core/v1 names', () => {
  assert.deepEqual(toCoreEvent(v1Event), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata,
    reportingInstance: 'default-scheduler-node-1',
    action: 'Binding',
    reason: 'Scheduled',
    related: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
    type: 'Normal',
    reportingComponent: 'default-scheduler',
    message: 'Successfully assigned default/web-0 to node-1',
    eventTime: '2024-05-01T10:00:00.123456Z',
    involvedObject: pod,
    series: { count: 3, lastObservedTime: '2024-05-01T10:03:00.000000Z' },
  });
  assert.deepEqual(fromCoreEvent(toCoreEvent(v1Event)), { ...v1Event, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
});

test('a core/v1 event reads through events.k8s.io/v1 with the deprecated fields and a null eventTime', () => {
  const v1 = fromCoreEvent(coreEvent);
  assert.deepEqual(v1, {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata,
    reportingInstance: 'node-1',
    reason: 'Pulled',
    type: 'Normal',
    reportingController: 'kubelet',
    note: 'Container image "nginx" already present on machine',
    deprecatedCount: 2,
    eventTime: null,
    regarding: pod,
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: '2024-05-01T10:00:00Z',
    deprecatedLastTimestamp: '2024-05-01T10:01:00Z',
  });
  assert.deepEqual(toCoreEvent(v1), coreEvent);
});

test('the events.k8s.io/v1 schema knows every field of an event, and core/v1 every field of its conversion', () => {
  assert.deepEqual(schemaProblems(v1Event, eventsV1.schemaName), []);
  // Unset timestamps read as null, as upstream serves them; every field is known.
  assert.deepEqual(findUnknownFields(fromCoreEvent(coreEvent), eventsV1.schemaName, registry.definitions), []);
  assert.deepEqual(schemaProblems(toCoreEvent(v1Event), events.schemaName), []);
});

test('creates through events.k8s.io/v1 need eventTime and a Normal or Warning type, and no deprecated fields', () => {
  const errs = (e: Record<string, unknown>) => validateEventsV1Create(toCoreEvent(e)).map(fieldErrorString);
  assert.deepEqual(errs(v1Event), []);
  const bad = { ...v1Event, eventTime: undefined, type: 'Info', series: { count: 1 }, deprecatedCount: 4, deprecatedSource: { component: 'x' } };
  assert.deepEqual(errs(bad), [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'deprecatedCount: Invalid value: "": needs to be unset',
    'deprecatedSource: Invalid value: "": needs to be unset',
  ]);
});

test('updates through events.k8s.io/v1 may change the series only', () => {
  const old = toCoreEvent(v1Event);
  const next = toCoreEvent({ ...v1Event, series: { count: 4, lastObservedTime: '2024-05-01T10:04:00.000000Z' } });
  assert.deepEqual(validateEventsV1Update(next, old), []);
  const changed = toCoreEvent({ ...v1Event, note: 'other', reportingController: 'me', reason: 'Other' });
  assert.deepEqual(validateEventsV1Update(changed, old).map(fieldErrorString), [
    'reason: Invalid value: "Other": field is immutable',
    'message: Invalid value: "other": field is immutable',
    'reason: Invalid value: "Other": field is immutable',
    'reportingController: Invalid value: "me": field is immutable',
  ]);
});

test('events.k8s.io/v1 field selectors map to the core/v1 fields', () => {
  assert.equal(EVENTS_V1_FIELD_LABELS['regarding.name'], 'involvedObject.name');
  assert.equal(EVENTS_V1_FIELD_LABELS.reportingController, 'reportingComponent');
  for (const target of Object.values(EVENTS_V1_FIELD_LABELS)) {
    if (!target.startsWith('metadata.')) assert.ok(target in events.fieldSelectors!, target);
  }
});
