export { createDb, pingDb, type Db, type DbOptions } from './client';
export {
  createTransactionRunner,
  type Emit,
  type HandledEvent,
  type InTransaction,
  type TransactionOutcome,
  type TransactionWork,
  type Tx,
} from './transaction';
