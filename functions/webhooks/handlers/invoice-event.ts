import { ProblemError } from '../../../shared/errors';
import type { DomainEvent } from '../../../shared/events';
import type { HandlerContext } from '../../../shared/runtime';
import { merchantEventType } from '../../../shared/webhooks/event-types';
import { deliverySetup } from '../delivery/setup';
import { invoiceMessageBody } from '../messages/compose';
import { findInvoice } from '../queries/invoices';
import { insertMessages } from '../queries/messages';
import { handOut } from '../messages/hand-out';

type InvoiceEvent = DomainEvent<
  | 'io.knpay.invoice.created.v1'
  | 'io.knpay.invoice.paid-partial.v1'
  | 'io.knpay.invoice.reopened.v1'
  | 'io.knpay.invoice.processing.v1'
  | 'io.knpay.invoice.settled.v1'
  | 'io.knpay.invoice.expired.v1'
  | 'io.knpay.invoice.invalid.v1'
  | 'io.knpay.invoice.paid-late.v1'
>;

/**
 * Every invoice event becomes one message per enabled endpoint of its merchant that subscribes to it,
 * recorded once (a redelivered event inserts none), each handed out at once as its own command
 * (`webhook.message.due`) so that sending happens outside this partition's turn.
 */
export async function onInvoiceEvent(event: InvoiceEvent, context: HandlerContext): Promise<void> {
  const invoice = await findInvoice(context.db, event.data.invoiceId);
  if (!invoice) throw new ProblemError('rejected-event', `invoice ${event.data.invoiceId} does not exist`);
  const type = merchantEventType(event.type);
  const body = invoiceMessageBody(type, new Date(event.time), invoice, deliverySetup(context.db).config);
  await context.transaction(async (tx, emit) => {
    const messages = await insertMessages(tx, {
      merchantId: invoice.merchantId,
      eventId: event.id,
      eventType: type,
      body,
    });
    handOut(emit, invoice.merchantId, messages);
  });
}
