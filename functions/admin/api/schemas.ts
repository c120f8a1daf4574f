import { z } from 'zod';
import { scopes, scopeSchema } from '../../../shared/auth/api-keys';
import { operatorRoleSchema } from '../../../shared/auth/operator-tokens';
import { additionalStatus, invoiceStatus } from '../../../shared/events/schemas/statuses';

// One schema per request and answer: each validates at runtime and writes /admin/openapi.json.
export const when = z.iso.datetime();
export const page = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

export const noParams = z.strictObject({});
export const idParams = z.strictObject({ id: z.uuid() });
export const keyParams = z.strictObject({ id: z.uuid(), keyId: z.uuid() });

export const merchantResource = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  createdAt: when,
  suspended: z.boolean(),
  suspendedAt: when.nullable(),
  suspendedReason: z.string().nullable(),
});
export const merchantList = z.object({ data: z.array(merchantResource), nextCursor: z.string().nullable() });
export const listMerchantsQuery = z.strictObject({
  ...page,
  suspended: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const createMerchantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).optional(),
});
export const updateMerchantBody = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), email: z.email().max(320).nullable().optional() })
  .refine((body) => Object.keys(body).length > 0, 'name or email is needed');
export const suspendBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export const apiKeyResource = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(scopeSchema),
  createdAt: when,
  revokedAt: when.nullable(),
});
export const apiKeyList = z.object({ data: z.array(apiKeyResource) });
export const issueKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100).default('default'),
  scopes: z
    .array(scopeSchema)
    .min(1)
    .default([...scopes]),
});
export const issuedKey = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  apiKey: z.string().describe('The key itself: shown this once, never again'),
  scopes: z.array(scopeSchema),
});

export const operatorTokenResource = z.object({
  id: z.uuid(),
  name: z.string(),
  role: operatorRoleSchema,
  prefix: z.string(),
  createdAt: when,
  lastUsedAt: when.nullable(),
  revokedAt: when.nullable(),
});
export const operatorTokenList = z.object({ data: z.array(operatorTokenResource) });
export const createOperatorTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: operatorRoleSchema,
});
export const createdOperatorToken = operatorTokenResource.extend({
  token: z.string().describe('The token itself: shown this once, never again'),
});

export const auditEntryResource = z.object({
  id: z.uuid(),
  at: when,
  actor: z.string(),
  tokenId: z.uuid().nullable(),
  action: z.string(),
  target: z.string(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export const auditList = z.object({ data: z.array(auditEntryResource), nextCursor: z.string().nullable() });
export const auditQuery = z.strictObject({
  ...page,
  target: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  from: when.optional(),
  to: when.optional(),
});

export const loggedEventResource = z.object({
  source: z.string(),
  id: z.string(),
  type: z.string(),
  subject: z.string().nullable(),
  time: when.nullable(),
  data: z.unknown(),
  topic: z.string().nullable(),
  partition: z.number().int().nullable(),
  offset: z.string().nullable(),
});
export const eventList = z.object({ data: z.array(loggedEventResource) });
export const eventQuery = z
  .strictObject({
    subject: z.string().max(200).optional(),
    type: z.string().max(200).optional(),
    from: when.optional(),
    to: when.optional(),
    limit: page.limit,
  })
  .refine((q) => q.subject !== undefined || q.type !== undefined, 'subject or type is needed (each has its index)');

const deadLetterStatus = z.enum(['waiting', 'replayed', 'discarded']);
export const deadLetterResource = z.object({
  id: z.uuid(),
  event: z.object({
    source: z.string(),
    id: z.string(),
    type: z.string(),
    subject: z.string().nullable(),
    data: z.unknown(),
  }),
  destination: z.string(),
  errorCode: z.number().int().nullable(),
  errorData: z.string().nullable(),
  receivedAt: when,
  status: deadLetterStatus,
  note: z.string().nullable(),
  resolvedAt: when.nullable(),
  resolvedBy: z.string().nullable(),
});
export const deadLetterDetail = deadLetterResource.extend({
  fate: z.object({
    handledBy: z.array(z.object({ consumer: z.string(), handledAt: when })),
    laterDeadLetters: z.array(z.object({ id: z.uuid(), receivedAt: when, errorCode: z.number().int().nullable() })),
  }),
});
export const deadLetterList = z.object({ data: z.array(deadLetterResource), nextCursor: z.string().nullable() });
export const deadLetterQuery = z.strictObject({ status: deadLetterStatus.optional(), ...page });
export const replayBody = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(100),
  note: z.string().trim().max(500).optional(),
});
export const replayResult = z.object({
  data: z.array(z.object({ id: z.uuid(), outcome: z.enum(['replayed', 'not-waiting', 'not-replayable']) })),
});
export const discardBody = z.strictObject({ note: z.string().trim().min(1).max(500) });

const BASE_UNITS = /^\d{1,78}$/;
const baseUnits = z.string().regex(BASE_UNITS, 'a whole number of base units');
const isUnits = (value: unknown): value is string => typeof value === 'string' && BASE_UNITS.test(value);
export const invoiceSearchQuery = z
  .strictObject({
    ...page,
    merchantId: z.uuid().optional(),
    status: invoiceStatus.optional(),
    additionalStatus: additionalStatus.optional(),
    asset: z.string().max(42).optional(),
    amountMin: baseUnits.optional(),
    amountMax: baseUnits.optional(),
    createdFrom: when.optional(),
    createdTo: when.optional(),
    orderId: z.string().max(200).optional(),
    txHash: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte transaction hash')
      .optional(),
    depositAddress: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, 'an address')
      .optional(),
  })
  .refine(
    // Runs even when a field failed its own check: compare only what are base units.
    (q) => !isUnits(q.amountMin) || !isUnits(q.amountMax) || BigInt(q.amountMin) <= BigInt(q.amountMax),
    { message: 'amountMin is above amountMax' },
  );
export const invoiceSummary = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  status: invoiceStatus,
  additionalStatus,
  chainId: z.number().int(),
  asset: z.string(),
  amount: baseUnits,
  amountPaid: baseUnits,
  orderId: z.string().nullable(),
  depositAddress: z.string(),
  createdAt: when,
  expiresAt: when,
});
export const invoiceSearchList = z.object({ data: z.array(invoiceSummary), nextCursor: z.string().nullable() });
export const invoiceDetail = invoiceSummary.extend({
  metadata: z.record(z.string(), z.unknown()),
  payments: z.array(
    z.object({
      txHash: z.string(),
      logIndex: z.number().int(),
      amount: baseUnits,
      status: z.string(),
      confirmations: z.number().int(),
      blockNumber: z.string(),
      fromAddress: z.string(),
    }),
  ),
  events: z.array(loggedEventResource),
});
export const markInvoiceBody = z.strictObject({
  status: z.enum(['Settled', 'Invalid']),
  reason: z.string().trim().min(1).max(500),
});
