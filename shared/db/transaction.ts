import { createEvent, type DomainEvent, type EventData, type PublishedEventType } from '../events';
import type { Prisma } from '../../prisma/generated/client';
import type { Db } from './client';
import { outboxInsert, wakeRelay } from './outbox';

export type Tx = Prisma.TransactionClient;

/** The identity of a handled event: Knative names an event by (source, id). */
export interface HandledEvent {
  id: string;
  source: string;
  type: string;
  traceparent?: string;
}

/** Queues an event for the outbox, written when (and only if) the transaction commits. */
export type Emit = <T extends PublishedEventType>(type: T, subject: string, data: EventData<T>) => DomainEvent<T>;

export type TransactionWork<R> = (tx: Tx, emit: Emit) => Promise<R> | R;

export type TransactionOutcome<R> = { duplicate: true } | { duplicate: false; result: R; emitted: DomainEvent[] };

export interface TransactionRunnerOptions {
  /** The CloudEvents `source` of the events emitted: the function's name. */
  source: string;
  timeoutMs: number;
}

/**
 * Builds `inTransaction(event, consumer, work)`: one transaction that records the event in the
 * consumer's inbox, runs the work, and writes what the work emits to the outbox. An event id the
 * consumer has already handled is skipped and reported as a duplicate, so a redelivery has no second
 * effect; two concurrent deliveries serialise on the inbox's primary key.
 */
export function createTransactionRunner(db: Db, options: TransactionRunnerOptions) {
  return async function inTransaction<R>(
    event: HandledEvent,
    consumer: string,
    work: TransactionWork<R>,
  ): Promise<TransactionOutcome<R>> {
    return db.$transaction(async (tx): Promise<TransactionOutcome<R>> => {
      const inserted = await tx.$executeRaw`
          INSERT INTO inbox_events (consumer, source, event_id, type)
          VALUES (${consumer}, ${event.source}, ${event.id}, ${event.type})
          ON CONFLICT DO NOTHING`;
      if (inserted === 0) return { duplicate: true };
      return { duplicate: false, ...(await workWithOutbox(tx, work, options.source, event.traceparent)) };
    }, transactionOptions(options.timeoutMs));
  };
}

export type InTransaction = ReturnType<typeof createTransactionRunner>;

/**
 * Builds `transaction(work)`: one transaction that runs the work and writes what it emits to the
 * outbox, with no inbox. For work no event triggered (an HTTP request) or work that is idempotent by
 * construction (a chain scan, which only records what is not recorded yet).
 */
export function createOutboxTransaction(db: Db, options: TransactionRunnerOptions) {
  return async function transaction<R>(work: TransactionWork<R>, traceparent?: string): Promise<WorkOutcome<R>> {
    return db.$transaction(
      (tx) => workWithOutbox(tx, work, options.source, traceparent),
      transactionOptions(options.timeoutMs),
    );
  };
}

export type OutboxTransaction = ReturnType<typeof createOutboxTransaction>;

export interface WorkOutcome<R> {
  result: R;
  emitted: DomainEvent[];
}

async function workWithOutbox<R>(
  tx: Tx,
  work: TransactionWork<R>,
  source: string,
  traceparent: string | undefined,
): Promise<WorkOutcome<R>> {
  const { emit, emitted } = collectEmits(source, traceparent);
  const result = await work(tx, emit);
  if (emitted.length > 0) await writeOutbox(tx, emitted);
  return { result, emitted };
}

/** An `emit` that creates each event (with this function as its source) and keeps it, in order. */
export function collectEmits(source: string, traceparent: string | undefined): { emit: Emit; emitted: DomainEvent[] } {
  const emitted: DomainEvent[] = [];
  const emit: Emit = (type, subject, data) => {
    const created = createEvent(type, { source, subject, data, traceparent });
    emitted.push(created);
    return created;
  };
  return { emit, emitted };
}

/**
 * No isolationLevel: Prisma would send SET TRANSACTION after BEGIN, a round trip per transaction.
 * Every connection starts in READ COMMITTED instead (createDb sets it at connect).
 */
function transactionOptions(timeoutMs: number) {
  return { timeout: timeoutMs, maxWait: timeoutMs };
}

async function writeOutbox(tx: Tx, events: DomainEvent[]): Promise<void> {
  await tx.$executeRaw`WITH written AS (${outboxInsert(events)}) SELECT ${wakeRelay}`;
}
