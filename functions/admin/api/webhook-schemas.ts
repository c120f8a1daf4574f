import { z } from 'zod';
import { webhookMessageStatus } from '../../../shared/events/schemas/statuses';
import { attemptResource, messageResource } from '../../../shared/webhooks/delivery-log';
import { redeliveryOutcomes } from '../queries/webhooks';
import { page, when } from './schemas';

// Webhooks across merchants: the endpoints that fail, the messages, a redelivery, an endpoint enabled again.

const endpointState = z.enum(['failing', 'disabled']).meta({
  description:
    'failing: enabled, with messages that have not arrived (retrying, or failed for good); ' +
    'disabled: by the platform (disabledReason says why) or by its merchant',
});
export const endpointsQuery = z.strictObject({
  ...page,
  merchantId: z.uuid().optional(),
  state: endpointState.optional(),
});

export const adminEndpointResource = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().meta({ description: 'Why the platform disabled it, when it did' }),
  awaitingRecovery: z.boolean().meta({ description: 'Enabled again: its next delivery announces recovery' }),
  createdAt: when,
  undelivered: z.object({
    retrying: z.number().int().meta({ description: 'Messages attempted, failed, and due again' }),
    failed: z.number().int().meta({ description: 'Messages whose every attempt failed (until redelivered)' }),
    oldestAt: when.nullable().meta({ description: 'When the oldest of them was made' }),
    lastFailure: z
      .object({ attemptedAt: when, statusCode: z.number().int().nullable(), error: z.string().nullable() })
      .nullable(),
  }),
});
export const adminEndpointList = z.object({ data: z.array(adminEndpointResource), nextCursor: z.string().nullable() });
export const enableEndpointBody = z.strictObject({ note: z.string().trim().min(1).max(500) });

export const messagesQuery = z.strictObject({
  ...page,
  merchantId: z.uuid().optional(),
  endpointId: z.uuid().optional(),
  status: webhookMessageStatus.optional(),
  eventType: z.string().max(100).optional(),
  eventId: z.string().max(200).optional(),
  createdFrom: when.optional(),
  createdTo: when.optional(),
});
export const adminMessageResource = messageResource.extend({ merchantId: z.uuid() });
export const adminMessageList = z.object({ data: z.array(adminMessageResource), nextCursor: z.string().nullable() });
export const adminMessageDetail = adminMessageResource.extend({
  endpoint: z.object({ id: z.uuid(), url: z.string(), enabled: z.boolean(), deleted: z.boolean() }),
  body: z.string().meta({ description: 'The body as signed and sent, byte for byte' }),
  attempts: z.array(attemptResource),
});
export const redeliverBody = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(100),
  note: z.string().trim().max(500).optional(),
});
export const redeliveryOutcome = z.enum(redeliveryOutcomes);
export const redeliverResult = z.object({
  data: z.array(
    z.object({
      id: z.uuid(),
      outcome: redeliveryOutcome.meta({
        description: 'requested: attempted again soon, same webhook-id; a disabled endpoint is enabled first',
      }),
    }),
  ),
});
