import type { Invoice, Payment } from '../../../prisma/generated/client';
import type { ChainConfig } from '../../../shared/chain';
import type { CheckoutLinkConfig } from '../../../shared/invoices/checkout-link';
import { invoiceResource } from '../../../shared/invoices/resource';
import { WEBHOOK_API_VERSION } from '../../../shared/webhooks/event-types';

/**
 * A webhook's body, as Standard Webhooks recommends: the event's type, when it happened, and the
 * invoice as `GET /v1/invoices/:id` returns it at that moment.
 */
export function invoiceMessageBody(
  type: string,
  occurredAt: Date,
  invoice: Invoice & { payments: Payment[] },
  config: ChainConfig & CheckoutLinkConfig,
): string {
  return JSON.stringify({
    type,
    timestamp: occurredAt.toISOString(),
    api_version: WEBHOOK_API_VERSION,
    data: invoiceResource(invoice, config, invoice.payments, occurredAt),
  });
}
