export { closeDb, createDb, pingDb, type Db, type DbOptions, type SqlRunner } from './client';
export { toBigInt } from './decimal';
export { outboxInsert, wakeRelay } from './outbox';
export { createStatementRunner, type InStatement, type StatementOutcome, type StatementWork } from './statement';
export {
  createOutboxTransaction,
  createTransactionRunner,
  type Emit,
  type HandledEvent,
  type InTransaction,
  type OutboxTransaction,
  type TransactionOutcome,
  type TransactionWork,
  type Tx,
  type WorkOutcome,
} from './transaction';
