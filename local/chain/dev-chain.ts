import { mnemonicToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import type { Logger } from 'pino';
import { Client } from 'pg';
import { HARDHAT_MNEMONIC } from './accounts';
import { startChainNode, type ChainNode } from './node';
import { deployTestToken } from './test-token';
import { chainClient, payToken, type ChainClient } from './wallet';

/** Hardhat's ten funded accounts (m/44'/60'/0'/0/0-9 of its phrase); the first deploys the test token. */
export const devAccounts: Address[] = Array.from(
  { length: 10 },
  (_, i) => mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: i }).address.toLowerCase() as Address,
);

/** Test USD each dev account gets: 1,000,000 with 6 decimals. */
const TOKEN_FUNDING = 1_000_000n * 10n ** 6n;

export interface DevChain {
  node: ChainNode;
  /** The test ERC-20 (6 decimals, like USDT), configured as USDT. */
  token: { symbol: 'USDT'; address: Address; decimals: 6 };
}

/**
 * make dev's own chain, made to behave like a real one: a block every `blockMs` (hardhat otherwise
 * mines only when a transaction comes, so confirmations would never come on their own), a USDT-like
 * token deployed and every dev account funded with it. Hardhat keeps no state between runs: a chain
 * the database saw in an earlier run is gone, so its scanned blocks are forgotten (see below).
 */
export async function startDevChain(options: {
  port: number;
  blockMs: number;
  databaseUrl: string;
  log: Logger;
}): Promise<DevChain> {
  const node = await startChainNode({ port: options.port });
  const client = chainClient(node.url);
  await forgetReplacedChain(client, options.databaseUrl, node.chainId, options.log);
  const address = await deployTestToken(client, devAccounts[0] as Address);
  for (const account of devAccounts.slice(1))
    await payToken(client, address, devAccounts[0] as Address, account, TOKEN_FUNDING);
  await client.setIntervalMining({ interval: options.blockMs / 1000 });
  return { node, token: { symbol: 'USDT', address, decimals: 6 } };
}

/**
 * A new local chain is a new chain: when the newest block the database scanned is not on this node
 * (hardhat started again from genesis), the kept blocks of that chain are deleted, so the next scan
 * starts afresh near the head instead of finding a reorg deeper than it keeps. Payments and invoices
 * recorded in the earlier run stay as they were; an unconfirmed payment of that run never confirms.
 */
async function forgetReplacedChain(client: ChainClient, databaseUrl: string, chainId: number, log: Logger) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ number: string; hash: string }>(
      'SELECT number::text AS number, hash FROM chain_blocks WHERE chain_id = $1 ORDER BY chain_blocks.number DESC LIMIT 1',
      [chainId],
    );
    const newest = rows[0];
    if (!newest) return;
    const onChain = await client.getBlock({ blockNumber: BigInt(newest.number) }).catch(() => null);
    if (onChain?.hash.toLowerCase() === newest.hash) return;
    const { rowCount } = await db.query('DELETE FROM chain_blocks WHERE chain_id = $1', [chainId]);
    log.warn(
      { chainId, forgottenBlocks: rowCount, newestScanned: newest.number },
      'the local chain started again from genesis (hardhat keeps no state between runs): ' +
        'the blocks scanned in the last run are forgotten and scanning starts afresh',
    );
  } finally {
    await db.end();
  }
}
