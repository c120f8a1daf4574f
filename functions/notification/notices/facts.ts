import { formatUnits } from 'viem';
import type { InvoiceResource } from '../../../shared/invoices/resource-schema';
import { currencyExponent } from '../../../shared/money/currencies';
import type { NoticeKind } from '../../../shared/notifications/kinds';
import type { NoticeFacts } from './render';

/** An amount in base units as people read it: in the asset's decimals, with its symbol. */
const inAsset = (units: string, invoice: InvoiceResource) =>
  `${formatUnits(BigInt(units), invoice.decimals)} ${invoice.asset}`;

/** The fiat price the invoice was locked from, in the currency's minor unit (ISO 4217). */
function priceOf(invoice: InvoiceResource): string | null {
  if (!invoice.price) return null;
  const exponent = currencyExponent(invoice.price.currency) ?? 0;
  return `${formatUnits(BigInt(invoice.price.amount), exponent)} ${invoice.price.currency}`;
}

/**
 * The invoice's amounts as the event states them: an event handled late (a backlog, a retry) still
 * tells what was paid when it happened, not what has been paid since.
 */
export function asOfEvent(
  invoice: InvoiceResource,
  data: { amountPaid?: string | undefined; amountDue?: string | undefined; [field: string]: unknown },
): InvoiceResource {
  if (data.amountPaid === undefined) return invoice;
  const due = BigInt(invoice.amount) - BigInt(data.amountPaid);
  return { ...invoice, amountPaid: data.amountPaid, amountDue: data.amountDue ?? (due > 0n ? due : 0n).toString() };
}

export function invoiceFacts(kind: NoticeKind, merchant: string, invoice: InvoiceResource): NoticeFacts {
  const orderId = typeof invoice.metadata['orderId'] === 'string' ? invoice.metadata['orderId'] : null;
  return {
    kind,
    merchant,
    invoice: {
      id: invoice.id,
      ref: orderId ?? invoice.id,
      orderId,
      amount: inAsset(invoice.amount, invoice),
      amountPaid: inAsset(invoice.amountPaid, invoice),
      amountDue: inAsset(invoice.amountDue, invoice),
      price: priceOf(invoice),
      status: invoice.status,
      checkoutUrl: invoice.checkoutUrl,
    },
    endpoint: null,
  };
}

export function endpointFacts(kind: NoticeKind, merchant: string, url: string, reason: string | null): NoticeFacts {
  return { kind, merchant, invoice: null, endpoint: { url, reason } };
}
