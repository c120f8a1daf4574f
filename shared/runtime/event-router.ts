import type { CloudEvent } from 'cloudevents';
import { parseEvent, type DomainEvent, type EventType } from '../events';
import type { EventHandler, Handle, HandlerTable } from './types';

/**
 * Builds a function's `handle` from its table of handlers, one per consumed event type: the event is
 * parsed against the catalog (422 for a type not in the table or data that fails its schema) and
 * passed, typed, to its handler. An event already parsed by `check` is not parsed again.
 *
 * `ignore` lists types the function's KafkaSource delivers but it has no use for: a KafkaSource reads
 * whole topics and has no filter (Knative's Triggers do, on a Broker), so the other types on those
 * topics are checked against the catalog and acknowledged with no work, not dead-lettered.
 */
export function eventRouter(table: HandlerTable, options: { ignore?: readonly EventType[] } = {}): Handle {
  const types = Object.keys(table) as EventType[];
  const accepted = new Set<string>([...types, ...(options.ignore ?? [])]);
  const accepts = (type: EventType) => accepted.has(type);
  const checked = new WeakMap<CloudEvent<unknown>, DomainEvent>();
  const parse = (cloudEvent: CloudEvent<unknown>) => checked.get(cloudEvent) ?? parseEvent(cloudEvent, accepts);
  const handle = async (...[cloudEvent, context]: Parameters<Handle>) => {
    const event = parse(cloudEvent);
    const handler = table[event.type] as EventHandler<EventType> | undefined;
    if (!handler) return [];
    return handler(event, context);
  };
  const check: Handle['check'] = (cloudEvent) => {
    checked.set(cloudEvent, parseEvent(cloudEvent, accepts));
  };
  return Object.assign(handle, { types, check });
}
