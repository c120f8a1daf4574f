import { toBigInt as integer, type Emit, type Tx } from '../../../shared/db';
import type { Invoice, Payment } from '../../../prisma/generated/client';
import { lockInvoice, updateInvoiceStatus } from '../queries/invoices';
import { evaluateInvoice, type Change } from './evaluate';

/**
 * Re-evaluates invoices after their payments or their clock changed, and announces each transition
 * through the outbox in the same transaction. Ids are taken in order so two transactions never wait
 * on each other's invoices in opposite orders.
 */
export async function reevaluateInvoices(tx: Tx, emit: Emit, invoiceIds: Iterable<string>, now: Date): Promise<void> {
  for (const id of [...new Set(invoiceIds)].sort()) {
    const invoice = await lockInvoice(tx, id);
    if (!invoice) continue;
    const result = evaluateInvoice(
      {
        status: invoice.status,
        additionalStatus: invoice.additionalStatus,
        amount: integer(invoice.amount),
        amountPaid: integer(invoice.amountPaid),
        toleranceBps: invoice.toleranceBps,
        expiresAt: invoice.expiresAt,
        monitoringUntil: invoice.monitoringUntil,
      },
      invoice.payments.map((p) => ({
        id: p.id,
        amount: integer(p.amount),
        confirmed: p.status === 'Confirmed',
        blockTime: p.blockTime,
      })),
      now,
    );
    const changed =
      result.status !== invoice.status ||
      result.additionalStatus !== invoice.additionalStatus ||
      result.amountPaid !== integer(invoice.amountPaid);
    if (!changed) continue;
    const settled = result.changes.find((change) => change.kind === 'settled');
    await updateInvoiceStatus(tx, id, { ...result, amountSettled: settled?.amountSettled });
    for (const change of result.changes) announce(emit, invoice, change, result);
  }
}

function announce(
  emit: Emit,
  invoice: Invoice & { payments: Payment[] },
  change: Change,
  result: ReturnType<typeof evaluateInvoice>,
): void {
  const ref = { invoiceId: invoice.id, merchantId: invoice.merchantId };
  const amountPaid = result.amountPaid.toString();
  switch (change.kind) {
    case 'paid-partial':
      emit('io.knpay.invoice.paid-partial.v1', invoice.id, {
        ...ref,
        amountPaid,
        amountDue: change.amountDue.toString(),
      });
      return;
    case 'processing':
      emit('io.knpay.invoice.processing.v1', invoice.id, {
        ...ref,
        amountPaid,
        additionalStatus: result.additionalStatus,
      });
      return;
    case 'reopened':
      emit('io.knpay.invoice.reopened.v1', invoice.id, {
        ...ref,
        amountPaid,
        additionalStatus: result.additionalStatus,
      });
      return;
    case 'settled':
      emit('io.knpay.invoice.settled.v1', invoice.id, {
        ...ref,
        chainId: invoice.chainId,
        asset: invoice.asset,
        amount: integer(invoice.amount).toString(),
        amountPaid: change.amountSettled.toString(),
        additionalStatus: result.additionalStatus,
      });
      return;
    case 'expired':
      emit('io.knpay.invoice.expired.v1', invoice.id, { ...ref, amountPaid, partiallyPaid: change.partiallyPaid });
      return;
    case 'paid-late':
      emit('io.knpay.invoice.paid-late.v1', invoice.id, { ...ref, amountPaid, paymentId: change.paymentId });
      return;
    case 'invalid':
      emit('io.knpay.invoice.invalid.v1', invoice.id, { ...ref, reason: 'not-confirmed-in-time' });
      return;
  }
}
