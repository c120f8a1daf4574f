import { randomUUID } from 'node:crypto';
import type { Tx } from '../../../shared/db';

export interface DetectedPayment {
  invoiceId: string;
  chainId: number;
  asset: string;
  txHash: string;
  logIndex: number;
  blockNumber: bigint;
  blockHash: string;
  blockTime: Date;
  from: string;
  to: string;
  amount: bigint;
}

/**
 * Records a payment once per (chain, tx, log index). One seen before and reorged away that is back
 * on the chain is detected again, in its new block. Gives back its id when this call recorded it,
 * null when it was already known.
 */
export async function recordPayment(tx: Tx, p: DetectedPayment): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO payments (id, invoice_id, chain_id, asset, tx_hash, log_index, block_number, block_hash, block_time,
                          from_address, to_address, amount, status, confirmations, updated_at)
    VALUES (${randomUUID()}::uuid, ${p.invoiceId}::uuid, ${p.chainId}, ${p.asset}, ${p.txHash}, ${p.logIndex}, ${p.blockNumber},
            ${p.blockHash}, ${p.blockTime}, ${p.from}, ${p.to}, ${p.amount.toString()}::numeric, 'Detected', 0, now())
    ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE
      SET status = 'Detected', block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
          block_time = EXCLUDED.block_time, confirmations = 0, updated_at = now()
      WHERE payments.status = 'Reorged'
    RETURNING id::text`;
  return rows[0]?.id ?? null;
}

export interface ReorgedPayment {
  id: string;
  invoiceId: string;
  blockNumber: bigint;
  blockHash: string;
}

/** Every payment in a block after the fork point is no longer on the chain. */
export function markReorged(tx: Tx, chainId: number, forkPoint: bigint): Promise<ReorgedPayment[]> {
  return tx.$queryRaw<ReorgedPayment[]>`
    UPDATE payments SET status = 'Reorged', confirmations = 0, updated_at = now()
    WHERE chain_id = ${chainId} AND block_number > ${forkPoint} AND status <> 'Reorged'
    RETURNING id::text, invoice_id::text AS "invoiceId", block_number AS "blockNumber", block_hash AS "blockHash"`;
}

export interface ConfirmedPayment {
  id: string;
  invoiceId: string;
  confirmations: number;
  blockNumber: bigint;
}

/**
 * Counts confirmations up to `tip` for payments not yet confirmed, and confirms those that reached
 * their invoice's requirement. Gives back the ones confirmed by this call.
 */
export function countConfirmations(tx: Tx, chainId: number, tip: bigint): Promise<ConfirmedPayment[]> {
  return tx.$queryRaw<ConfirmedPayment[]>`
    WITH counted AS (
      UPDATE payments p
      SET confirmations = (${tip} - p.block_number + 1)::int,
          status = CASE WHEN ${tip} - p.block_number + 1 >= i.confirmations_required THEN 'Confirmed'::payment_status ELSE p.status END,
          updated_at = now()
      FROM invoices i
      WHERE i.id = p.invoice_id AND p.chain_id = ${chainId} AND p.status = 'Detected' AND p.block_number <= ${tip}
      RETURNING p.id, p.invoice_id, p.status, p.confirmations, p.block_number
    )
    SELECT id::text, invoice_id::text AS "invoiceId", confirmations, block_number AS "blockNumber" FROM counted WHERE status = 'Confirmed'`;
}
