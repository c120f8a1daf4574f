import { Prisma } from '../../../prisma/generated/client';
import type { Tx } from '../../../shared/db';
import { takeDue, type DueMessage } from './messages';

export interface AttemptOutcome {
  messageId: string;
  endpointId: string;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The first 1 KiB of the answer. */
  responseBody: string;
  /** Delivered; Pending again at `nextAttemptAt`; or Failed for good. */
  status: 'Delivered' | 'Pending' | 'Failed';
  nextAttemptAt: Date | null;
  /** Whether this attempt frees a turn for the endpoint's next waiting message (not when it is gone). */
  passTurn: boolean;
}

/**
 * An attempt's outcome in one statement, the hot path of every delivery: the attempt in the log, the
 * message's new state, the end of the endpoint's awaited recovery when delivered (true once), and the
 * endpoint's next message waiting for a turn, handed out (the caller emits its command). The parts
 * see one snapshot, in which this message is still leased: the turn goes to another.
 */
export async function recordOutcome(tx: Tx, o: AttemptOutcome): Promise<{ recovered: boolean; next: DueMessage[] }> {
  const delivered = o.status === 'Delivered';
  const [row] = await tx.$queryRaw<{ recovered: boolean; next: DueMessage[] | null }[]>`
    WITH attempt AS (
      INSERT INTO webhook_attempts (message_id, attempted_at, status_code, duration_ms, error, response_body)
      VALUES (${o.messageId}::uuid, ${o.at}, ${o.statusCode}::int, ${o.durationMs}::int, ${o.error}, ${o.responseBody.replace(/\0/g, '')})
    ),
    message AS (
      UPDATE webhook_messages
      SET status = ${o.status}::webhook_message_status, next_attempt_at = ${o.nextAttemptAt}::timestamptz,
          delivered_at = ${delivered ? o.at : null}::timestamptz, leased_until = NULL
      WHERE id = ${o.messageId}::uuid
    ),
    recovered AS (
      UPDATE webhook_endpoints SET awaiting_recovery = false
      WHERE ${delivered} AND id = ${o.endpointId}::uuid AND awaiting_recovery
      RETURNING id
    ),
    next AS (${o.passTurn ? takeDue(Prisma.sql`endpoint_id = ${o.endpointId}::uuid`, 1) : Prisma.sql`SELECT NULL::text AS id, NULL::text AS "endpointId", NULL::text AS "merchantId" WHERE false`})
    SELECT EXISTS (SELECT 1 FROM recovered) AS recovered,
           (SELECT json_agg(json_build_object('id', id, 'endpointId', "endpointId", 'merchantId', "merchantId")) FROM next) AS next`;
  return { recovered: row?.recovered ?? false, next: row?.next ?? [] };
}
