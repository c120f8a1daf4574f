import { Prisma } from '../../prisma/generated/client';
import { createEvent } from '../../shared/events';
import type { Db } from '../../shared/db';

export const SETTLED_AMOUNT = '1000';

/**
 * `n` settled invoices of a merchant, numbered from `from`, each with the confirmed payment that
 * settled it (core credits only what the payments table bears out). `ids` names each one's id from
 * its number `i` (gen_random_uuid(), or md5(i) for a pgbench script that must name them).
 */
export async function insertSettledInvoices(
  db: Db,
  merchantId: string,
  ids: Prisma.Sql,
  from: number,
  n: number,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH invoice AS (
      INSERT INTO invoices (id, merchant_id, status, chain_id, asset, amount, amount_paid, amount_settled, deposit_address, address_index,
                            confirmations_required, expires_at, monitoring_until, updated_at)
      SELECT ${ids}, ${merchantId}::uuid, 'Settled', 31337, 'native', ${SETTLED_AMOUNT}::numeric, ${SETTLED_AMOUNT}::numeric,
             ${SETTLED_AMOUNT}::numeric, 'bench-' || i, i, 1, now(), now(), now()
      FROM generate_series(${from}::int, ${from + n - 1}::int) AS i
      RETURNING id, address_index
    ),
    payment AS (
      INSERT INTO payments (id, invoice_id, chain_id, asset, tx_hash, log_index, block_number, block_hash, block_time, from_address, to_address,
                            amount, status, confirmations, updated_at)
      SELECT gen_random_uuid(), id, 31337, 'native', 'bench-tx-' || address_index, -1, 1, 'bench-block', now(), 'bench', 'bench-' || address_index,
             ${SETTLED_AMOUNT}::numeric, 'Confirmed', 1, now()
      FROM invoice
    )
    SELECT id::text FROM invoice`;
  return rows.map((r) => r.id);
}

/** Hands out ids one at a time; running out is the bench's own mistake. */
export function takeEach(ids: string[]): { next(): string } {
  let taken = 0;
  return {
    next: () => {
      const id = ids[taken++];
      if (id === undefined) throw new Error('out of invoices');
      return id;
    },
  };
}

/** The settlement of one of those invoices, as the payment function announces it. */
export function settledEvent(invoiceId: string, merchantId: string) {
  return createEvent('io.knpay.invoice.settled.v1', {
    source: 'payment',
    subject: invoiceId,
    data: {
      invoiceId,
      merchantId,
      chainId: 31337,
      asset: 'native',
      amount: SETTLED_AMOUNT,
      amountPaid: SETTLED_AMOUNT,
      additionalStatus: 'None',
    },
  });
}
