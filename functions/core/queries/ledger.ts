import { toBigInt, type Db, type Tx } from '../../../shared/db';
import { randomUUID } from 'node:crypto';

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

/**
 * Books a settled invoice as one journal of two legs that sum to zero. The unique (invoice, account)
 * index makes a second booking impossible even if the inbox were bypassed: it is skipped, not doubled.
 * Gives back whether this call booked it.
 */
export async function bookSettlement(tx: Tx, settlement: Settlement): Promise<boolean> {
  const journalId = randomUUID();
  const { merchantId, invoiceId, chainId, asset, amount } = settlement;
  // Raw SQL: Prisma compiles every createMany afresh (no plan cache), which was most of a delivery's CPU.
  const count = await tx.$executeRaw`
    INSERT INTO ledger_entries (journal_id, merchant_id, invoice_id, account, chain_id, asset, amount)
    VALUES (${journalId}::uuid, ${merchantId}::uuid, ${invoiceId}::uuid, ${accounts.merchantAvailable}, ${chainId}, ${asset}, ${amount.toString()}::numeric),
           (${journalId}::uuid, ${merchantId}::uuid, ${invoiceId}::uuid, ${accounts.chainReceived}, ${chainId}, ${asset}, ${(-amount).toString()}::numeric)
    ON CONFLICT DO NOTHING`;
  if (count !== 0 && count !== 2) throw new Error(`Journal ${journalId} half-written: ${String(count)} of 2 legs`);
  return count === 2;
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
