// events.k8s.io/v1: no kinds of its own; an alternate view of the core/v1 events resource.
export {
  EVENTS_V1_FIELD_LABELS,
  eventsV1,
  eventsV1Definitions,
  fromCoreEvent,
  toCoreEvent,
  validateEventsV1Create,
  validateEventsV1Update,
} from './event.js';
