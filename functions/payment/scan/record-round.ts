import type { Logger } from 'pino';
import type { Emit, Tx } from '../../../shared/db';
import type { PaymentConfig } from '../config';
import { reevaluateInvoices } from '../invoices/reevaluate';
import { forgetBlocksAfter, lastScannedBlock, lockChain, recordBlocks } from '../queries/blocks';
import { invoicesDueByTime } from '../queries/invoices';
import { countConfirmations, markReorged, recordPayment, type DetectedPayment } from '../queries/payments';
import { maxBig, type RoundPlan } from './plan-round';

export interface RoundReport {
  from: string;
  to: string;
  head: string;
  payments: number;
  reorgedTo: string | null;
  /** Another scan recorded blocks after this round read the chain: nothing was written, read again. */
  superseded: boolean;
  caughtUp: boolean;
}

/**
 * Records a planned round in one short transaction under the chain's advisory lock, with no chain
 * reads: rolls back payments after a fork, records the payments and blocks read, counts
 * confirmations and re-evaluates the invoices touched or due by time.
 */
export async function recordRound(
  tx: Tx,
  emit: Emit,
  plan: RoundPlan,
  context: { config: PaymentConfig; log: Logger; now: Date },
): Promise<RoundReport> {
  const { config, now } = context;
  const chainId = config.CHAIN_ID;
  await lockChain(tx, chainId);
  const report = {
    from: String(plan.from),
    to: String(plan.to),
    head: String(plan.head),
    payments: 0,
    reorgedTo: null,
    superseded: false,
    caughtUp: false,
  };
  // The fork point and the blocks' links were checked against what was kept then; under the lock,
  // the newest kept block is still that one, or another scan moved on and this reading is stale.
  const last = await lastScannedBlock(tx, chainId);
  if (last?.number !== plan.basis?.number || last?.hash !== plan.basis?.hash) return { ...report, superseded: true };

  const touched = new Set<string>();
  let reorgedTo: string | null = null;
  if (plan.basis && plan.checkpoint < plan.basis.number) {
    reorgedTo = String(plan.checkpoint);
    for (const payment of await markReorged(tx, chainId, plan.checkpoint)) {
      emit('io.knpay.payment.reorged.v1', payment.invoiceId, {
        paymentId: payment.id,
        invoiceId: payment.invoiceId,
        blockNumber: Number(payment.blockNumber),
        blockHash: payment.blockHash,
      });
      touched.add(payment.invoiceId);
    }
    await forgetBlocksAfter(tx, chainId, plan.checkpoint);
    context.log.warn(
      { chainId, from: String(plan.basis.number), to: reorgedTo },
      'chain reorganised: payments after the fork rolled back',
    );
  }
  const blocksToRead = plan.from <= plan.to;
  if (blocksToRead && !plan.range) return { ...report, reorgedTo };

  let tip = plan.checkpoint;
  if (plan.range) {
    for (const invoiceId of await recordPayments(tx, emit, plan.range.payments)) touched.add(invoiceId);
    await recordBlocks(tx, chainId, plan.range.headers, config.REORG_WINDOW_BLOCKS);
    tip = maxBig(tip, plan.to);
  }
  for (const payment of await countConfirmations(tx, chainId, tip)) {
    emit('io.knpay.payment.confirmed.v1', payment.invoiceId, {
      paymentId: payment.id,
      invoiceId: payment.invoiceId,
      confirmations: payment.confirmations,
      blockNumber: Number(payment.blockNumber),
    });
    touched.add(payment.invoiceId);
  }
  for (const invoiceId of await invoicesDueByTime(tx, chainId, now)) touched.add(invoiceId);
  await reevaluateInvoices(tx, emit, touched, now);
  return {
    ...report,
    to: String(tip),
    payments: plan.range?.payments.length ?? 0,
    reorgedTo,
    caughtUp: plan.to >= plan.head,
  };
}

/** Records what is new and announces it; gives back the invoices that got a payment. */
async function recordPayments(tx: Tx, emit: Emit, payments: DetectedPayment[]): Promise<string[]> {
  const invoiceIds: string[] = [];
  for (const p of payments) {
    const paymentId = await recordPayment(tx, p);
    if (paymentId === null) continue;
    invoiceIds.push(p.invoiceId);
    emit('io.knpay.payment.detected.v1', p.invoiceId, {
      paymentId,
      invoiceId: p.invoiceId,
      chainId: p.chainId,
      asset: p.asset,
      txHash: p.txHash,
      logIndex: p.logIndex,
      blockNumber: Number(p.blockNumber),
      blockHash: p.blockHash,
      from: p.from,
      to: p.to,
      amount: p.amount.toString(),
    });
  }
  return invoiceIds;
}
