import { Prisma, type WebhookEndpoint, type WebhookMessage } from '../../../prisma/generated/client';
import type { Db, Tx } from '../../../shared/db';

/** How long the sweep leaves a message it handed out before handing it out again. */
const HANDED_OUT = "interval '2 minutes'";

/**
 * One message per enabled, subscribed endpoint of the merchant, each recorded once per event (a
 * redelivered event inserts nothing). Due for the sweep in 2 minutes: the caller hands each out now.
 */
export function insertMessages(
  tx: Tx,
  message: { merchantId: string; eventId: string; eventType: string; body: string },
): Promise<{ id: string; endpointId: string }[]> {
  return tx.$queryRawUnsafe<{ id: string; endpointId: string }[]>(
    `INSERT INTO webhook_messages (id, endpoint_id, merchant_id, event_id, event_type, body, next_attempt_at)
     SELECT gen_random_uuid(), e.id, e.merchant_id, $2, $3, $4, now() + ${HANDED_OUT}
     FROM webhook_endpoints e
     WHERE e.merchant_id = $1::uuid AND e.enabled AND e.deleted_at IS NULL
       AND (cardinality(e.event_types) = 0 OR e.event_types IS NULL OR $3 = ANY (e.event_types))
     ON CONFLICT (endpoint_id, event_id) DO NOTHING
     RETURNING id::text, endpoint_id::text AS "endpointId"`,
    message.merchantId,
    message.eventId,
    message.eventType,
    message.body,
  );
}

/** Pending messages due now and not held by an attempt (`scope`: further conditions), marked handed out. */
const takeDue = (scope: string) =>
  `UPDATE webhook_messages SET next_attempt_at = now() + ${HANDED_OUT}
   WHERE id IN (SELECT id FROM webhook_messages
                WHERE ${scope} AND status = 'Pending' AND next_attempt_at <= now()
                  AND (leased_until IS NULL OR leased_until < now())
                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
   RETURNING id::text, endpoint_id::text AS "endpointId", merchant_id::text AS "merchantId"`;

type DueMessage = { id: string; endpointId: string; merchantId: string };

/** Messages due (retries, those an attempt left when its process died, those waiting for a turn). */
export function takeDueMessages(tx: Tx, limit: number): Promise<DueMessage[]> {
  return tx.$queryRawUnsafe(takeDue('true'), limit);
}

/**
 * The endpoint's oldest due message: an attempt that frees a slot passes it on, so a backlog for one
 * endpoint drains at its own pace without waiting for cron's sweep.
 */
export function takeNextInTurn(tx: Tx, endpointId: string): Promise<DueMessage[]> {
  return tx.$queryRawUnsafe(takeDue('endpoint_id = $2::uuid'), 1, endpointId);
}

export type ClaimedMessage = WebhookMessage & { endpoint: WebhookEndpoint };

/**
 * Leases a pending message for one attempt, when its endpoint is enabled and has fewer than `cap`
 * attempts in flight. The endpoint's row is locked first, so concurrent claims count each other's
 * leases (a count in one statement would see none of them). Null otherwise: already delivered or
 * failed, held by another attempt, its endpoint disabled, or busy: then the message is due now and
 * waits for its turn (takeNextInTurn hands it out when an attempt finishes; cron's sweep if none does).
 */
export function claimMessage(db: Db, id: string, cap: number, leaseMs: number): Promise<ClaimedMessage | null> {
  return db.$transaction(async (tx) => {
    const [endpoint] = await tx.$queryRaw<{ id: string }[]>`
      SELECT e.id::text FROM webhook_endpoints e JOIN webhook_messages m ON m.endpoint_id = e.id
      WHERE m.id = ${id}::uuid AND e.enabled AND e.deleted_at IS NULL
      FOR NO KEY UPDATE OF e`;
    if (!endpoint) return null;
    const claimable = Prisma.sql`m.id = ${id}::uuid AND m.status = 'Pending'
      AND (m.leased_until IS NULL OR m.leased_until < now())`;
    const [claimed] = await tx.$queryRaw<{ id: string }[]>`
      UPDATE webhook_messages m SET leased_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = m.attempts + 1
      WHERE ${claimable}
        AND (SELECT count(*) FROM webhook_messages busy
             WHERE busy.endpoint_id = ${endpoint.id}::uuid AND busy.leased_until > now()) < ${cap}
      RETURNING m.id::text`;
    if (claimed) return tx.webhookMessage.findUnique({ where: { id }, include: { endpoint: true } });
    await tx.$executeRaw`UPDATE webhook_messages m SET next_attempt_at = now() WHERE ${claimable} AND m.next_attempt_at > now()`;
    return null;
  });
}

