import type { Invoice, Payment } from '../../prisma/generated/client';
import { describeAsset, type ChainConfig } from '../chain';
import { checkoutUrl, type CheckoutLinkConfig } from './checkout-link';
import { toBigInt } from '../db';
import type { InvoiceResource } from './resource-schema';

/** The API's view of an invoice row: amounts as decimal strings, the asset by its symbol. */
export function invoiceResource(
  invoice: Invoice,
  config: ChainConfig & CheckoutLinkConfig,
  payments?: Payment[],
  now: Date = new Date(),
): InvoiceResource {
  const { symbol, decimals } = describeAsset(config, invoice.chainId, invoice.asset);
  const amount = toBigInt(invoice.amount);
  const paid = toBigInt(invoice.amountPaid);
  return {
    id: invoice.id,
    ...statusAsOf(invoice, now),
    chainId: invoice.chainId,
    asset: symbol,
    assetAddress: invoice.asset,
    decimals,
    amount: amount.toString(),
    amountPaid: paid.toString(),
    amountDue: (amount > paid ? amount - paid : 0n).toString(),
    price:
      invoice.fiatAmount !== null && invoice.fiatCurrency !== null && invoice.rate !== null
        ? { amount: Number(invoice.fiatAmount), currency: invoice.fiatCurrency, rate: invoice.rate }
        : null,
    depositAddress: invoice.depositAddress,
    confirmationsRequired: invoice.confirmationsRequired,
    paymentToleranceBps: invoice.toleranceBps,
    metadata: invoice.metadata as Record<string, unknown>,
    checkoutUrl: checkoutUrl(config, invoice.id),
    redirectUrl: invoice.redirectUrl,
    createdAt: invoice.createdAt.toISOString(),
    expiresAt: invoice.expiresAt.toISOString(),
    monitoringUntil: invoice.monitoringUntil.toISOString(),
    ...(payments
      ? {
          payments: payments.map((p) => ({
            id: p.id,
            txHash: p.txHash,
            logIndex: p.logIndex,
            blockNumber: p.blockNumber.toString(),
            blockHash: p.blockHash,
            from: p.fromAddress,
            amount: toBigInt(p.amount).toString(),
            status: p.status,
            confirmations: p.confirmations,
            detectedAt: p.detectedAt.toISOString(),
          })),
        }
      : {}),
  };
}

/**
 * The status as of now. The payment function records an expiry at its next scan (a block or cron's
 * tick, up to a minute later); a merchant reading the invoice past its expiry sees it Expired on time,
 * as BTCPay shows it. Core's list filter applies the same rule (functions/core/queries/invoices.ts: statusCondition).
 */
export function statusAsOf(
  invoice: Pick<Invoice, 'status' | 'additionalStatus' | 'expiresAt'>,
  now: Date,
): Pick<InvoiceResource, 'status' | 'additionalStatus'> {
  if (invoice.status === 'New' && invoice.expiresAt <= now) {
    return { status: 'Expired', additionalStatus: invoice.additionalStatus };
  }
  return { status: invoice.status, additionalStatus: invoice.additionalStatus };
}
