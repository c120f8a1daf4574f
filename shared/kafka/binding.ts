import type { IHeaders, Message } from 'kafkajs';

/** A CloudEvent ready for Kafka: its attributes and extensions as strings, its data, its key. */
export interface KafkaCloudEvent {
  attributes: Record<string, string>;
  data: string | Buffer | null;
  key: string | null;
}

/**
 * The CloudEvents Kafka protocol binding, binary content mode: every attribute and extension as a
 * `ce_<name>` header, datacontenttype as `content-type`, the data as the value. Knative's KafkaSource
 * reads such a record back as the same CloudEvent (cloudevents/sdk-java's
 * Kafka binding, which its data plane uses).
 */
export function toKafkaMessage({ attributes, data, key }: KafkaCloudEvent): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(attributes)) {
    headers[name === 'datacontenttype' ? 'content-type' : `ce_${name}`] = value;
  }
  return { key, value: data, headers };
}
