import { z } from 'zod';

const UINT256_MAX = (1n << 256n) - 1n;

/** An amount in base units (wei, token units) as a decimal string: JSON numbers cannot hold 2^256. */
export const baseUnits = z
  .string()
  .regex(/^(0|[1-9]\d*)$/, { message: 'must be a non-negative integer in base units, as a string' })
    // zod runs refinements even after the regex failed: only a string of digits is weighed.
  .refine((value) => !/^\d+$/.test(value) || (value.length <= 78 && BigInt(value) <= UINT256_MAX), {
    message: 'must be below 2^256',
  });

export const uuid = z.uuid();
export const chainId = z.number().int().positive();
export const address = z.string().regex(/^0x[0-9a-f]{40}$/, { message: 'must be a lower-case 0x-prefixed address' });
export const hash32 = z.string().regex(/^0x[0-9a-f]{64}$/, { message: 'must be a lower-case 0x-prefixed 32-byte hash' });
/** "native" for the chain's coin, else the ERC-20 contract address. */
export const asset = z.union([z.literal('native'), address]);
export const blockNumber = z.number().int().nonnegative();
export const timestamp = z.iso.datetime({ offset: true });
