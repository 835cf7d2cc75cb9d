// core/v1 Event: written by components about objects, expiring an hour after the last write.
import type { Event } from 'kubernetes-types/core/v1.js';
import type { Definitions } from '../../schema/types.js';
import type { ResourceDefinition } from '../../registry.js';
import { define, int32, kindSchema, object, ref, str, time } from '../../schema/build.js';
import { fieldErrors, type FieldError } from '../../meta/status.js';
import { age, table } from '../table.js';
import { eventsV1 } from '../events/event.js';

export const EVENT_TTL_SECONDS = 3600;

const definitions: Definitions = new Map();
define(definitions, {
  'io.k8s.api.core.v1.Event': kindSchema(
    { group: '', version: 'v1', kind: 'Event' },
    {
      involvedObject: ref('io.k8s.api.core.v1.ObjectReference', { default: {} }),
      reason: str(),
      message: str(),
      source: ref('io.k8s.api.core.v1.EventSource', { default: {} }),
      firstTimestamp: time(),
      lastTimestamp: time(),
      count: int32(),
      type: str(),
      eventTime: ref('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime'),
      series: ref('io.k8s.api.core.v1.EventSeries'),
      action: str(),
      related: ref('io.k8s.api.core.v1.ObjectReference'),
      reportingComponent: str({ default: '' }),
      reportingInstance: str({ default: '' }),
    },
    {
      required: ['metadata', 'involvedObject'],
      description: 'Event is a report of an event somewhere in the cluster.',
      proto: {
        metadata: 1,
        involvedObject: 2,
        reason: 3,
        message: 4,
        source: 5,
        firstTimestamp: 6,
        lastTimestamp: 7,
        count: 8,
        type: 9,
        eventTime: 10,
        series: 11,
        action: 12,
        related: 13,
        reportingComponent: 14,
        reportingInstance: 15,
      },
    },
  ),
  'io.k8s.api.core.v1.ObjectReference': object(
    { kind: str(), namespace: str(), name: str(), uid: str(), apiVersion: str(), resourceVersion: str(), fieldPath: str() },
    {
      'x-kubernetes-map-type': 'atomic',
      description: 'A reference to an object.',
      proto: { kind: 1, namespace: 2, name: 3, uid: 4, apiVersion: 5, resourceVersion: 6, fieldPath: 7 },
    },
  ),
  'io.k8s.api.core.v1.EventSource': object({ component: str(), host: str() }, { proto: { component: 1, host: 2 } }),
  'io.k8s.api.core.v1.EventSeries': object(
    { count: int32(), lastObservedTime: ref('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime') },
    { proto: { count: 1, lastObservedTime: 2 } },
  ),
});

function lastSeen(e: Event): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
}

export const events: ResourceDefinition<Event> = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  schemaName: 'io.k8s.api.core.v1.Event',
  definitions,
  ttlSeconds: EVENT_TTL_SECONDS,
  alsoServedAs: [eventsV1],
  allowCreateOnUpdate: true,
  validate(e) {
    const errs: FieldError[] = [];
    const ns = e.metadata?.namespace ?? '';
    const involvedNs = e.involvedObject?.namespace ?? '';
    if (involvedNs && ns && involvedNs !== ns) errs.push(fieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    return errs;
  },
  table: {
    columns: [
      { name: 'Last Seen', type: 'string', description: 'Time since the event was last observed.' },
      { name: 'Type', type: 'string', description: 'Normal or Warning.' },
      { name: 'Reason', type: 'string', description: 'Why the event happened.' },
      { name: 'Object', type: 'string', description: 'The object the event is about.' },
      { name: 'Subobject', type: 'string', description: 'The part of the object, such as a container.', priority: 1 },
      { name: 'Source', type: 'string', description: 'The component that reported the event.', priority: 1 },
      { name: 'Message', type: 'string', description: 'A human-readable description.' },
      { name: 'First Seen', type: 'string', description: 'Time since the event was first observed.', priority: 1 },
      { name: 'Count', type: 'string', description: 'How many times the event happened.', priority: 1 },
      { name: 'Name', type: 'string', format: 'name', description: 'The name of the event.', priority: 1 },
    ],
    cells(e, now) {
      const obj = `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`;
      // As upstream's formatEventSource: the deprecated source, else the reporting controller and instance.
      const source = (e.source?.component ? [e.source.component, e.source.host ?? ''] : [e.reportingComponent ?? '', e.reportingInstance ?? '']).filter(Boolean).join(', ');
      return [
        age(lastSeen(e), now),
        e.type ?? '',
        e.reason ?? '',
        obj,
        e.involvedObject?.fieldPath ?? '',
        source,
        (e.message ?? '').trim(),
        age(e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp, now),
        String(e.series?.count ?? e.count ?? 1),
        e.metadata?.name ?? '',
      ];
    },
  },
  fieldSelectors: {
    'involvedObject.kind': (e) => e.involvedObject?.kind ?? '',
    'involvedObject.namespace': (e) => e.involvedObject?.namespace ?? '',
    'involvedObject.name': (e) => e.involvedObject?.name ?? '',
    'involvedObject.uid': (e) => e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component ?? e.reportingComponent ?? '',
    type: (e) => e.type ?? '',
  },
};
