import { topics, typesOnTopic, type EventType } from '../events';

/**
 * What a merchant subscribes to and reads in a webhook's `type`: the catalog's invoice events by a
 * short dotted name (`invoice.settled` for io.knpay.invoice.settled.v1), as Standard Webhooks suggests.
 * Declared by the catalog, derived here; core validates subscriptions and webhooks names messages with it.
 */
export function merchantEventType(type: EventType): string {
  return type.replace(/^io\.knpay\./, '').replace(/\.v\d+$/, '');
}

export const deliverableEventTypes: readonly EventType[] = typesOnTopic(topics.invoices.name);

export const merchantEventTypes = deliverableEventTypes.map(merchantEventType) as [string, ...string[]];

/** The type of the message `POST /v1/webhook-endpoints/:id/test` sends, whatever the subscription. */
export const PING_EVENT_TYPE = 'ping';

/** The body's `api_version`: changed only with a breaking change to what a webhook carries. */
export const WEBHOOK_API_VERSION = '2026-12-01';
