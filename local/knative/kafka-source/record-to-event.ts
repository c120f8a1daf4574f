import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A CloudEvent as the dispatcher sends it: attributes and extensions, then the data bytes. */
export interface OutgoingCloudEvent {
  attributes: Record<string, string>;
  data: Buffer | null;
}

export interface RecordOrigin {
  namespace: string;
  sourceName: string;
  topic: string;
  partition: number;
}

/**
 * Knative's KafkaSource mapping of a record to a CloudEvent (eventing-kafka-broker's
 * data-plane: CloudEventDeserializer and the invalid-CloudEvent interceptor): a record that is
 * already a CloudEvent (binary `ce_` headers, or a structured content-type) passes through with its
 * own attributes; any other record gets the dispatcher's attributes (id partition:P/offset:O, …), its
 * key as `key` and `partitionkey`, each header as `kafkaheader<name>`. Both then carry
 * `knativekafkapartition` and `knativekafkaoffset`.
 */
export function recordToEvent(
  message: KafkaMessage,
  origin: RecordOrigin,
  overrides: Record<string, string> = {},
): OutgoingCloudEvent {
  const headers = headerStrings(message.headers ?? {});
  const event = asCloudEvent(message, headers) ?? plainRecord(message, headers, origin);
  event.attributes['knativekafkapartition'] = String(origin.partition);
  event.attributes['knativekafkaoffset'] = message.offset;
  Object.assign(event.attributes, overrides);
  return event;
}

function asCloudEvent(message: KafkaMessage, headers: Record<string, string>): OutgoingCloudEvent | null {
  const contentType = headers['content-type'];
  if (contentType?.startsWith('application/cloudevents+json')) {
    try {
      const structured = JSON.parse(message.value?.toString('utf8') ?? '') as Record<string, unknown>;
      const { data, data_base64: dataBase64, ...rest } = structured;
      if (typeof rest['id'] !== 'string' || typeof rest['type'] !== 'string' || typeof rest['source'] !== 'string')
        return null;
      const attributes = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
      const bytes =
        typeof dataBase64 === 'string'
          ? Buffer.from(dataBase64, 'base64')
          : data === undefined
            ? null
            : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
      return { attributes, data: bytes };
    } catch {
      return null;
    }
  }
  if (headers['ce_specversion'] === undefined) return null;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('ce_')) attributes[name.slice(3)] = value;
  // A record whose ce_ headers do not make a CloudEvent (no id, say) is treated as a plain record.
  if (!attributes['id'] || !attributes['source'] || !attributes['type']) return null;
  if (contentType) attributes['datacontenttype'] = contentType;
  return { attributes, data: message.value };
}

function plainRecord(message: KafkaMessage, headers: Record<string, string>, origin: RecordOrigin): OutgoingCloudEvent {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: `partition:${String(origin.partition)}/offset:${message.offset}`,
    source: `/apis/v1/namespaces/${origin.namespace}/kafkasources/${origin.sourceName}#${origin.topic}`,
    type: 'dev.knative.kafka.event',
    subject: `partition:${String(origin.partition)}#${message.offset}`,
    time: new Date(Number(message.timestamp)).toISOString(),
  };
  if (message.key !== null) {
    attributes['key'] = message.key.toString('utf8');
    attributes['partitionkey'] = attributes['key'];
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') attributes['datacontenttype'] = value.toLowerCase();
    else attributes[`kafkaheader${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`] = value;
  }
  return { attributes, data: message.value };
}

function headerStrings(headers: IHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}
