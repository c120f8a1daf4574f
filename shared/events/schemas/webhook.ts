import { z } from 'zod';
import { timestamp, uuid } from './fields';

const deliveryRef = {
  deliveryId: uuid,
  endpointId: uuid,
  merchantId: uuid,
  /** The id and type of the domain event the webhook carried. */
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  attempt: z.number().int().positive(),
};

export const webhookDeliverySucceeded = z.object({
  ...deliveryRef,
  httpStatus: z.number().int().min(200).max(299),
  durationMs: z.number().int().nonnegative(),
});

export const webhookDeliveryFailed = z.object({
  ...deliveryRef,
  /** null when no response came (connection refused, timeout). */
  httpStatus: z.number().int().min(100).max(599).nullable(),
  error: z.string(),
  nextAttemptAt: timestamp.nullable(),
});

/** A message is due for an attempt now: one command per message, so a slow endpoint holds no partition. */
export const webhookMessageDue = z.object({ messageId: uuid, endpointId: uuid, merchantId: uuid });

/** cron's sweep found messages due (retries, and attempts a killed process left): fan them out. */
export const webhookDeliveriesDue = z.object({ dueSince: timestamp });

const endpointRef = { endpointId: uuid, merchantId: uuid, url: z.string() };

/** The platform disabled an endpoint (410 Gone, or every message failing for 5 days). */
export const webhookEndpointDisabled = z.object({ ...endpointRef, reason: z.string() });

/** A message was delivered to an endpoint the platform had disabled and the merchant enabled again. */
export const webhookEndpointRecovered = z.object(endpointRef);

/** Commands from the merchant API (core) to the webhooks function, through the outbox. */
export const webhookRedeliveryRequested = z.object({ messageId: uuid, merchantId: uuid });
export const webhookRecoveryRequested = z.object({
  endpointId: uuid,
  merchantId: uuid,
  since: timestamp,
  until: timestamp.nullable(),
});
export const webhookPingRequested = z.object({ endpointId: uuid, merchantId: uuid });
