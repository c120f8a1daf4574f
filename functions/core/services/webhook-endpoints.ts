import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { WebhookEndpoint } from '../../../prisma/generated/client';
import { seal, type SecretKeyRing } from '../../../shared/crypto/secret-box';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { addressRefusal, allowedRanges } from '../../../shared/webhooks/address-policy';
import type { WebhookPolicy } from '../../../shared/webhooks/policy';
import type { CreateEndpointBody, EndpointResource, UpdateEndpointBody } from '../api/webhook-schemas';
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from '../queries/webhook-endpoints';

export interface EndpointServiceDeps {
  db: Db;
  config: WebhookPolicy;
}

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export async function createEndpoint(deps: EndpointServiceDeps, merchantId: string, body: CreateEndpointBody) {
  checkUrl(deps.config, body.url);
  const secret = newSigningSecret();
  const endpoint = await insertEndpoint(
    deps.db,
    { id: randomUUID(), merchantId, ...body },
    seal(keyRing(deps.config), secret),
  );
  return { ...endpointResource(endpoint), secret };
}

export async function getEndpoint(
  deps: EndpointServiceDeps,
  merchantId: string,
  id: string,
): Promise<EndpointResource> {
  return endpointResource(found(await findEndpoint(deps.db, merchantId, id), id));
}

export async function getEndpoints(deps: EndpointServiceDeps, merchantId: string): Promise<EndpointResource[]> {
  return (await listEndpoints(deps.db, merchantId)).map(endpointResource);
}

export async function changeEndpoint(
  deps: EndpointServiceDeps,
  merchantId: string,
  id: string,
  body: UpdateEndpointBody,
) {
  if (body.url !== undefined) checkUrl(deps.config, body.url);
  return endpointResource(found(await updateEndpoint(deps.db, merchantId, id, body), id));
}

export async function removeEndpoint(deps: EndpointServiceDeps, merchantId: string, id: string): Promise<void> {
  if (!(await deleteEndpoint(deps.db, merchantId, id)))
    throw new ProblemError('not-found', `No webhook endpoint ${id}`);
}

/** A new secret, shown once; the old one keeps signing beside it for `overlapHours`. */
export async function rotateEndpointSecret(
  deps: EndpointServiceDeps,
  merchantId: string,
  id: string,
  overlapHours: number,
) {
  const secret = newSigningSecret();
  const until = new Date(Date.now() + overlapHours * 3_600_000);
  const endpoint = found(await rotateSecret(deps.db, merchantId, id, seal(keyRing(deps.config), secret), until), id);
  return { ...endpointResource(endpoint), secret };
}

function endpointResource(endpoint: WebhookEndpoint): EndpointResource {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    previousSecretValidUntil:
      endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date()
        ? endpoint.previousSecretUntil.toISOString()
        : null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

function found(endpoint: WebhookEndpoint | null, id: string): WebhookEndpoint {
  if (!endpoint) throw new ProblemError('not-found', `No webhook endpoint ${id}`);
  return endpoint;
}

function keyRing(config: WebhookPolicy): SecretKeyRing {
  if (!config.WEBHOOK_SECRET_KEY)
    throw new ProblemError('service-unavailable', 'Webhook endpoints need WEBHOOK_SECRET_KEY, which this server lacks');
  return config.WEBHOOK_SECRET_KEY;
}

/**
 * What can be told from the URL alone: https unless plain http is allowed, and no address webhooks
 * are never sent to when it is written as one. The webhooks function checks the address again on the
 * socket it connects, after DNS, so a name that resolves to a private address is refused there.
 */
function checkUrl(config: WebhookPolicy, url: string): void {
  const parsed = new URL(url);
  const invalid = (message: string) =>
    new ProblemError('invalid-request', `body url: ${message}`, { errors: [{ in: 'body', path: 'url', message }] });
  if (parsed.protocol !== 'https:' && !config.WEBHOOK_ALLOW_HTTP) throw invalid('must be https');
  if (parsed.username !== '' || parsed.password !== '') throw invalid('must not carry credentials');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const refusal = isIP(host) === 0 ? null : addressRefusal(host, allowedRanges(config.WEBHOOK_ALLOW_PRIVATE));
  if (refusal) throw invalid(refusal);
}
