import { ProblemError } from '../../../shared/errors';
import type { DomainEvent } from '../../../shared/events';
import { invoiceResource } from '../../../shared/invoices/resource';
import type { HandlerContext } from '../../../shared/runtime';
import { asOfEvent, invoiceFacts } from '../notices/facts';
import { notify } from '../notices/notify';
import { noticeKinds, planNotices } from '../notices/plan';
import { invoiceToNotify } from '../queries/invoices';
import { sendingSetup } from '../sending/setup';

type InvoiceEvent = DomainEvent<
  | 'io.knpay.invoice.settled.v1'
  | 'io.knpay.invoice.paid-partial.v1'
  | 'io.knpay.invoice.paid-late.v1'
  | 'io.knpay.invoice.expired.v1'
  | 'io.knpay.invoice.invalid.v1'
>;

/**
 * An invoice event that concerns people: the merchant's notice and the buyer's, as the merchant's
 * settings allow, with the invoice as it was when the event happened.
 */
export async function onInvoiceEvent(event: InvoiceEvent, context: HandlerContext): Promise<void> {
  const found = await invoiceToNotify(context.db, event.data.invoiceId);
  if (!found) throw new ProblemError('rejected-event', `invoice ${event.data.invoiceId} does not exist`);
  const { invoice, merchant } = found;
  const { config } = sendingSetup(context.db);
  const resource = asOfEvent(invoiceResource(invoice, config, undefined, new Date(event.time)), event.data);
  const planned = planNotices(noticeKinds(event.type, event.data), merchant.settings, resource.metadata);
  await notify(
    context,
    {
      eventId: event.id,
      merchantId: invoice.merchantId,
      merchantName: merchant.name,
      senderName: merchant.settings.senderName,
      replyTo: merchant.settings.emails[0] ?? null,
      invoiceId: invoice.id,
    },
    planned,
    (kind) => invoiceFacts(kind, merchant.name, resource),
  );
}
