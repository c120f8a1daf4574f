import { randomUUID } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { fieldErrors, ProblemError } from '../errors';
import { catalog, isEventType, type EventData, type EventType, type PublishedEventType } from './catalog';

/** A CloudEvent of the catalog whose data has been validated against its schema. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  source: string;
  /** The aggregate id; absent only on events from outside (a PingSource tick). */
  subject?: string;
  time: string;
  data: EventData<T>;
  /** W3C trace context, carried as the CloudEvents `traceparent` extension. */
  traceparent?: string;
}

export interface NewEvent<T extends PublishedEventType> {
  source: string;
  subject: string;
  data: EventData<T>;
  id?: string;
  time?: Date;
  traceparent?: string;
}

/** The typed constructor producers use: a data that breaks its schema is a bug, so it throws. */
export function createEvent<T extends PublishedEventType>(
  type: T,
  init: NewEvent<T>,
): DomainEvent<T> & { subject: string } {
  const data = catalog[type].data.parse(init.data) as EventData<T>;
  return {
    id: init.id ?? randomUUID(),
    type,
    source: init.source,
    subject: init.subject,
    time: (init.time ?? new Date()).toISOString(),
    data,
    ...(init.traceparent === undefined ? {} : { traceparent: init.traceparent }),
  };
}

/**
 * The typed parse consumers use. An unknown type or a data that fails its schema can never be handled,
 * so both are 422 problems (dead-lettered by Knative, never retried).
 */
export function parseEvent(
  event: CloudEvent<unknown>,
  accepted: (type: EventType) => boolean = () => true,
): DomainEvent {
  if (!isEventType(event.type) || !accepted(event.type)) {
    throw new ProblemError('unknown-event-type', `Event type "${event.type}" is not handled here`);
  }
  const parsed = catalog[event.type].data.safeParse(event.data);
  if (!parsed.success) {
    throw new ProblemError('invalid-event-data', `The data of "${event.type}" does not match its schema`, {
      errors: fieldErrors(parsed.error.issues, 'data'),
    });
  }
  const traceparent = event['traceparent'];
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    ...(event.subject === undefined ? {} : { subject: event.subject }),
    time: event.time ?? new Date().toISOString(),
    data: parsed.data,
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}

export function toCloudEvent(event: DomainEvent): CloudEvent<unknown> {
  return new CloudEvent<unknown>({
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  });
}
