import type { Tx } from '../../../shared/db';
import type { BlockHeader } from '../scan/chain-reader';

/** Serialises scans of one chain across every process: two scans at once take turns, never interleave. */
export async function lockChain(tx: Tx, chainId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('knpay.scan'), ${chainId})`;
}

export async function lastScannedBlock(tx: Tx, chainId: number): Promise<{ number: bigint; hash: string } | null> {
  return tx.chainBlock.findFirst({
    where: { chainId },
    orderBy: { number: 'desc' },
    select: { number: true, hash: true },
  });
}

/** The stored hashes from `from` up, to compare with the chain when looking for a fork. */
export async function scannedHashes(tx: Tx, chainId: number, from: bigint): Promise<Map<bigint, string>> {
  const rows = await tx.chainBlock.findMany({
    where: { chainId, number: { gte: from } },
    select: { number: true, hash: true },
  });
  return new Map(rows.map((row) => [row.number, row.hash]));
}

export async function recordBlocks(tx: Tx, chainId: number, headers: BlockHeader[], keep: number): Promise<void> {
  await tx.chainBlock.createMany({
    data: headers.map((h) => ({
      chainId,
      number: h.number,
      hash: h.hash,
      parentHash: h.parentHash,
      timestamp: h.time,
    })),
  });
  const newest = headers.at(-1);
  if (newest) await tx.chainBlock.deleteMany({ where: { chainId, number: { lte: newest.number - BigInt(keep) } } });
}

/** Forgets the blocks the chain no longer has. */
export async function forgetBlocksAfter(tx: Tx, chainId: number, forkPoint: bigint): Promise<void> {
  await tx.chainBlock.deleteMany({ where: { chainId, number: { gt: forkPoint } } });
}
