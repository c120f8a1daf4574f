import type { Db, Tx } from '../../../shared/db';
import type { Invoice, Payment, Prisma } from '../../../prisma/generated/client';

export type NewInvoice = Omit<Prisma.InvoiceUncheckedCreateInput, 'addressIndex' | 'depositAddress'>;

/**
 * Takes the next BIP32 index from the column's sequence: nextval never gives one value twice, not to
 * concurrent transactions nor after a rollback, so no deposit address is ever reused.
 */
export async function nextAddressIndex(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<{ index: number }[]>`SELECT nextval('invoices_address_index_seq')::int AS index`;
  if (!row) throw new Error('nextval returned no row');
  return row.index;
}

export function insertInvoice(tx: Tx, invoice: NewInvoice, addressIndex: number, depositAddress: string): Promise<Invoice> {
  return tx.invoice.create({ data: { ...invoice, addressIndex, depositAddress } });
}

export function findInvoice(db: Db, merchantId: string, id: string): Promise<(Invoice & { payments: Payment[] }) | null> {
  return db.invoice.findFirst({
    where: { id, merchantId },
    include: { payments: { orderBy: [{ blockNumber: 'asc' }, { logIndex: 'asc' }] } },
  });
}

export interface InvoiceFilter {
  merchantId: string;
  statuses?: Invoice['status'][] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  /** The last row of the previous page: the page starts strictly after it, newest first. */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, by (created_at, id) so rows created in the same millisecond still page stably. */
export function listInvoices(db: Db, filter: InvoiceFilter): Promise<Invoice[]> {
  const { after } = filter;
  return db.invoice.findMany({
    where: {
      merchantId: filter.merchantId,
      ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
      createdAt: { ...(filter.createdFrom ? { gte: filter.createdFrom } : {}), ...(filter.createdTo ? { lt: filter.createdTo } : {}) },
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
  });
}
