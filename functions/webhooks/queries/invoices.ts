import type { Invoice, Payment } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';

/** The invoice with its payments, as the merchant API's GET shows it (core's queries/invoices.ts). */
export function findInvoice(db: Db, id: string): Promise<(Invoice & { payments: Payment[] }) | null> {
  return db.invoice.findUnique({
    where: { id },
    include: { payments: { orderBy: [{ blockNumber: 'asc' }, { logIndex: 'asc' }] } },
  });
}
