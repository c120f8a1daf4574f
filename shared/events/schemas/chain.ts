import { z } from 'zod';
import { address, blockNumber, chainId, hash32, timestamp } from './fields';

export const chainBlockSeen = z.object({ chainId, number: blockNumber, hash: hash32, parentHash: hash32, timestamp });

export const chainScanRequested = z.object({
  chainId,
  /** What asked: the cron schedule (the safety net), a new block, an operator, or a chain-notification provider. */
  reason: z.enum(['schedule', 'block', 'operator', 'provider']),
  /** What a provider said moved: the addresses and the block (the scan reads the chain either way). */
  addresses: z.array(address).max(1000).optional(),
  blockNumber: blockNumber.optional(),
});
