import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { attemptOf } from '../../../shared/webhooks/delivery-log';
import { webhookEndpointOf, webhookMessageOf } from '../api/resources';
import { actorOf, defineAdminRoute } from '../api/route';
import { idParams, noParams } from '../api/schemas';
import {
  adminEndpointList,
  adminEndpointResource,
  adminMessageDetail,
  adminMessageList,
  enableEndpointBody,
  endpointsQuery,
  messagesQuery,
  redeliverBody,
  redeliverResult,
} from '../api/webhook-schemas';
import {
  type RedeliveryOutcome,
  enableEndpoint,
  findMessage,
  listEndpoints,
  requestRedelivery,
  searchMessages,
} from '../queries/webhooks';
import { audited } from '../services/audited';

const dateOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/**
 * Webhooks across merchants: the endpoints failing or disabled, the messages, a redelivery (the webhooks
 * function's own command, as a merchant's redeliver sends), and a disabled endpoint enabled again.
 */
export function webhookRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      summary: 'Endpoints across merchants, newest first: failing ones, disabled ones, or all',
      access: 'viewer',
      params: noParams,
      query: endpointsQuery,
      response: { status: 200, schema: adminEndpointList, description: 'A page and the cursor of the next' },
      handle: async ({ query }) => {
        const rows = await listEndpoints(db, { ...query, after: decodeCursor(query.cursor) });
        return { status: 200, body: pageOf(rows, query.limit, webhookEndpointOf) };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/webhook-endpoints/:id/enable',
      operationId: 'enableWebhookEndpoint',
      summary: 'Enable a disabled endpoint again; one the platform disabled announces recovery with its next delivery',
      access: 'operator',
      params: idParams,
      body: enableEndpointBody,
      response: { status: 200, schema: adminEndpointResource, description: 'The endpoint now' },
      handle: async ({ params, body, caller }) => {
        let refusal: string | undefined;
        const enabled = await audited(db, actorOf(caller), {
          action: 'webhook-endpoint.enable',
          target: `webhook-endpoint:${params.id}`,
          run: async (tx) => {
            const outcome = await enableEndpoint(tx, params.id);
            if (outcome === 'enabled') refusal = `${params.id} is enabled already`;
            if (typeof outcome === 'string') return undefined;
            return { result: true, before: outcome.before, after: { enabled: true, note: body.note } };
          },
        });
        if (refusal) throw new ProblemError('state-conflict', refusal);
        if (!enabled) throw new ProblemError('not-found', `No webhook endpoint ${params.id}`);
        const [row] = await listEndpoints(db, { id: params.id, limit: 1 });
        return { status: 200, body: row && webhookEndpointOf(row) };
      },
    }),
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/webhook-messages',
      operationId: 'searchWebhookMessages',
      summary: 'Messages across merchants, newest first, by merchant, endpoint, status, event type or id, date',
      access: 'viewer',
      params: noParams,
      query: messagesQuery,
      response: { status: 200, schema: adminMessageList, description: 'A page and the cursor of the next' },
      handle: async ({ query }) => {
        const rows = await searchMessages(db, {
          ...query,
          createdFrom: dateOf(query.createdFrom),
          createdTo: dateOf(query.createdTo),
          after: decodeCursor(query.cursor),
        });
        return { status: 200, body: pageOf(rows, query.limit, webhookMessageOf) };
      },
    }),
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/webhook-messages/:id',
      operationId: 'getWebhookMessage',
      summary: 'A message: its endpoint, the body as signed and sent, and every attempt',
      access: 'viewer',
      params: idParams,
      response: { status: 200, schema: adminMessageDetail, description: 'The message and its attempts' },
      handle: async ({ params }) => {
        const message = await findMessage(db, params.id);
        if (!message) throw new ProblemError('not-found', `No webhook message ${params.id}`);
        const { endpoint, attemptsLog, body } = message;
        return {
          status: 200,
          body: {
            ...webhookMessageOf(message),
            endpoint: { id: endpoint.id, url: endpoint.url, enabled: endpoint.enabled, deleted: !!endpoint.deletedAt },
            body,
            attempts: attemptsLog.map(attemptOf),
          },
        };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/webhook-messages/redeliver',
      operationId: 'redeliverWebhookMessages',
      summary: 'Attempt messages again now, each with its webhook-id, whatever their status',
      access: 'operator',
      params: noParams,
      body: redeliverBody,
      response: { status: 200, schema: redeliverResult, description: 'What became of each id' },
      handle: async ({ body, caller }) => {
        const data = [];
        for (const id of new Set(body.ids)) {
          let refusal: Exclude<RedeliveryOutcome, 'requested'> | undefined;
          const requested = await audited(db, actorOf(caller), {
            action: 'webhook-message.redeliver',
            target: `webhook-message:${id}`,
            run: async (tx) => {
              const outcome = await requestRedelivery(tx, id);
              if (outcome !== 'requested') refusal = outcome;
              return refusal ? undefined : { result: outcome, after: { note: body.note ?? null } };
            },
          });
          data.push({ id, outcome: requested ?? refusal ?? 'not-found' });
        }
        return { status: 200, body: { data } };
      },
    }),
  ];
}
