import type { ChainReader } from './chain-reader';

/**
 * The newest block we scanned that is still on the chain, comparing the hashes we kept (`stored`,
 * by number) with the chain's. Equal to `last` when nothing changed (one header read); lower after a
 * reorg or when the chain went back (evm_revert, a node resync).
 */
export async function findForkPoint(
  reader: ChainReader,
  stored: ReadonlyMap<bigint, string>,
  chain: { id: number; last: bigint; window: number },
): Promise<bigint> {
  for (let number = chain.last; stored.has(number); number--) {
    const onChain = await reader.header(number);
    if (onChain?.hash === stored.get(number)) return number;
  }
  throw new Error(
    `Chain ${String(chain.id)} reorganised deeper than the ${String(chain.window)} blocks kept: an operator must look`,
  );
}
