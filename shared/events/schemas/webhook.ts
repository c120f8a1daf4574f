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
