import { Prisma, type WebhookEndpoint } from '../../../prisma/generated/client';
import type { Db, Tx } from '../../../shared/db';

/** How long the sweep leaves a message it handed out before handing it out again. */
const HANDED_OUT = "interval '2 minutes'";

type NewMessage = { merchantId: string; eventId: string; eventType: string; body: string };

/**
 * One message per live endpoint that `endpoints` selects, each recorded once per event (a repeat
 * inserts nothing). Due for the sweep in 2 minutes: the caller hands each out now.
 */
function insertFor(tx: Tx, endpoints: Prisma.Sql, message: NewMessage): Promise<{ id: string; endpointId: string }[]> {
  return tx.$queryRaw`
    INSERT INTO webhook_messages (id, endpoint_id, merchant_id, event_id, event_type, body, next_attempt_at)
    SELECT gen_random_uuid(), e.id, e.merchant_id, ${message.eventId}, ${message.eventType}, ${message.body},
           now() + ${Prisma.raw(HANDED_OUT)}
    FROM webhook_endpoints e
    WHERE ${endpoints} AND e.merchant_id = ${message.merchantId}::uuid AND e.deleted_at IS NULL
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
    RETURNING id::text, endpoint_id::text AS "endpointId"`;
}

/** A domain event's messages: one per enabled endpoint of the merchant that subscribes to its type. */
export function insertMessages(tx: Tx, message: NewMessage): Promise<{ id: string; endpointId: string }[]> {
  return insertFor(
    tx,
    Prisma.sql`e.enabled AND (cardinality(e.event_types) = 0 OR e.event_types IS NULL
                              OR ${message.eventType} = ANY (e.event_types))`,
    message,
  );
}

/**
 * Pending messages due now and not held by an attempt (`scope`: further conditions), oldest first,
 * marked handed out: the statement for the sweep, and a part of recordOutcome's.
 */
export const takeDue = (scope: Prisma.Sql, limit: number) => Prisma.sql`
  UPDATE webhook_messages SET next_attempt_at = now() + ${Prisma.raw(HANDED_OUT)}
  WHERE id IN (SELECT id FROM webhook_messages
               WHERE ${scope} AND status = 'Pending' AND next_attempt_at <= now()
                 AND (leased_until IS NULL OR leased_until < now())
               ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
  RETURNING id::text, endpoint_id::text AS "endpointId", merchant_id::text AS "merchantId"`;

export type DueMessage = { id: string; endpointId: string; merchantId: string };

/** Messages due (retries, those an attempt left when its process died, those waiting for a turn). */
export function takeDueMessages(tx: Tx, limit: number): Promise<DueMessage[]> {
  return tx.$queryRaw(takeDue(Prisma.sql`true`, limit));
}

/** A leased message and what an attempt needs of its endpoint. */
export interface ClaimedMessage {
  id: string;
  endpointId: string;
  merchantId: string;
  eventId: string;
  eventType: string;
  body: string;
  attempts: number;
  endpoint: Pick<
    WebhookEndpoint,
    | 'url'
    | 'secretKeyId'
    | 'secretCiphertext'
    | 'previousSecretKeyId'
    | 'previousSecretCiphertext'
    | 'previousSecretUntil'
  >;
}

/**
 * Leases a pending message for one attempt, when its endpoint is enabled and has fewer than `cap`
 * attempts in flight, in one round trip (the claim_webhook_message function, migration
 * 20261203094028: it locks the endpoint's row so concurrent claims count each other's leases). Null
 * otherwise: already delivered or failed, held by another attempt, its endpoint disabled, or busy:
 * then the message is due now and waits for its turn (takeNextInTurn hands it out when an attempt
 * finishes; cron's sweep if none does).
 */
export async function claimMessage(db: Db, id: string, cap: number, leaseMs: number): Promise<ClaimedMessage | null> {
  const [row] = await db.$queryRaw<(Omit<ClaimedMessage, 'endpoint'> & ClaimedMessage['endpoint'])[]>`
    SELECT m.id::text, m.endpoint_id::text AS "endpointId", m.merchant_id::text AS "merchantId", m.event_id AS "eventId",
           m.event_type AS "eventType", m.body, m.attempts, e.url, e.secret_key_id AS "secretKeyId",
           e.secret_ciphertext AS "secretCiphertext", e.previous_secret_key_id AS "previousSecretKeyId",
           e.previous_secret_ciphertext AS "previousSecretCiphertext", e.previous_secret_until AS "previousSecretUntil"
    FROM claim_webhook_message(${id}::uuid, ${cap}::int, ${leaseMs / 1000}::float8) m
    JOIN webhook_endpoints e ON e.id = m.endpoint_id`;
  if (!row) return null;
  const {
    url,
    secretKeyId,
    secretCiphertext,
    previousSecretKeyId,
    previousSecretCiphertext,
    previousSecretUntil,
    ...message
  } = row;
  return {
    ...message,
    endpoint: {
      url,
      secretKeyId,
      secretCiphertext,
      previousSecretKeyId,
      previousSecretCiphertext,
      previousSecretUntil,
    },
  };
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
  message: NewMessage & { endpointId: string },
): Promise<{ id: string; endpointId: string }[]> {
  return insertFor(tx, Prisma.sql`e.id = ${message.endpointId}::uuid`, message);
}
