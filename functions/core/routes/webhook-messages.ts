import { defineRoute } from '../api/route';
import {
  accepted,
  attemptList,
  endpointIdParams,
  listMessagesQuery,
  messageIdParams,
  messageList,
  recoverBody,
} from '../api/webhook-schemas';
import { emptyObject } from '../api/schemas';
import { attemptsOf, messagesPage, ping, recover, redeliver, type WebhookLogDeps } from '../services/webhook-log';

/** The delivery log, and what a merchant can ask of it: a test message, a redelivery, a recovery. */
export function webhookMessageRoutes(deps: WebhookLogDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/webhook-endpoints/:id/messages',
      operationId: 'listWebhookMessages',
      summary: "An endpoint's messages, newest first, by status and event type",
      scope: 'webhooks:read',
      params: endpointIdParams,
      query: listMessagesQuery,
      response: { status: 200, schema: messageList, description: 'A page of messages' },
      handle: async ({ params, query, merchantId }) => ({
        status: 200,
        body: await messagesPage(deps, merchantId, params.id, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-messages/:id/attempts',
      operationId: 'listWebhookAttempts',
      summary: "A message's attempts: when, the status code, how long, the error, the answer's first 1 KiB",
      scope: 'webhooks:read',
      params: messageIdParams,
      query: emptyObject,
      response: { status: 200, schema: attemptList, description: 'Every attempt, oldest first' },
      handle: async ({ params, merchantId }) => ({ status: 200, body: await attemptsOf(deps, merchantId, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-messages/:id/redeliver',
      operationId: 'redeliverWebhookMessage',
      summary: 'Attempt a message again now, with the same webhook-id',
      scope: 'webhooks:write',
      params: messageIdParams,
      body: emptyObject,
      response: { status: 202, schema: accepted, description: 'The attempt is on its way' },
      handle: async ({ params, merchantId }) => ({ status: 202, body: await redeliver(deps, merchantId, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-endpoints/:id/recover',
      operationId: 'recoverWebhookEndpoint',
      summary: 'Attempt again every failed message of the endpoint created since `since` (until `until`)',
      scope: 'webhooks:write',
      params: endpointIdParams,
      body: recoverBody,
      response: { status: 202, schema: accepted, description: 'The attempts are on their way' },
      handle: async ({ params, body, merchantId }) => ({
        status: 202,
        body: await recover(deps, merchantId, params.id, body.since, body.until),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-endpoints/:id/test',
      operationId: 'testWebhookEndpoint',
      summary: 'Send the endpoint a `ping` message now',
      scope: 'webhooks:write',
      params: endpointIdParams,
      body: emptyObject,
      response: { status: 202, schema: accepted, description: 'The ping is on its way' },
      handle: async ({ params, merchantId }) => ({ status: 202, body: await ping(deps, merchantId, params.id) }),
    }),
  ];
}
