import { z } from 'zod';
import { invoiceResource } from '../../../shared/invoices/resource-schema';
import { merchantEventTypes, PING_EVENT_TYPE, WEBHOOK_API_VERSION } from '../../../shared/webhooks/event-types';

/**
 * The OpenAPI 3.1 `webhooks` section: each message a merchant's endpoint receives, by type, with the
 * Standard Webhooks headers that sign it. Written from the same schemas the function sends with.
 */
export function webhooksSection(jsonSchema: (schema: z.ZodType) => Record<string, unknown>): Record<string, unknown> {
  const headers = [
    ['webhook-id', 'The message id: the same on every attempt, so a receiver can drop repeats'],
    ['webhook-timestamp', 'Seconds since the epoch, per attempt'],
    [
      'webhook-signature',
      '`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`; two, space-separated, during a rotation',
    ],
  ].map(([name, description]) => ({ name, in: 'header', required: true, schema: { type: 'string' }, description }));
  const message = (type: string, data: z.ZodType) =>
    jsonSchema(
      z.object({
        type: z.literal(type),
        timestamp: z.iso.datetime().meta({ description: 'When the event happened' }),
        api_version: z.literal(WEBHOOK_API_VERSION),
        data,
      }),
    );
  const operation = (type: string, summary: string, data: z.ZodType) => ({
    post: {
      summary,
      parameters: headers,
      requestBody: { required: true, content: { 'application/json': { schema: message(type, data) } } },
      responses: {
        '200': {
          description: 'Any 2xx within 15 s: delivered. 410: the endpoint is disabled. Anything else: retried.',
        },
      },
    },
  });
  return {
    ...Object.fromEntries(
      merchantEventTypes.map((type) => [
        type,
        operation(type, `The invoice, as GET returns it, after ${type}`, invoiceResource),
      ]),
    ),
    [PING_EVENT_TYPE]: operation(
      PING_EVENT_TYPE,
      'POST /v1/webhook-endpoints/:id/test',
      z.object({ endpointId: z.uuid() }),
    ),
  };
}
