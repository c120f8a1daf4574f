import { open } from '../../../shared/crypto/secret-box';
import type { Emit, Tx } from '../../../shared/db';
import type { HandlerContext } from '../../../shared/runtime';
import type { WebhooksConfig } from '../config';
import { disableEndpoint, failingSince } from '../queries/endpoints';
import { claimMessage, type ClaimedMessage } from '../queries/messages';
import { recordOutcome } from '../queries/outcomes';
import { handOut } from '../messages/hand-out';
import { judge, type Outcome } from './outcome';
import { sendWebhook, type SendResult } from './send';
import { deliverySetup } from './setup';
import { signedHeaders } from './sign';

/** An endpoint failing every message for this long is disabled, and the merchant told. */
const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/**
 * One attempt of one message: leased (so no other process sends it meanwhile, and a process killed
 * mid-attempt lets it go when the lease ends), sent with no transaction open, then its outcome
 * recorded in one short transaction with the events others must hear.
 */
export async function deliverMessage(messageId: string, context: HandlerContext): Promise<void> {
  const { config, client, allowed } = deliverySetup(context.db);
  const leaseMs = config.WEBHOOK_TIMEOUT_MS + 30_000;
  const message = await claimMessage(context.db, messageId, config.WEBHOOK_MAX_IN_FLIGHT, leaseMs);
  if (!message) return;
  const at = new Date();
  const headers = signedHeaders(message.id, message.body, secretsOf(message, config, at), at);
  const result = await sendWebhook(
    client,
    allowed,
    message.endpoint.url,
    headers,
    message.body,
    config.WEBHOOK_TIMEOUT_MS,
  );
  const outcome = judge(result, message.attempts, at, Math.random());
  await context.transaction((tx, emit) => record(tx, emit, message, result, outcome, at));
  context.log.info(
    {
      messageId,
      endpointId: message.endpointId,
      attempt: message.attempts,
      status: result.status,
      outcome: outcome.kind,
    },
    'webhook attempted',
  );
}

/** The current secret, and the previous one while its overlap lasts. */
function secretsOf(message: ClaimedMessage, config: WebhooksConfig, at: Date): string[] {
  const ring = config.WEBHOOK_SECRET_KEY;
  if (!ring) throw new Error('WEBHOOK_SECRET_KEY is not set: endpoint secrets cannot be opened');
  const { endpoint } = message;
  const current = open(ring, { keyId: endpoint.secretKeyId, ciphertext: endpoint.secretCiphertext });
  const previous =
    endpoint.previousSecretKeyId &&
    endpoint.previousSecretCiphertext &&
    endpoint.previousSecretUntil &&
    endpoint.previousSecretUntil > at
      ? [open(ring, { keyId: endpoint.previousSecretKeyId, ciphertext: endpoint.previousSecretCiphertext })]
      : [];
  return [current, ...previous];
}

async function record(tx: Tx, emit: Emit, message: ClaimedMessage, result: SendResult, outcome: Outcome, at: Date) {
  const next = outcome.kind === 'retry' ? outcome.at : null;
  const error = result.error ?? (outcome.kind === 'delivered' ? null : `answered ${String(result.status)}`);
  const recorded = await recordOutcome(tx, {
    messageId: message.id,
    endpointId: message.endpointId,
    at,
    statusCode: result.status,
    durationMs: result.durationMs,
    error,
    responseBody: result.body,
    status: outcome.kind === 'delivered' ? 'Delivered' : next ? 'Pending' : 'Failed',
    nextAttemptAt: next,
    passTurn: outcome.kind !== 'gone',
  });
  for (const waiting of recorded.next) handOut(emit, waiting.merchantId, [waiting]);
  const ref = {
    deliveryId: message.id,
    endpointId: message.endpointId,
    merchantId: message.merchantId,
    eventId: message.eventId,
    eventType: message.eventType,
    attempt: message.attempts,
  };
  const endpointRef = { endpointId: message.endpointId, merchantId: message.merchantId, url: message.endpoint.url };
  if (outcome.kind === 'delivered') {
    emit('io.knpay.webhook.delivery.succeeded.v1', message.id, {
      ...ref,
      httpStatus: result.status ?? 200,
      durationMs: result.durationMs,
    });
    if (recorded.recovered) emit('io.knpay.webhook.endpoint.recovered.v1', message.endpointId, endpointRef);
    return;
  }
  emit('io.knpay.webhook.delivery.failed.v1', message.id, {
    ...ref,
    httpStatus: result.status,
    error: error ?? '',
    nextAttemptAt: next?.toISOString() ?? null,
  });
  const reason =
    outcome.kind === 'gone' ? 'the endpoint answered 410 Gone' : await failingTooLong(tx, message.endpointId, at);
  if (reason && (await disableEndpoint(tx, message.endpointId, reason)))
    emit('io.knpay.webhook.endpoint.disabled.v1', message.endpointId, { ...endpointRef, reason });
}

async function failingTooLong(tx: Tx, endpointId: string, at: Date): Promise<string | null> {
  const since = await failingSince(tx, endpointId);
  if (!since || at.getTime() - since.getTime() < DISABLE_AFTER_MS) return null;
  return `every attempt has failed since ${since.toISOString()}`;
}
