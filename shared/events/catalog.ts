import type { z } from 'zod';
import { topics, type TopicName } from './topics';
import * as invoice from './schemas/invoice';
import * as payment from './schemas/payment';
import * as chain from './schemas/chain';
import * as webhook from './schemas/webhook';
import * as notification from './schemas/notification';
import { pingTick } from './schemas/knative';

export interface EventDefinition {
  /** The zod schema of the event's `data`. */
  data: z.ZodType;
  /** The Kafka topic it travels on; null for events that only arrive over HTTP (Knative's PingSource). */
  topic: TopicName | null;
}

/**
 * Every event type of the system: the single source of truth for producers and consumers. A type is
 * reverse-DNS and versioned; a breaking change to its data is a new version, declared beside the old.
 */
export const catalog = {
  'io.knpay.invoice.created.v1': { data: invoice.invoiceCreated, topic: topics.invoices.name },
  'io.knpay.invoice.paid-partial.v1': { data: invoice.invoicePaidPartial, topic: topics.invoices.name },
  'io.knpay.invoice.reopened.v1': { data: invoice.invoiceReopened, topic: topics.invoices.name },
  'io.knpay.invoice.processing.v1': { data: invoice.invoiceProcessing, topic: topics.invoices.name },
  'io.knpay.invoice.settled.v1': { data: invoice.invoiceSettled, topic: topics.invoices.name },
  'io.knpay.invoice.expired.v1': { data: invoice.invoiceExpired, topic: topics.invoices.name },
  'io.knpay.invoice.invalid.v1': { data: invoice.invoiceInvalid, topic: topics.invoices.name },
  'io.knpay.invoice.paid-late.v1': { data: invoice.invoicePaidLate, topic: topics.invoices.name },

  'io.knpay.payment.detected.v1': { data: payment.paymentDetected, topic: topics.payments.name },
  'io.knpay.payment.confirmed.v1': { data: payment.paymentConfirmed, topic: topics.payments.name },
  'io.knpay.payment.reorged.v1': { data: payment.paymentReorged, topic: topics.payments.name },

  'io.knpay.chain.block.seen.v1': { data: chain.chainBlockSeen, topic: topics.chain.name },
  'io.knpay.chain.scan.requested.v1': { data: chain.chainScanRequested, topic: topics.chain.name },

  'io.knpay.webhook.delivery.succeeded.v1': {
    data: webhook.webhookDeliverySucceeded,
    topic: topics.webhookDeliveries.name,
  },
  'io.knpay.webhook.delivery.failed.v1': { data: webhook.webhookDeliveryFailed, topic: topics.webhookDeliveries.name },
  'io.knpay.webhook.message.due.v1': { data: webhook.webhookMessageDue, topic: topics.webhookCommands.name },
  'io.knpay.webhook.deliveries.due.v1': { data: webhook.webhookDeliveriesDue, topic: topics.webhookCommands.name },
  'io.knpay.webhook.endpoint.disabled.v1': { data: webhook.webhookEndpointDisabled, topic: topics.webhooks.name },
  'io.knpay.webhook.endpoint.recovered.v1': { data: webhook.webhookEndpointRecovered, topic: topics.webhooks.name },
  'io.knpay.webhook.redelivery.requested.v1': {
    data: webhook.webhookRedeliveryRequested,
    topic: topics.webhookCommands.name,
  },
  'io.knpay.webhook.recovery.requested.v1': {
    data: webhook.webhookRecoveryRequested,
    topic: topics.webhookCommands.name,
  },
  'io.knpay.webhook.ping.requested.v1': { data: webhook.webhookPingRequested, topic: topics.webhookCommands.name },

  'io.knpay.notification.sent.v1': { data: notification.notificationSent, topic: topics.notifications.name },
  'io.knpay.notification.deliveries.due.v1': {
    data: notification.notificationsDue,
    topic: topics.notificationCommands.name,
  },

  'dev.knative.sources.ping': { data: pingTick, topic: null },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof catalog;
/** Types our functions produce onto Kafka (through the outbox). */
export type PublishedEventType = { [T in EventType]: (typeof catalog)[T]['topic'] extends null ? never : T }[EventType];
export type EventData<T extends EventType> = z.output<(typeof catalog)[T]['data']>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(catalog, type);
}

/** Every type that travels on a topic: what a KafkaSource reading that topic delivers. */
export function typesOnTopic(topic: TopicName): EventType[] {
  return (Object.keys(catalog) as EventType[]).filter((type) => catalog[type].topic === topic);
}
