import type { Logger } from 'pino';
import type { Emit, Tx, WorkOutcome, TransactionWork } from '../../../shared/db';
import { reevaluateInvoices } from '../invoices/apply';
import type { PaymentConfig } from '../config';
import { forgetBlocksAfter, lastScannedBlock, lockChain, recordBlocks } from '../queries/blocks';
import { invoicesDueByTime } from '../queries/invoices';
import { countConfirmations, markReorged } from '../queries/payments';
import type { ChainReader } from './chain-reader';
import { findForkPoint } from './fork';
import { readRange, recordPayments } from './read-range';

export interface ScanDeps {
  reader: ChainReader;
  config: PaymentConfig;
  log: Logger;
  transaction<R>(work: TransactionWork<R>): Promise<WorkOutcome<R>>;
  now?: () => Date;
}

export interface RoundReport {
  from: string;
  to: string;
  head: string;
  payments: number;
  reorgedTo: string | null;
  caughtUp: boolean;
}

/** Rounds before a scan stops and leaves the rest to the next block or tick. */
const MAX_ROUNDS = 20;

/**
 * Scans the chain from its checkpoint to the head, one transaction per batch of blocks, each holding
 * the chain's advisory lock: a second scan at once waits and then finds the work done. Every round
 * is idempotent (payments, blocks and ledger-facing events are recorded once), so a scan may be
 * requested any number of times.
 */
export async function scanChain(deps: ScanDeps): Promise<RoundReport[]> {
  const reports: RoundReport[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { result } = await deps.transaction((tx, emit) => scanRound(tx, emit, deps));
    reports.push(result);
    if (result.caughtUp) break;
  }
  return reports;
}

async function scanRound(tx: Tx, emit: Emit, deps: ScanDeps): Promise<RoundReport> {
  const { config, reader } = deps;
  const chainId = config.CHAIN_ID;
  const now = deps.now?.() ?? new Date();
  await lockChain(tx, chainId);
  const head = await reader.head();
  const touched = new Set<string>();

  const last = await lastScannedBlock(tx, chainId);
  // The first scan starts a little below the head; later ones at the newest block still on the chain.
  const checkpoint = last
    ? await findForkPoint(tx, reader, chainId, last.number, config.REORG_WINDOW_BLOCKS)
    : maxBig(-1n, head - BigInt(config.SCAN_LOOKBACK_BLOCKS));
  let reorgedTo: bigint | null = null;
  if (last) {
    if (checkpoint < last.number) {
      reorgedTo = checkpoint;
      for (const payment of await markReorged(tx, chainId, checkpoint)) {
        emit('io.knpay.payment.reorged.v1', payment.invoiceId, { paymentId: payment.id, invoiceId: payment.invoiceId, blockNumber: Number(payment.blockNumber), blockHash: payment.blockHash });
        touched.add(payment.invoiceId);
      }
      await forgetBlocksAfter(tx, chainId, checkpoint);
      deps.log.warn({ chainId, from: String(last.number), to: String(checkpoint) }, 'chain reorganised: payments after the fork rolled back');
    }
  }

  const from = checkpoint + 1n;
  const to = minBig(head, checkpoint + BigInt(config.SCAN_BATCH_BLOCKS));
  let found = 0;
  if (from <= to) {
    const range = await readRange(tx, reader, config, { from, to, now });
    if (!range) return { from: String(from), to: String(to), head: String(head), payments: 0, reorgedTo: reorgedTo === null ? null : String(reorgedTo), caughtUp: false };
    for (const invoiceId of await recordPayments(tx, emit, range.payments)) touched.add(invoiceId);
    found = range.payments.length;
    await recordBlocks(tx, chainId, range.headers, config.REORG_WINDOW_BLOCKS);
  }

  const tip = maxBig(checkpoint, to);
  for (const payment of await countConfirmations(tx, chainId, tip)) {
    emit('io.knpay.payment.confirmed.v1', payment.invoiceId, { paymentId: payment.id, invoiceId: payment.invoiceId, confirmations: payment.confirmations, blockNumber: Number(payment.blockNumber) });
    touched.add(payment.invoiceId);
  }
  for (const invoiceId of await invoicesDueByTime(tx, chainId, now)) touched.add(invoiceId);
  await reevaluateInvoices(tx, emit, touched, now);
  return { from: String(from), to: String(tip), head: String(head), payments: found, reorgedTo: reorgedTo === null ? null : String(reorgedTo), caughtUp: to >= head };
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
