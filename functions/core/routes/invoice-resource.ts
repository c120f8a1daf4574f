import type { Invoice, Payment } from '../../../prisma/generated/client';
import { describeAsset, type ChainConfig } from '../../../shared/chain';
import type { InvoiceResource } from '../api/schemas';

const integer = (value: { toFixed(digits: number): string }) => value.toFixed(0);

/** The API's view of an invoice row: amounts as decimal strings, the asset by its symbol. */
export function invoiceResource(invoice: Invoice, chain: ChainConfig, payments?: Payment[]): InvoiceResource {
  const { symbol, decimals } = describeAsset(chain, invoice.chainId, invoice.asset);
  const amount = BigInt(integer(invoice.amount));
  const paid = BigInt(integer(invoice.amountPaid));
  return {
    id: invoice.id,
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
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
            amount: integer(p.amount),
            status: p.status,
            confirmations: p.confirmations,
            detectedAt: p.detectedAt.toISOString(),
          })),
        }
      : {}),
  };
}
