import { outboxInsert, wakeRelay } from '../../../shared/db';
import { createEvent } from '../../../shared/events';
import type { AuditTx } from '../services/audited';
import type { Mark, MarkFacts } from '../invoices/mark';

interface LockedInvoice extends MarkFacts {
  id: string;
  merchantId: string;
  chainId: number;
  asset: string;
  amount: string;
  additionalStatus: string;
}

/** The invoice, locked for the rest of the transaction (payment's updates wait), with its facts. */
export async function lockInvoice(tx: AuditTx, id: string): Promise<LockedInvoice | undefined> {
  const [row] = await tx.$queryRaw<(Omit<LockedInvoice, 'confirmed'> & { confirmed: string })[]>`
    SELECT i.id::text, i.merchant_id::text AS "merchantId", i.status::text, i.additional_status::text AS "additionalStatus",
           i.chain_id AS "chainId", i.asset, i.amount::text,
           (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'Confirmed')::text
             AS confirmed,
           EXISTS (SELECT 1 FROM ledger_entries l WHERE l.invoice_id = i.id) AS credited
    FROM invoices i WHERE i.id = ${id}::uuid FOR UPDATE OF i`;
  // Base units can pass 2^63: summed as numeric, read as text, made a bigint here.
  return row && { ...row, confirmed: BigInt(row.confirmed) };
}

/**
 * The mark written (status, additional status Marked, what it settled for) and announced through the
 * outbox in the same transaction: a settlement is credited by core like any other, once.
 */
export async function applyMark(
  tx: AuditTx,
  invoice: LockedInvoice,
  mark: { status: Mark; amountSettled: bigint | null },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE invoices SET status = ${mark.status}::invoice_status, additional_status = 'Marked',
           amount_settled = ${mark.amountSettled?.toString() ?? null}::numeric, updated_at = now()
    WHERE id = ${invoice.id}::uuid`;
  const ref = { invoiceId: invoice.id, merchantId: invoice.merchantId };
  const event =
    mark.status === 'Settled'
      ? createEvent('io.knpay.invoice.settled.v1', {
          source: '/knpay/admin',
          subject: invoice.id,
          data: {
            ...ref,
            chainId: invoice.chainId,
            asset: invoice.asset,
            amount: invoice.amount,
            amountPaid: (mark.amountSettled ?? 0n).toString(),
            additionalStatus: 'Marked',
          },
        })
      : createEvent('io.knpay.invoice.invalid.v1', {
          source: '/knpay/admin',
          subject: invoice.id,
          data: { ...ref, reason: 'marked' },
        });
  await tx.$executeRaw(outboxInsert([event]));
  await tx.$executeRaw`SELECT ${wakeRelay}`;
}
