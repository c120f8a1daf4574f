import { createPublicClient, http, type PublicClient } from 'viem';
import type { Logger } from 'pino';

export interface BlockSeen {
  chainId: number;
  number: number;
  hash: string;
  parentHash: string;
  timestamp: string;
}

export interface FollowOptions {
  chainId: number;
  rpcUrl: string;
  pollMs: number;
  log: Logger;
  /** Resolves when the block is handed on; a rejection is retried on the next poll. */
  onBlock(block: BlockSeen): Promise<void>;
  signal: AbortSignal;
}

/** Blocks announced one by one after a gap; past that only the head is (a scan reads the range anyway). */
const MAX_CATCH_UP = 16;

/**
 * Follows the chain head by polling eth_blockNumber, which every node and provider serves (a
 * WebSocket subscription would tie us to providers that keep one open). A new number or a new hash
 * at the same number (a reorg) is a new head.
 */
export async function followHead(options: FollowOptions): Promise<void> {
  const client: PublicClient = createPublicClient({
    transport: http(options.rpcUrl, { timeout: 10_000, retryCount: 0 }),
  });
  let last: { number: bigint; hash: string } | undefined;
  while (!options.signal.aborted) {
    try {
      const head = await client.getBlock({ blockTag: 'latest' });
      if (!last || head.number > last.number || head.hash !== last.hash) {
        const from =
          last && head.number > last.number
            ? maxBig(last.number + 1n, head.number - BigInt(MAX_CATCH_UP) + 1n)
            : head.number;
        for (let n = from; n <= head.number; n++) {
          const block = n === head.number ? head : await client.getBlock({ blockNumber: n });
          await options.onBlock({
            chainId: options.chainId,
            number: Number(block.number),
            hash: block.hash.toLowerCase(),
            parentHash: block.parentHash.toLowerCase(),
            timestamp: new Date(Number(block.timestamp) * 1000).toISOString(),
          });
        }
        last = { number: head.number, hash: head.hash };
      }
    } catch (error) {
      options.log.warn({ err: { message: (error as Error).message } }, 'chain head not followed this time; retrying');
    }
    await sleep(options.pollMs, options.signal);
  }
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
