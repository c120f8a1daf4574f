import type { CloudEvent } from 'cloudevents';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type {
  Db,
  OutboxTransaction,
  StatementOutcome,
  StatementWork,
  TransactionOutcome,
  TransactionWork,
  WorkOutcome,
} from '../db';
import type { DomainEvent, EventType } from '../events';
import type { RuntimeConfig } from '../config';
import type { Sql } from '@prisma/client-runtime-utils';

/** What a handler is given besides its event. */
export interface HandlerContext {
  log: Logger;
  db: Db;
  /** Aborted when the handler's time is up or the process is shutting down. */
  signal: AbortSignal;
  /** shared/db's inTransaction, with this function as the consumer and the source of what it emits. */
  inTransaction<R>(event: DomainEvent, work: TransactionWork<R>): Promise<TransactionOutcome<R>>;
  /** inTransaction for work that is one SQL statement, sent as one statement: shared/db's inStatement. */
  inStatement(event: DomainEvent, work: StatementWork, admit?: Sql): Promise<StatementOutcome>;
  /** A transaction with the outbox and no inbox, for work that is idempotent by construction. */
  transaction<R>(work: TransactionWork<R>): Promise<WorkOutcome<R>>;
}

/** Reply events, or nothing. A KafkaSource discards replies: what others must hear goes through the outbox. */
export type Replies = void | CloudEvent<unknown>[];

/** A handler of one catalog event type. */
export type EventHandler<T extends EventType> = (event: DomainEvent<T>, context: HandlerContext) => Promise<Replies>;

export type HandlerTable = { [T in EventType]?: EventHandler<T> };

/** A function's `handle`: takes any CloudEvent; throws a ProblemError for one it cannot handle. */
export type Handle = ((event: CloudEvent<unknown>, context: HandlerContext) => Promise<Replies>) & {
  /** The event types it consumes, for its README, metrics labels and the Knative manifests. */
  readonly types: readonly EventType[];
  /** Throws the ProblemError `handle` would throw for an event it can never handle, without handling it. */
  check(event: CloudEvent<unknown>): void;
};

/** What plain HTTP routes and `init` are given. */
export interface ServiceContext {
  name: string;
  log: Logger;
  db: Db;
  config: RuntimeConfig;
  /** The environment, for a function's own config schema (loaded in `init`). */
  env: NodeJS.ProcessEnv;
  /** A transaction whose emitted events go to the outbox, with this function as their source. */
  transaction: OutboxTransaction;
}

/**
 * The shape of functions/<name>/index.ts, after Knative's Node.js function runtime: a required
 * `handle`, plus optional HTTP routes and lifecycle hooks.
 */
export interface FunctionModule {
  handle: Handle;
  routes?: (context: ServiceContext) => Router;
  init?: (context: ServiceContext) => Promise<void>;
  shutdown?: () => Promise<void>;
}
