import { z } from 'zod';
import { address, asset, baseUnits, blockNumber, chainId, hash32, uuid } from './fields';

const paymentRef = { paymentId: uuid, invoiceId: uuid };

export const paymentDetected = z.object({
  ...paymentRef,
  chainId,
  asset,
  txHash: hash32,
  /** -1 for a native transfer. */
  logIndex: z.number().int().min(-1),
  blockNumber,
  blockHash: hash32,
  from: address,
  to: address,
  amount: baseUnits,
});

export const paymentConfirmed = z.object({ ...paymentRef, confirmations: z.number().int().positive(), blockNumber });

export const paymentReorged = z.object({ ...paymentRef, blockNumber, blockHash: hash32 });
