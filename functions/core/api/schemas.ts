import { z } from 'zod';
import { isPriceableCurrency } from '../../../shared/money/currencies';
import { baseUnits, timestamp } from '../../../shared/events/schemas/fields';
import { invoiceMetadata } from '../../../shared/events/schemas/invoice';
import { invoiceStatus } from '../../../shared/events/schemas/statuses';
import { invoiceResource } from '../../../shared/invoices/resource-schema';

/** The request and response bodies of the merchant API: they validate requests and write /openapi.json. */

const positiveBaseUnits = baseUnits.refine((value) => !/^0+$/.test(value), { message: 'must be greater than zero' });

export const speedPolicies = { HighSpeed: 2, MediumSpeed: 6, LowMediumSpeed: 12, LowSpeed: 20 } as const;

export const createInvoiceBody = z
  .strictObject({
    asset: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'A configured symbol (ETH, USDT, ...) or an ERC-20 contract address' }),
    amount: positiveBaseUnits
      .optional()
      .meta({ description: "The price in the asset's base units (wei, token units), as a decimal string" }),
    price: z
      .strictObject({
        amount: z
          .number()
          .int()
          .positive()
          .max(Number.MAX_SAFE_INTEGER)
          .meta({ description: 'Fiat minor units (cents)' }),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code in capitals' })
          .refine(isPriceableCurrency, { message: 'is not an ISO 4217 currency with a minor unit' })
          .meta({
            description: 'ISO 4217; the amount is in its minor unit (0 decimals for JPY, 3 for KWD, 4 for CLF)',
          }),
      })
      .optional()
      .meta({ description: 'The price in fiat, converted at a rate locked now' }),
    expiresInSeconds: z
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600)
      .optional(),
    paymentToleranceBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .meta({ description: 'Underpayment accepted, in basis points (100 = 1 %)' }),
    speedPolicy: z
      .enum(Object.keys(speedPolicies) as [keyof typeof speedPolicies])
      .optional()
      .meta({ description: 'Confirmations required: HighSpeed 2, MediumSpeed 6, LowMediumSpeed 12, LowSpeed 20' }),
    confirmations: z.number().int().min(0).max(1000).optional().meta({ description: 'Overrides speedPolicy' }),
    metadata: invoiceMetadata.default({}),
    checkout: z
      .strictObject({
        redirectUrl: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional()
          .meta({
            description: 'Where the checkout page sends the buyer once paid; {InvoiceId} and {OrderId} are filled in',
          }),
      })
      .optional()
      .meta({ description: "The hosted checkout page's options" }),
  })
  .refine((body) => (body.amount === undefined) !== (body.price === undefined), {
    message: 'give exactly one of amount (base units) or price (fiat)',
    path: ['amount'],
  })
  .meta({ examples: createInvoiceExamples() });

/** Requests the document shows, `make demo` prints and a test sends to the running API (all must pass). */
export function createInvoiceExamples() {
  return [
    { asset: 'ETH', amount: '10000000000000000', confirmations: 2, metadata: { orderId: 'demo-1' } },
    {
      asset: 'USDT',
      price: { amount: 1999, currency: 'USD' },
      metadata: { orderId: 'demo-2', buyerEmail: 'buyer@example.com' },
    },
  ];
}

export type CreateInvoiceBody = z.output<typeof createInvoiceBody>;

/** A query parameter given once or repeated (?status=New&status=Processing); optional. */
const oneOrMany = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(schema)).optional();

export const listInvoicesQuery = z.strictObject({
  status: oneOrMany(invoiceStatus),
  createdFrom: timestamp.optional(),
  createdTo: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional()
    .meta({ description: 'nextCursor of the previous page' }),
});

export const invoiceList = z.object({ data: z.array(invoiceResource), nextCursor: z.string().nullable() });

export const invoiceIdParams = z.strictObject({ id: z.uuid() });

export const balanceList = z.object({
  data: z.array(
    z.object({
      chainId: z.number().int(),
      asset: z.string(),
      assetAddress: z.string(),
      decimals: z.number().int(),
      available: z.string(),
    }),
  ),
});

export const emptyObject = z.strictObject({});
