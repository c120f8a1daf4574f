import { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';

export interface InvoiceSearch {
  merchantId?: string | undefined;
  status?: string | undefined;
  additionalStatus?: string | undefined;
  asset?: string | undefined;
  amountMin?: string | undefined;
  amountMax?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  orderId?: string | undefined;
  txHash?: string | undefined;
  depositAddress?: string | undefined;
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export interface InvoiceSummary {
  id: string;
  merchantId: string;
  status: string;
  additionalStatus: string;
  chainId: number;
  asset: string;
  amount: string;
  amountPaid: string;
  orderId: string | null;
  depositAddress: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Newest first, by (created_at, id), every filter an AND. Each filter has an index to start from: the
 * merchant's (invoices_merchant_created_idx), the status's (invoices_status_created_idx), the order id's,
 * the deposit address's, the transaction's (payments_tx_hash_idx), else the global order
 * (invoices_created_idx); bench/admin-search.ts records each plan. Raw SQL: the order id is an
 * expression index Prisma's query builder would not use.
 */
export function searchInvoices(db: Db, search: InvoiceSearch): Promise<InvoiceSummary[]> {
  return db.$queryRaw<InvoiceSummary[]>(invoiceSearchSql(search));
}

/** The search's statement, apart so bench/admin-search.ts can EXPLAIN ANALYZE exactly what runs. */
export function invoiceSearchSql(search: InvoiceSearch): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  const add = (condition: Prisma.Sql) => conditions.push(condition);
  if (search.merchantId) add(Prisma.sql`i.merchant_id = ${search.merchantId}::uuid`);
  if (search.status) add(Prisma.sql`i.status = ${search.status}::invoice_status`);
  if (search.additionalStatus)
    add(Prisma.sql`i.additional_status = ${search.additionalStatus}::invoice_additional_status`);
  if (search.asset) add(Prisma.sql`i.asset = ${search.asset}`);
  if (search.amountMin) add(Prisma.sql`i.amount >= ${search.amountMin}::numeric`);
  if (search.amountMax) add(Prisma.sql`i.amount <= ${search.amountMax}::numeric`);
  if (search.createdFrom) add(Prisma.sql`i.created_at >= ${search.createdFrom}`);
  if (search.createdTo) add(Prisma.sql`i.created_at < ${search.createdTo}`);
  if (search.orderId) add(Prisma.sql`(i.metadata ->> 'orderId') = ${search.orderId}`);
  if (search.depositAddress) add(Prisma.sql`i.deposit_address = ${search.depositAddress.toLowerCase()}`);
  if (search.txHash)
    add(Prisma.sql`i.id IN (SELECT p.invoice_id FROM payments p WHERE p.tx_hash = ${search.txHash.toLowerCase()})`);
  if (search.after) add(Prisma.sql`(i.created_at, i.id) < (${search.after.createdAt}, ${search.after.id}::uuid)`);
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  return Prisma.sql`
    SELECT i.id::text, i.merchant_id::text AS "merchantId", i.status::text, i.additional_status::text AS "additionalStatus",
           i.chain_id AS "chainId", i.asset, i.amount::text, i.amount_paid::text AS "amountPaid",
           i.metadata ->> 'orderId' AS "orderId", i.deposit_address AS "depositAddress",
           i.created_at AS "createdAt", i.expires_at AS "expiresAt"
    FROM invoices i ${where}
    ORDER BY i.created_at DESC, i.id DESC
    LIMIT ${search.limit + 1}`;
}

/** One invoice with its payments, for the detail (its events come from the event log). */
export function findInvoice(db: Db, id: string) {
  return db.invoice.findUnique({
    where: { id },
    include: { payments: { orderBy: [{ blockNumber: 'asc' }, { logIndex: 'asc' }] } },
  });
}
