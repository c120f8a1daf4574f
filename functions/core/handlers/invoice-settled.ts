import type { EventHandler } from '../../../shared/runtime';
import { bookSettlement, SETTLEMENT_LEGS } from '../queries/ledger';

/**
 * A settled invoice credits the merchant once: the inbox skips a redelivery, the ledger's key a replay.
 * One statement (inbox row and both legs), the hot path of every settlement.
 */
export const onInvoiceSettled: EventHandler<'io.knpay.invoice.settled.v1'> = async (event, context) => {
  const { invoiceId, merchantId, chainId, asset, amountPaid } = event.data;
  const outcome = await context.inStatement(event, (isNew) =>
    bookSettlement({ invoiceId, merchantId, chainId, asset, amount: BigInt(amountPaid) }, isNew),
  );
  if (outcome.duplicate || outcome.rowCount === SETTLEMENT_LEGS) return;
  if (outcome.rowCount === 0) context.log.warn({ invoiceId }, 'settlement was already booked: not booked again');
  // Only a leg written outside this code can make this happen; the statement has committed, so say it loudly.
  else context.log.error({ invoiceId, legsWritten: outcome.rowCount }, 'settlement found half-booked: the missing leg was written');
};
