import type { Tx } from '../../../shared/db';
import { scannedHashes } from '../queries/blocks';
import type { ChainReader } from './chain-reader';

/**
 * The newest block we scanned that is still on the chain. Equal to `last` when nothing changed (one
 * header read); lower after a reorg or when the chain went back (evm_revert, a node resync).
 */
export async function findForkPoint(tx: Tx, reader: ChainReader, chainId: number, last: bigint, window: number): Promise<bigint> {
  const stored = await scannedHashes(tx, chainId, last - BigInt(window));
  for (let number = last; stored.has(number); number--) {
    const onChain = await reader.header(number);
    if (onChain?.hash === stored.get(number)) return number;
  }
  throw new Error(`Chain ${String(chainId)} reorganised deeper than the ${String(window)} blocks kept: an operator must look`);
}
