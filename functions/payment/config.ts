import { z } from 'zod';
import { chainConfigSchema } from '../../shared/chain';
import { env } from '../../shared/config';

export const paymentConfigSchema = chainConfigSchema.extend({
  /** Blocks read per scan transaction: a long catch-up commits as it goes. */
  SCAN_BATCH_BLOCKS: env.integer(1, 1000).default(100),
  /** Where the very first scan starts: this many blocks below the head. */
  SCAN_LOOKBACK_BLOCKS: env.integer(0, 100_000).default(256),
  /** Block hashes kept to recognise a reorg; a deeper one stops the scan for an operator. */
  REORG_WINDOW_BLOCKS: env.integer(2, 10_000).default(128),
  CHAIN_RPC_TIMEOUT_MS: env.integer(100, 120_000).default(10_000),
});

export type PaymentConfig = z.output<typeof paymentConfigSchema>;
