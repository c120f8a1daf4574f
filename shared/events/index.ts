export {
  catalog,
  isEventType,
  typesOnTopic,
  type EventData,
  type EventDefinition,
  type EventType,
  type PublishedEventType,
} from './catalog';
export { createEvent, parseEvent, toCloudEvent, type DomainEvent, type NewEvent } from './event';
export { topics, type TopicName } from './topics';
