import { createPublicClient, http, parseAbiItem, type PublicClient } from 'viem';

export const transferEvent = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');

export interface BlockHeader {
  number: bigint;
  hash: string;
  parentHash: string;
  time: Date;
}

export interface NativeTransfer {
  txHash: string;
  from: string;
  to: string;
  value: bigint;
}

export interface TokenTransfer extends NativeTransfer {
  token: string;
  logIndex: number;
  blockNumber: bigint;
  blockHash: string;
}

/** The few JSON-RPC reads a scan makes, over viem. Addresses and hashes come back lower-case. */
export class ChainReader {
  private readonly client: PublicClient;

  constructor(rpcUrl: string, timeoutMs = 10_000) {
    this.client = createPublicClient({ transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 1 }) });
  }

  /**
   * eth_blockNumber asked afresh: viem's getBlockNumber shares one request in flight among its
   * callers, so one that hangs would hold every scan of the process until it timed out.
   */
  async head(): Promise<bigint> {
    return BigInt(await this.client.request({ method: 'eth_blockNumber' }));
  }

  /** The header, or null when the chain is not that long (any more). */
  async header(number: bigint): Promise<BlockHeader | null> {
    try {
      return headerOf(await this.client.getBlock({ blockNumber: number }));
    } catch (error) {
      if ((error as { name?: string }).name === 'BlockNotFoundError') return null;
      throw error;
    }
  }

  /** A block's header and its value transfers to any of `watched`, counting only transactions that succeeded. */
  async blockWithTransfers(
    number: bigint,
    watched: ReadonlySet<string>,
  ): Promise<{ header: BlockHeader; transfers: NativeTransfer[] }> {
    const block = await this.client.getBlock({ blockNumber: number, includeTransactions: true });
    const candidates = block.transactions.filter(
      (tx) => tx.to !== null && tx.value > 0n && watched.has(tx.to.toLowerCase()),
    );
    const receipts = await Promise.all(candidates.map((tx) => this.client.getTransactionReceipt({ hash: tx.hash })));
    const transfers = candidates
      .filter((_tx, i) => receipts[i]?.status === 'success')
      .map((tx) => ({
        txHash: tx.hash.toLowerCase(),
        from: tx.from.toLowerCase(),
        to: (tx.to ?? '').toLowerCase(),
        value: tx.value,
      }));
    return { header: headerOf(block), transfers };
  }

  /** ERC-20 Transfer logs of `tokens` to any of `watched` in [from, to]: one eth_getLogs filtered by topic. */
  async tokenTransfers(from: bigint, to: bigint, tokens: string[], watched: string[]): Promise<TokenTransfer[]> {
    if (tokens.length === 0 || watched.length === 0) return [];
    const logs = await this.client.getLogs({
      address: tokens as `0x${string}`[],
      event: transferEvent,
      args: { to: watched as `0x${string}`[] },
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    return logs.map((log) => ({
      token: log.address.toLowerCase(),
      txHash: log.transactionHash.toLowerCase(),
      logIndex: log.logIndex,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      from: log.args.from.toLowerCase(),
      to: log.args.to.toLowerCase(),
      value: log.args.value,
    }));
  }
}

function headerOf(block: {
  number: bigint | null;
  hash: string | null;
  parentHash: string;
  timestamp: bigint;
}): BlockHeader {
  if (block.number === null || block.hash === null) throw new Error('A pending block has no number or hash');
  return {
    number: block.number,
    hash: block.hash.toLowerCase(),
    parentHash: block.parentHash.toLowerCase(),
    time: new Date(Number(block.timestamp) * 1000),
  };
}
