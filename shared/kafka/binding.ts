import type { IHeaders, Message } from 'kafkajs';

/** An event as the outbox holds it, ready to leave. */
export interface OutgoingEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  data: unknown;
  traceparent: string | null;
}

/**
 * The CloudEvents Kafka protocol binding, binary content mode: attributes as `ce_<name>` headers,
 * `content-type` for datacontenttype, the data as the value, and the subject (the aggregate id) as
 * the key, so one aggregate's events stay ordered on one partition. Knative's KafkaSource reads these
 * back as the same CloudEvent (knative-anchors.md §2a).
 */
export function toKafkaMessage(event: OutgoingEvent): Message {
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_subject: event.subject,
    ce_time: event.time.toISOString(),
    'content-type': 'application/json',
  };
  if (event.traceparent) headers['ce_traceparent'] = event.traceparent;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}
