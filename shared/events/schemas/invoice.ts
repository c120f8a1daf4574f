import { z } from 'zod';
import { asset, baseUnits, chainId, jsonbObject, timestamp, uuid, address } from './fields';
import { additionalStatus } from './statuses';

const invoiceRef = { invoiceId: uuid, merchantId: uuid };

/**
 * What a merchant may attach to an invoice: any JSON object PostgreSQL stores as it is, up to 8 KiB,
 * with two keys of known meaning. The merchant API validates requests with this same schema, so what
 * the API accepts the event carries.
 */
export const invoiceMetadata = jsonbObject({
  orderId: z.string().max(200).optional(),
  buyerEmail: z.email().optional(),
}).refine((value) => JSON.stringify(value).length <= 8192, { message: 'must be at most 8 KiB of JSON' });

export const invoiceCreated = z.object({
  ...invoiceRef,
  chainId,
  asset,
  amount: baseUnits,
  depositAddress: address,
  confirmationsRequired: z.number().int().nonnegative(),
  expiresAt: timestamp,
  metadata: invoiceMetadata,
});

/** A payment arrived that does not cover the invoice: it stays open until it expires. */
export const invoicePaidPartial = z.object({ ...invoiceRef, amountPaid: baseUnits, amountDue: baseUnits });

/** A payment vanished in a reorg: a Processing invoice is open (New) again. */
export const invoiceReopened = z.object({ ...invoiceRef, amountPaid: baseUnits, additionalStatus });

export const invoiceProcessing = z.object({ ...invoiceRef, amountPaid: baseUnits, additionalStatus });

export const invoiceSettled = z.object({
  ...invoiceRef,
  chainId,
  asset,
  amount: baseUnits,
  amountPaid: baseUnits,
  additionalStatus,
});

export const invoiceExpired = z.object({ ...invoiceRef, amountPaid: baseUnits, partiallyPaid: z.boolean() });

export const invoiceInvalid = z.object({
  ...invoiceRef,
  reason: z.enum(['not-confirmed-in-time', 'marked']),
});

export const invoicePaidLate = z.object({ ...invoiceRef, amountPaid: baseUnits, paymentId: uuid });
