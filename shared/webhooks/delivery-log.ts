import { z } from 'zod';
import type { WebhookAttempt, WebhookMessage } from '../../prisma/generated/client';
import { timestamp } from '../events/schemas/fields';
import { webhookMessageStatus } from '../events/schemas/statuses';

// The delivery log as merchants see it (core's merchant API) and operators (admin's, across merchants):
// one shape for a message and one for an attempt, so the two APIs cannot drift apart.

export const messageResource = z.object({
  id: z.uuid().meta({ description: 'The webhook-id of every attempt' }),
  endpointId: z.uuid(),
  eventType: z.string(),
  eventId: z.string(),
  status: webhookMessageStatus,
  attempts: z.number().int(),
  nextAttemptAt: timestamp.nullable(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
});

export const attemptResource = z.object({
  attemptedAt: timestamp,
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseBody: z.string().meta({ description: 'The first 1 KiB of the answer' }),
});

export function messageOf(m: WebhookMessage): z.input<typeof messageResource> {
  return {
    id: m.id,
    endpointId: m.endpointId,
    eventType: m.eventType,
    eventId: m.eventId,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
  };
}

export function attemptOf(a: WebhookAttempt): z.input<typeof attemptResource> {
  return {
    attemptedAt: a.attemptedAt.toISOString(),
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    error: a.error,
    responseBody: a.responseBody,
  };
}
