import { ProblemError } from '../../../shared/errors';
import type { EventHandler } from '../../../shared/runtime';
import { settlementMismatch } from '../ledger/verify-settlement';
import { bookSettlement, SETTLEMENT_LEGS, settlementAdmitted, settlementFacts } from '../queries/ledger';

/**
 * A settled invoice credits the merchant once: the inbox skips a redelivery, the ledger's key a replay.
 * One statement (inbox row and both legs), the hot path of every settlement. The credit is what the
 * invoice row says it settled for, and only when the database bears out every claim of the event;
 * an event it does not bear out writes nothing and is refused with the reason (dead-lettered).
 */
export const onInvoiceSettled: EventHandler<'io.knpay.invoice.settled.v1'> = async (event, context) => {
  const { invoiceId } = event.data;
  const outcome = await context.inStatement(
    event,
    (isNew) => bookSettlement(invoiceId, isNew),
    settlementAdmitted(event.data),
  );
  if (outcome.duplicate) return;
  if (!outcome.admitted) {
    const reason = settlementMismatch(event.data, await settlementFacts(context.db, invoiceId));
    // The facts may have changed between the two reads (a settlement committing now): retried, not refused.
    if (reason === null) throw new Error(`settlement of ${invoiceId} was not admitted but its facts now agree`);
    throw new ProblemError('rejected-event', `Settlement not credited: ${reason}`);
  }
  if (outcome.rowCount === SETTLEMENT_LEGS) return;
  if (outcome.rowCount === 0) context.log.warn({ invoiceId }, 'settlement was already booked: not booked again');
  // Only a leg written outside this code can make this happen; the statement has committed, so say it loudly.
  else
    context.log.error(
      { invoiceId, legsWritten: outcome.rowCount },
      'settlement found half-booked: the missing leg was written',
    );
};
