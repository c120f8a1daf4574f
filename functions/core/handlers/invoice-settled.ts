import type { EventHandler } from '../../../shared/runtime';
import { bookSettlement } from '../queries/ledger';

/** A settled invoice credits the merchant once: the inbox skips a redelivery, the ledger's key a replay. */
export const onInvoiceSettled: EventHandler<'io.knpay.invoice.settled.v1'> = async (event, context) => {
  const { invoiceId, merchantId, chainId, asset, amountPaid } = event.data;
  const outcome = await context.inTransaction(event, (tx) =>
    bookSettlement(tx, { invoiceId, merchantId, chainId, asset, amount: BigInt(amountPaid) }),
  );
  if (!outcome.duplicate && !outcome.result) context.log.warn({ invoiceId }, 'settlement was already booked: not booked again');
};
