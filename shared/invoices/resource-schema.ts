import { z } from 'zod';
import { additionalStatus, invoiceStatus, paymentStatus } from '../events/schemas/statuses';

/**
 * An invoice as merchants see it: the merchant API's answers (core) and the `data` of every invoice
 * webhook (webhooks) are this one schema, so a webhook and a GET of the same invoice agree.
 */
export const paymentResource = z.object({
  id: z.uuid(),
  txHash: z.string(),
  logIndex: z.number().int(),
  blockNumber: z.string(),
  blockHash: z.string(),
  from: z.string(),
  amount: z.string(),
  status: paymentStatus,
  confirmations: z.number().int(),
  detectedAt: z.iso.datetime(),
});

export const invoiceResource = z.object({
  id: z.uuid(),
  status: invoiceStatus,
  additionalStatus,
  chainId: z.number().int(),
  asset: z.string().meta({ description: 'The symbol' }),
  assetAddress: z.string().meta({ description: '"native" or the ERC-20 contract address' }),
  decimals: z.number().int(),
  amount: z.string(),
  amountPaid: z.string(),
  amountDue: z.string(),
  price: z.object({ amount: z.number().int(), currency: z.string(), rate: z.string() }).nullable(),
  depositAddress: z.string(),
  confirmationsRequired: z.number().int(),
  paymentToleranceBps: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  checkoutUrl: z.url().meta({ description: 'The hosted page where the buyer pays' }),
  redirectUrl: z.string().nullable().meta({ description: 'Where the page sends the buyer once paid' }),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  monitoringUntil: z.iso.datetime(),
  payments: z.array(paymentResource).optional(),
});

export type InvoiceResource = z.output<typeof invoiceResource>;
