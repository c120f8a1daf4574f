import { Prisma } from '../../../prisma/generated/client';
import type { Tx } from '../../../shared/db';
import { IDEMPOTENCY_KEY_LIFETIME } from '../../../shared/db/idempotency-keys';

/**
 * At most this many rows per tick: a backlog (a first run over months of history) is worked off over
 * several ticks, each a short transaction, instead of one that holds locks and bloats the WAL at once.
 */
export const PRUNE_BATCH = 20_000;

/** Event-log rows received more than `days` days ago; how many went. */
export function pruneEventLog(tx: Tx, days: number): Promise<number> {
  return tx.$executeRaw`
    DELETE FROM event_log WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM event_log WHERE received_at < now() - make_interval(days => ${days}) LIMIT ${PRUNE_BATCH}))`;
}

/** Idempotency-Keys past their lifetime; a reuse after it is a new request anyway. */
export function expireIdempotencyKeys(tx: Tx): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM idempotency_keys WHERE created_at < now() - ${IDEMPOTENCY_KEY_LIFETIME} LIMIT ${PRUNE_BATCH}))`);
}
