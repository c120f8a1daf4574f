import { z } from 'zod';
import { timestamp } from '../../../shared/events/schemas/fields';
import { webhookMessageStatus } from '../../../shared/events/schemas/statuses';
import { attemptResource, messageResource } from '../../../shared/webhooks/delivery-log';
import { merchantEventTypes, PING_EVENT_TYPE } from '../../../shared/webhooks/event-types';

/** The webhook endpoints' request and response bodies (they validate and write /openapi.json). */

const eventTypes = z
  .array(z.enum(merchantEventTypes))
  .max(merchantEventTypes.length)
  .meta({ description: 'The event types sent to this endpoint; empty or absent: all of them' });

const url = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({ description: 'https (http only where the operator allows it); a public address' });

export const createEndpointBody = z
  .strictObject({
    url,
    description: z.string().max(500).default(''),
    eventTypes: eventTypes.default([]),
    enabled: z.boolean().default(true),
  })
  .meta({ examples: [{ url: 'https://shop.example.com/hooks/knpay', eventTypes: ['invoice.settled'] }] });

export const updateEndpointBody = z
  .strictObject({
    url: url.optional(),
    description: z.string().max(500).optional(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one field to change' });

export const rotateSecretBody = z.strictObject({
  overlapHours: z
    .number()
    .int()
    .min(0)
    .max(7 * 24)
    .default(24)
    .meta({ description: 'How long the previous secret still signs too (both signatures in every message)' }),
});

export const endpointIdParams = z.strictObject({ id: z.uuid() });

export const endpointResource = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().meta({ description: 'Why the platform disabled it, when it did' }),
  previousSecretValidUntil: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const endpointWithSecret = endpointResource.extend({
  secret: z.string().meta({ description: 'whsec_...: shown here once, never again' }),
});

export const endpointList = z.object({ data: z.array(endpointResource) });

export type CreateEndpointBody = z.output<typeof createEndpointBody>;
export type UpdateEndpointBody = z.output<typeof updateEndpointBody>;
export type EndpointResource = z.output<typeof endpointResource>;

export const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/)
  .optional()
  .meta({ description: 'nextCursor of the previous page' });

export const listMessagesQuery = z.strictObject({
  status: webhookMessageStatus.optional(),
  eventType: z.enum([...merchantEventTypes, PING_EVENT_TYPE]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor,
});

export const messageIdParams = z.strictObject({ id: z.uuid() });

export const messageList = z.object({ data: z.array(messageResource), nextCursor: z.string().nullable() });

export const attemptList = z.object({ data: z.array(attemptResource) });

export const recoverBody = z
  .strictObject({ since: timestamp, until: timestamp.optional() })
  .refine((body) => body.until === undefined || Date.parse(body.until) > Date.parse(body.since), {
    message: 'until must come after since',
    path: ['until'],
  });

export const accepted = z.object({
  accepted: z.literal(true),
  detail: z.string(),
});

export type ListMessagesQuery = z.output<typeof listMessagesQuery>;