export function recordAttempt(
  tx: Tx,
  attempt: {
    messageId: string;
    at: Date;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    responseBody: string;
  },
): Promise<unknown> {
  return tx.webhookAttempt.create({
    data: {
      messageId: attempt.messageId,
      attemptedAt: attempt.at,
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
      error: attempt.error,
      responseBody: attempt.responseBody.replace(/\0/g, ''),
    },
  });
}

export function markDelivered(tx: Tx, id: string, at: Date): Promise<unknown> {
  return tx.webhookMessage.update({
    where: { id },
    data: { status: 'Delivered', deliveredAt: at, nextAttemptAt: null, leasedUntil: null },
  });
}

/** Pending again at `next`, or Failed for good when there is none. */
export function markFailed(tx: Tx, id: string, next: Date | null): Promise<unknown> {
  return tx.webhookMessage.update({
    where: { id },
    data: { status: next ? 'Pending' : 'Failed', nextAttemptAt: next, leasedUntil: null },
  });
}

/** A new attempt of the merchant's message, now: Pending again, whatever it was. */
export function reopenMessage(tx: Tx, merchantId: string, id: string): Promise<{ id: string; endpointId: string }[]> {
  return tx.$queryRawUnsafe(
    `UPDATE webhook_messages SET status = 'Pending', next_attempt_at = now() + ${HANDED_OUT}
     WHERE id = $1::uuid AND merchant_id = $2::uuid
     RETURNING id::text, endpoint_id::text AS "endpointId"`,
    id,
    merchantId,
  );
}

/** The endpoint's failed messages created in [since, until), Pending again now. */
export function reopenFailed(
  tx: Tx,
  filter: { merchantId: string; endpointId: string; since: Date; until: Date | null },
): Promise<{ id: string; endpointId: string }[]> {
  return tx.$queryRawUnsafe(
    `UPDATE webhook_messages SET status = 'Pending', next_attempt_at = now() + ${HANDED_OUT}
     WHERE endpoint_id = $1::uuid AND merchant_id = $2::uuid AND status = 'Failed'
       AND created_at >= $3 AND ($4::timestamptz IS NULL OR created_at < $4)
     RETURNING id::text, endpoint_id::text AS "endpointId"`,
    filter.endpointId,
    filter.merchantId,
    filter.since,
    filter.until,
  );
}

/** A message for one endpoint whatever it subscribes to (a ping), recorded once per command. */
export function insertMessageFor(
  tx: Tx,
  message: { endpointId: string; merchantId: string; eventId: string; eventType: string; body: string },
): Promise<{ id: string; endpointId: string }[]> {
  return tx.$queryRawUnsafe(
    `INSERT INTO webhook_messages (id, endpoint_id, merchant_id, event_id, event_type, body, next_attempt_at)
     SELECT gen_random_uuid(), e.id, e.merchant_id, $3, $4, $5, now() + ${HANDED_OUT}
     FROM webhook_endpoints e WHERE e.id = $1::uuid AND e.merchant_id = $2::uuid AND e.deleted_at IS NULL
     ON CONFLICT (endpoint_id, event_id) DO NOTHING
     RETURNING id::text, endpoint_id::text AS "endpointId"`,
    message.endpointId,
    message.merchantId,
    message.eventId,
    message.eventType,
    message.body,
  );
}
