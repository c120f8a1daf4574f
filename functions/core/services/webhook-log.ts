import { createEvent } from '../../../shared/events';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { ListMessagesQuery } from '../api/webhook-schemas';
import { findEndpoint } from '../queries/webhook-endpoints';
import { listAttempts, listMessages, ownedEndpoint, ownedMessage, sendCommand } from '../queries/webhook-log';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { attemptOf, messageOf } from '../../../shared/webhooks/delivery-log';

export interface WebhookLogDeps {
  db: Db;
  /** The CloudEvents source of the commands it sends: the function's name. */
  source: string;
}

export async function messagesPage(
  deps: WebhookLogDeps,
  merchantId: string,
  endpointId: string,
  query: ListMessagesQuery,
) {
  if (!(await findEndpoint(deps.db, merchantId, endpointId)))
    throw new ProblemError('not-found', `No webhook endpoint ${endpointId}`);
  const rows = await listMessages(deps.db, {
    merchantId,
    endpointId,
    status: query.status,
    eventType: query.eventType,
    after: decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit, messageOf);
}

export async function attemptsOf(deps: WebhookLogDeps, merchantId: string, messageId: string) {
  const attempts = await listAttempts(deps.db, merchantId, messageId);
  if (!attempts) throw new ProblemError('not-found', `No webhook message ${messageId}`);
  return { data: attempts.map(attemptOf) };
}

/** A new attempt of one message, with the same webhook-id, whatever its status. */
export async function redeliver(deps: WebhookLogDeps, merchantId: string, messageId: string) {
  const command = createEvent('io.knpay.webhook.redelivery.requested.v1', {
    source: deps.source,
    subject: messageId,
    data: { messageId, merchantId },
  });
  if (!(await sendCommand(deps.db, command, ownedMessage(merchantId, messageId))))
    throw new ProblemError('not-found', `No webhook message ${messageId}`);
  return { accepted: true as const, detail: `message ${messageId} will be attempted again` };
}

/** Every failed message of the endpoint created in [since, until), attempted again (Svix's recover). */
export async function recover(
  deps: WebhookLogDeps,
  merchantId: string,
  endpointId: string,
  since: string,
  until?: string,
) {
  const command = createEvent('io.knpay.webhook.recovery.requested.v1', {
    source: deps.source,
    subject: endpointId,
    data: { endpointId, merchantId, since, until: until ?? null },
  });
  if (!(await sendCommand(deps.db, command, ownedEndpoint(merchantId, endpointId))))
    throw new ProblemError('not-found', `No webhook endpoint ${endpointId}`);
  return { accepted: true as const, detail: `failed messages since ${since} will be attempted again` };
}

/** A `ping` message to the endpoint now, whatever it subscribes to. */
export async function ping(deps: WebhookLogDeps, merchantId: string, endpointId: string) {
  const command = createEvent('io.knpay.webhook.ping.requested.v1', {
    source: deps.source,
    subject: endpointId,
    data: { endpointId, merchantId },
  });
  if (!(await sendCommand(deps.db, command, ownedEndpoint(merchantId, endpointId))))
    throw new ProblemError('not-found', `No webhook endpoint ${endpointId}`);
  return { accepted: true as const, detail: 'a ping message is on its way' };
}
