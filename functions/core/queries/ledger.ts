import { randomUUID } from 'node:crypto';
import { toBigInt, type Db } from '../../../shared/db';
import { Prisma } from '../../../prisma/generated/client';
import type { DomainEvent } from '../../../shared/events';

export const accounts = {
  /** What the merchant has been paid and may withdraw or refund from. */
  merchantAvailable: 'merchant:available',
  /** The other leg: funds that arrived on chain at the merchant's deposit addresses. */
  chainReceived: 'chain:received',
} as const;

/** What a settled event claims. */
export type SettlementClaim = DomainEvent<'io.knpay.invoice.settled.v1'>['data'];

/** What the database holds for the invoice a settled event names (null: no such invoice). */
export interface SettlementFacts {
  merchantId: string;
  status: string;
  chainId: number;
  asset: string;
  /** Written by payment when it settled the invoice; null until then. */
  amountSettled: bigint | null;
  /** The sum of the invoice's confirmed payments now. */
  amountConfirmed: bigint;
}

/** The legs a booking writes: both, or none when the invoice was booked before. */
export const SETTLEMENT_LEGS = 2;

/**
 * True when the database bears out a settled event (functions/core/ledger/verify-settlement.ts
 * states the same conditions, to name the one that failed): the invoice exists, is the named
 * merchant's, is Settled in the named chain and asset, settled for the amount claimed, and its
 * confirmed payments cover that amount.
 */
export function settlementAdmitted(claim: SettlementClaim): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT FROM invoices AS i
    WHERE i.id = ${claim.invoiceId}::uuid AND i.merchant_id = ${claim.merchantId}::uuid AND i.status = 'Settled'
      AND i.chain_id = ${claim.chainId} AND i.asset = ${claim.asset} AND i.amount_settled = ${claim.amountPaid}::numeric
      AND i.amount_settled <= (SELECT COALESCE(sum(p.amount), 0) FROM payments AS p WHERE p.invoice_id = i.id AND p.status = 'Confirmed'))`;
}

/**
 * The statement that books a settled invoice as one journal of two legs that sum to zero, when
 * `onlyIf` holds. Its figures are the invoice row's (merchant, chain, asset, amount settled), never
 * the event's. The unique (invoice, account) index makes a second booking impossible even if the
 * inbox were bypassed: it is skipped, not doubled. Raw SQL: Prisma compiles every createMany afresh
 * (no plan cache), which was most of a delivery's CPU.
 */
export function bookSettlement(invoiceId: string, onlyIf: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO ledger_entries (journal_id, merchant_id, invoice_id, account, chain_id, asset, amount)
    SELECT ${randomUUID()}::uuid, i.merchant_id, i.id, leg.account, i.chain_id, i.asset, leg.amount
    FROM invoices AS i
    CROSS JOIN LATERAL (VALUES (${accounts.merchantAvailable}, i.amount_settled), (${accounts.chainReceived}, -i.amount_settled)) AS leg (account, amount)
    WHERE i.id = ${invoiceId}::uuid AND i.amount_settled IS NOT NULL AND ${onlyIf}
    ON CONFLICT DO NOTHING`;
}

/** What the database holds for a settled event's invoice, to say why it was refused. */
export async function settlementFacts(db: Db, invoiceId: string): Promise<SettlementFacts | null> {
  const rows = await db.sql.query<{
    merchant_id: string;
    status: string;
    chain_id: number;
    asset: string;
    amount_settled: string | null;
    confirmed: string;
  }>(Prisma.sql`
    SELECT i.merchant_id::text, i.status::text, i.chain_id, i.asset, i.amount_settled::text,
           (SELECT COALESCE(sum(p.amount), 0) FROM payments AS p WHERE p.invoice_id = i.id AND p.status = 'Confirmed')::text AS confirmed
    FROM invoices AS i WHERE i.id = ${invoiceId}::uuid`);
  const [row] = rows;
  if (!row) return null;
  return {
    merchantId: row.merchant_id,
    status: row.status,
    chainId: row.chain_id,
    asset: row.asset,
    amountSettled: row.amount_settled === null ? null : BigInt(row.amount_settled),
    amountConfirmed: BigInt(row.confirmed),
  };
}

export interface Balance {
  chainId: number;
  asset: string;
  available: bigint;
}

/** Balances are sums of entries, never stored figures. */
export async function merchantBalances(db: Db, merchantId: string): Promise<Balance[]> {
  const rows = await db.ledgerEntry.groupBy({
    by: ['chainId', 'asset'],
    where: { merchantId, account: accounts.merchantAvailable },
    _sum: { amount: true },
    orderBy: [{ chainId: 'asc' }, { asset: 'asc' }],
  });
  return rows.map((row) => ({
    chainId: row.chainId,
    asset: row.asset,
    available: row._sum.amount === null ? 0n : toBigInt(row._sum.amount),
  }));
}
