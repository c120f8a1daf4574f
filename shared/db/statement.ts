import type { DomainEvent } from '../events';
import { empty, sql, type Sql } from '@prisma/client-runtime-utils';
import type { Db } from './client';
import { outboxInsert, wakeRelay } from './outbox';
import { collectEmits, type Emit, type HandledEvent, type TransactionRunnerOptions } from './transaction';

/**
 * The work of a handler written as one data-modifying SQL statement (INSERT, UPDATE or DELETE, with no
 * RETURNING of its own), gated on `isNew`: an SQL condition true only when this delivery wrote the
 * event's inbox row (a statement that does not use it is refused). It may also emit events; undefined
 * means the events are the whole work.
 */
export type StatementWork = (isNew: Sql, emit: Emit) => Sql | undefined;

/** True only when this delivery wrote the inbox row (the statement's `inbox` CTE). */
const IS_NEW = sql`EXISTS (SELECT FROM inbox)`;

export type StatementOutcome =
  | { duplicate: true }
  /** The event failed its `admit` condition: nothing was written, not even its inbox row. */
  | { duplicate: false; admitted: false }
  | { duplicate: false; admitted: true; rowCount: number; emitted: DomainEvent[] };

/**
 * Builds `inStatement(event, consumer, work)`: what inTransaction does (inbox row, work, outbox rows,
 * all or nothing, a redelivery skipped) for work that fits one statement, sent as one statement.
 * No BEGIN, no COMMIT, no interactive transaction: one round trip instead of four or more, on the hot
 * path of every delivery (bench/e2e). Data-modifying CTEs see one snapshot, so the work cannot read
 * the inbox row; it is gated on it instead. A concurrent duplicate waits on the inbox's primary key,
 * then writes nothing. Sent on the pool as it is (db.sql): Prisma's query compiler would only wrap it
 * in a plan that says to send it, for ~0.1 ms of CPU per event and ~25 ms to load on a cold start.
 */
export function createStatementRunner(db: Db, { source }: Pick<TransactionRunnerOptions, 'source'>) {
  /**
   * `admit`, when given, is an SQL condition on what the database holds that the event's claims must
   * meet (a handler re-checking what it can): when false, the statement writes nothing, so the event
   * can be refused (dead-lettered) and, once the cause is fixed, replayed as new.
   */
  return async function inStatement(
    event: HandledEvent,
    consumer: string,
    work: StatementWork,
    admit: Sql = sql`TRUE`,
  ): Promise<StatementOutcome> {
    const { emit, emitted } = collectEmits(source, event.traceparent);
    const statement = work(IS_NEW, emit);
    // Ungated work would run again on every redelivery: a handler's bug, refused before it can do that.
    if (statement && !statement.sql.includes(IS_NEW.sql))
      throw new Error('inStatement: the work statement must be gated on isNew');
    const [row] = await db.sql.query<{ new: boolean; admitted: boolean | null; rowCount: number }>(sql`
      WITH admitted AS (SELECT (${admit}) AS yes),
      inbox AS (
        INSERT INTO inbox_events (consumer, source, event_id, type)
        SELECT ${consumer}, ${event.source}, ${event.id}, ${event.type} FROM admitted WHERE admitted.yes
        ON CONFLICT DO NOTHING
        RETURNING 1
      ),
      work AS (${statement ?? sql`SELECT WHERE FALSE`}${statement ? sql` RETURNING 1` : empty}),
      outbox AS (${emitted.length > 0 ? outboxInsert(emitted, IS_NEW) : sql`SELECT WHERE FALSE`})
      SELECT ${IS_NEW} AS new, (SELECT yes FROM admitted) AS admitted, (SELECT count(*)::int FROM work) AS "rowCount"${emitted.length > 0 ? sql`, ${wakeRelay}::text AS woken` : empty}`);
    if (row?.admitted !== true) return { duplicate: false, admitted: false };
    if (!row.new) return { duplicate: true };
    return { duplicate: false, admitted: true, rowCount: row.rowCount, emitted };
  };
}

export type InStatement = ReturnType<typeof createStatementRunner>;
