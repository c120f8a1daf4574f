import type { Invoice } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';

/** The invoice a notice is about (its payments are not shown in mail). */
export function findInvoice(db: Db, id: string): Promise<Invoice | null> {
  return db.invoice.findUnique({ where: { id } });
}
