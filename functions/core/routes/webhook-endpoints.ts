import { defineRoute } from '../api/route';
import { emptyObject } from '../api/schemas';
import {
  createEndpointBody,
  endpointIdParams,
  endpointList,
  endpointResource,
  endpointWithSecret,
  rotateSecretBody,
  updateEndpointBody,
} from '../api/webhook-schemas';
import {
  changeEndpoint,
  createEndpoint,
  getEndpoint,
  getEndpoints,
  removeEndpoint,
  rotateEndpointSecret,
  type EndpointServiceDeps,
} from '../services/webhook-endpoints';

export function webhookEndpointRoutes(deps: EndpointServiceDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/webhook-endpoints',
      operationId: 'createWebhookEndpoint',
      summary: 'Add a webhook endpoint; its signing secret is in this answer only',
      scope: 'webhooks:write',
      body: createEndpointBody,
      response: { status: 201, schema: endpointWithSecret, description: 'The endpoint, with its secret' },
      handle: async ({ body, merchantId }) => ({ status: 201, body: await createEndpoint(deps, merchantId, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      summary: "The merchant's webhook endpoints",
      scope: 'webhooks:read',
      query: emptyObject,
      response: { status: 200, schema: endpointList, description: 'Endpoints, oldest first (secrets never shown)' },
      handle: async ({ merchantId }) => ({ status: 200, body: { data: await getEndpoints(deps, merchantId) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-endpoints/:id',
      operationId: 'getWebhookEndpoint',
      summary: 'One webhook endpoint',
      scope: 'webhooks:read',
      params: endpointIdParams,
      response: { status: 200, schema: endpointResource, description: 'The endpoint (its secret never shown)' },
      handle: async ({ params, merchantId }) => ({ status: 200, body: await getEndpoint(deps, merchantId, params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/webhook-endpoints/:id',
      operationId: 'updateWebhookEndpoint',
      summary: 'Change its URL, description, event types, or enable and disable it',
      scope: 'webhooks:write',
      params: endpointIdParams,
      body: updateEndpointBody,
      response: { status: 200, schema: endpointResource, description: 'The endpoint as changed' },
      handle: async ({ params, body, merchantId }) => ({
        status: 200,
        body: await changeEndpoint(deps, merchantId, params.id, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/webhook-endpoints/:id',
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete it: nothing is sent to it again; its delivery log is kept',
      scope: 'webhooks:write',
      params: endpointIdParams,
      response: { status: 204, schema: emptyObject, description: 'Deleted' },
      handle: async ({ params, merchantId }) => {
        await removeEndpoint(deps, merchantId, params.id);
        return { status: 204, body: undefined };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-endpoints/:id/rotate-secret',
      operationId: 'rotateWebhookEndpointSecret',
      summary: 'A new signing secret; the old one still signs too during the overlap',
      scope: 'webhooks:write',
      params: endpointIdParams,
      body: rotateSecretBody,
      response: { status: 200, schema: endpointWithSecret, description: 'The endpoint, with its new secret' },
      handle: async ({ params, body, merchantId }) => ({
        status: 200,
        body: await rotateEndpointSecret(deps, merchantId, params.id, body.overlapHours),
      }),
    }),
  ];
}
