import type { Tx } from '../../../shared/db';
import type { Invoice, Payment } from '../../../prisma/generated/client';

export interface WatchedAddress {
  invoiceId: string;
  asset: string;
}

/** Deposit addresses to watch: open invoices, and closed ones still inside their monitoring window. */
export async function watchedAddresses(tx: Tx, chainId: number, now: Date): Promise<Map<string, WatchedAddress>> {
  const rows = await tx.invoice.findMany({
    where: { chainId, OR: [{ status: { in: ['New', 'Processing'] } }, { monitoringUntil: { gt: now } }] },
    select: { id: true, depositAddress: true, asset: true },
  });
  return new Map(rows.map((row) => [row.depositAddress, { invoiceId: row.id, asset: row.asset }]));
}

/** Invoices whose clock has run out: unpaid past expiry, or processing past their monitoring window. */
export async function invoicesDueByTime(tx: Tx, chainId: number, now: Date): Promise<string[]> {
  const rows = await tx.invoice.findMany({
    where: {
      chainId,
      OR: [
        { status: 'New', expiresAt: { lte: now } },
        { status: 'Processing', monitoringUntil: { lte: now } },
      ],
    },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** The invoice, locked for this transaction, with the payments that are on the chain now. */
export async function lockInvoice(tx: Tx, id: string): Promise<(Invoice & { payments: Payment[] }) | null> {
  await tx.$executeRaw`SELECT 1 FROM invoices WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.invoice.findUnique({ where: { id }, include: { payments: { where: { status: { not: 'Reorged' } } } } });
}

export interface InvoiceState extends Pick<Invoice, 'status' | 'additionalStatus'> {
  amountPaid: bigint;
  /** Set once, when the invoice settles: what its confirmed payments came to (core credits this). */
  amountSettled?: bigint | undefined;
}

export async function updateInvoiceStatus(tx: Tx, id: string, state: InvoiceState): Promise<void> {
  await tx.invoice.update({
    where: { id },
    data: {
      status: state.status,
      additionalStatus: state.additionalStatus,
      amountPaid: state.amountPaid.toString(),
      ...(state.amountSettled === undefined ? {} : { amountSettled: state.amountSettled.toString() }),
    },
  });
}
