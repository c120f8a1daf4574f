import { z } from 'zod';
import { jsonbProblem } from '../../json';

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
/** EIP-155 chain ids as PostgreSQL's integer holds them (every chain in use is far below 2^31). */
export const chainId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
export const address = z.string().regex(/^0x[0-9a-f]{40}$/, { message: 'must be a lower-case 0x-prefixed address' });
export const hash32 = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/, { message: 'must be a lower-case 0x-prefixed 32-byte hash' });
/** "native" for the chain's coin, else the ERC-20 contract address. */
export const asset = z.union([z.literal('native'), address]);
export const blockNumber = z.number().int().nonnegative();
/**
 * An RFC 3339 time with its offset, in the years PostgreSQL and JavaScript agree on (1-9999): ISO's
 * year 0000 parses in JavaScript but timestamptz has no year zero.
 */
export const timestamp = z.iso.datetime({ offset: true }).refine(
  (value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1 && year <= 9999;
  },
  { message: 'must be in the years 0001-9999' },
);

/**
 * A JSON object PostgreSQL stores as jsonb as it is: no NUL, no lone surrogate, not too deep. A loose
 * object, not z.record: zod's record refuses an object with its own key "constructor".
 */
export function jsonbObject<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape).superRefine((value, context) => {
    const problem = jsonbProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem, input: value });
  });
}
