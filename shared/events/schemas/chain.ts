import { z } from 'zod';
import { blockNumber, chainId, hash32, timestamp } from './fields';

export const chainBlockSeen = z.object({ chainId, number: blockNumber, hash: hash32, parentHash: hash32, timestamp });

export const chainScanRequested = z.object({
  chainId,
  /** What asked: the cron schedule (the safety net), a new block, or an operator. */
  reason: z.enum(['schedule', 'block', 'operator']),
});
