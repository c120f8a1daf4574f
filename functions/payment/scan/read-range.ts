import type { PaymentConfig } from '../config';
import type { WatchedAddress } from '../queries/invoices';
import type { DetectedPayment } from '../queries/payments';
import type { BlockHeader, ChainReader } from './chain-reader';

/** Blocks read at once: enough to hide RPC latency without flooding a public endpoint. */
const PARALLEL_READS = 8;

export interface RangeRead {
  headers: BlockHeader[];
  payments: DetectedPayment[];
}

/**
 * Reads blocks [from, to]: native transfers to watched deposit addresses from each block's
 * transactions, ERC-20 transfers from one eth_getLogs over the range. Null when the chain moved
 * while we read (the blocks do not link up, or a log names another block hash): the next round
 * finds the fork and reads again. Chain reads only: no database work is open while it waits on the node.
 */
export interface RangeToRead {
  from: bigint;
  to: bigint;
  /** The hash we kept of block from − 1, which block `from` must name as its parent (none on a first scan). */
  previousHash: string | undefined;
  watched: ReadonlyMap<string, WatchedAddress>;
}

export async function readRange(
  reader: ChainReader,
  config: PaymentConfig,
  range: RangeToRead,
): Promise<RangeRead | null> {
  const { watched } = range;
  const addresses = new Set(watched.keys());
  const blocks: Awaited<ReturnType<ChainReader['blockWithTransfers']>>[] = [];
  for (let start = range.from; start <= range.to; start += BigInt(PARALLEL_READS)) {
    const numbers: bigint[] = [];
    for (let n = start; n <= range.to && n < start + BigInt(PARALLEL_READS); n++) numbers.push(n);
    blocks.push(...(await Promise.all(numbers.map((n) => reader.blockWithTransfers(n, addresses)))));
  }
  const headers = blocks.map((b) => b.header);
  if (!linked(headers, range.previousHash)) return null;

  const tokens = (config.CHAIN_TOKENS ?? []).map((t) => t.address);
  const logs = await reader.tokenTransfers(range.from, range.to, tokens, [...addresses]);
  const byNumber = new Map(headers.map((h) => [h.number, h]));
  if (logs.some((log) => byNumber.get(log.blockNumber)?.hash !== log.blockHash)) return null;

  const payments: DetectedPayment[] = [];
  const paymentTo = (to: string, asset: string) => {
    const target = watched.get(to);
    // A coin sent to an address that asked for another asset is not a payment of that invoice.
    return target && target.asset === asset ? target.invoiceId : undefined;
  };
  for (const { header, transfers } of blocks) {
    for (const t of transfers) {
      const invoiceId = paymentTo(t.to, 'native');
      if (invoiceId)
        payments.push({
          invoiceId,
          chainId: config.CHAIN_ID,
          asset: 'native',
          txHash: t.txHash,
          logIndex: -1,
          blockNumber: header.number,
          blockHash: header.hash,
          blockTime: header.time,
          from: t.from,
          to: t.to,
          amount: t.value,
        });
    }
  }
  for (const log of logs) {
    const invoiceId = paymentTo(log.to, log.token);
    const header = byNumber.get(log.blockNumber);
    if (invoiceId && header)
      payments.push({
        invoiceId,
        chainId: config.CHAIN_ID,
        asset: log.token,
        txHash: log.txHash,
        logIndex: log.logIndex,
        blockNumber: header.number,
        blockHash: header.hash,
        blockTime: header.time,
        from: log.from,
        to: log.to,
        amount: log.value,
      });
  }
  return { headers, payments };
}

function linked(headers: BlockHeader[], previousHash: string | undefined): boolean {
  return headers.every((h, i) => {
    const parent = i === 0 ? previousHash : headers[i - 1]?.hash;
    return parent === undefined || h.parentHash === parent;
  });
}
