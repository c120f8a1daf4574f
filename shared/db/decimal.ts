/** A NUMERIC(78,0) column (Prisma's Decimal) as the exact integer it holds: money is never a float. */
export function toBigInt(value: { toFixed(digits: number): string }): bigint {
  return BigInt(value.toFixed(0));
}
