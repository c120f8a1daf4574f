import { randomUUID } from 'node:crypto';
import { toBigInt, type Db } from '../../../shared/db';
import { Prisma } from '../../../prisma/generated/client';

export const accounts = {
  /** What the merchant has been paid and may withdraw or refund from. */
  merchantAvailable: 'merchant:available',
  /** The other leg: funds that arrived on chain at the merchant's deposit addresses. */
  chainReceived: 'chain:received',
} as const;

export interface Settlement {
  invoiceId: string;
  merchantId: string;
  chainId: number;
  asset: string;
  amount: bigint;
}

/** The legs a booking writes: both, or none when the invoice was booked before. */
export const SETTLEMENT_LEGS = 2;

/**
 * The statement that books a settled invoice as one journal of two legs that sum to zero, when
 * `onlyIf` holds. The unique (invoice, account) index makes a second booking impossible even if the
 * inbox were bypassed: it is skipped, not doubled. Raw SQL: Prisma compiles every createMany afresh
 * (no plan cache), which was most of a delivery's CPU.
 */
export function bookSettlement(settlement: Settlement, onlyIf: Prisma.Sql): Prisma.Sql {
  const journalId = randomUUID();
  const { merchantId, invoiceId, chainId, asset, amount } = settlement;
  return Prisma.sql`
    INSERT INTO ledger_entries (journal_id, merchant_id, invoice_id, account, chain_id, asset, amount)
    SELECT ${journalId}::uuid, ${merchantId}::uuid, ${invoiceId}::uuid, leg.account, ${chainId}, ${asset}, leg.amount
    FROM (VALUES (${accounts.merchantAvailable}, ${amount.toString()}::numeric), (${accounts.chainReceived}, ${(-amount).toString()}::numeric)) AS leg (account, amount)
    WHERE ${onlyIf}
    ON CONFLICT DO NOTHING`;
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
  return rows.map((row) => ({ chainId: row.chainId, asset: row.asset, available: row._sum.amount === null ? 0n : toBigInt(row._sum.amount) }));
}
