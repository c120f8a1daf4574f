import type { Db } from '../../../shared/db';
import type { PaymentConfig } from '../config';
import { lastScannedBlock, scannedHashes } from '../queries/blocks';
import { watchedAddresses } from '../queries/invoices';
import type { ChainReader } from './chain-reader';
import { findForkPoint } from './fork';
import { readRange, type RangeRead } from './read-range';

/** A round's reading of the chain, made with no transaction open and no lock held. */
export interface RoundPlan {
  /** The newest block kept when the round began: the round is recorded only if it is still the newest. */
  basis: { number: bigint; hash: string } | null;
  head: bigint;
  /** The newest kept block still on the chain; below `basis` after a reorg. */
  checkpoint: bigint;
  from: bigint;
  to: bigint;
  /** Null when the chain moved while it was read, or when there was nothing new to read. */
  range: RangeRead | null;
}

/**
 * Reads what a round will record: the head first, then what the database holds (so an invoice made
 * before the head was read is watched), then the fork point and the next blocks from the node. A slow
 * or hanging node holds no connection and no lock: other scans and other work go on, and the RPC
 * timeout (CHAIN_RPC_TIMEOUT_MS) ends the wait.
 */
export async function planRound(db: Db, reader: ChainReader, config: PaymentConfig, now: Date): Promise<RoundPlan> {
  const chainId = config.CHAIN_ID;
  const head = await reader.head();
  const basis = await lastScannedBlock(db, chainId);
  const stored = basis
    ? await scannedHashes(db, chainId, basis.number - BigInt(config.REORG_WINDOW_BLOCKS))
    : new Map<bigint, string>();
  const watched = await watchedAddresses(db, chainId, now);

  // The first scan starts a little below the head; later ones at the newest block still on the chain.
  const checkpoint = basis
    ? await findForkPoint(reader, stored, { id: chainId, last: basis.number, window: config.REORG_WINDOW_BLOCKS })
    : maxBig(-1n, head - BigInt(config.SCAN_LOOKBACK_BLOCKS));
  const from = checkpoint + 1n;
  const to = minBig(head, checkpoint + BigInt(config.SCAN_BATCH_BLOCKS));
  const range =
    from <= to ? await readRange(reader, config, { from, to, previousHash: stored.get(checkpoint), watched }) : null;
  return { basis, head, checkpoint, from, to, range };
}

export const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
