/** ISO 4217 minor-unit exponents that are not 2. */
const zeroDecimalCurrencies = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG', 'RWF']);
const threeDecimalCurrencies = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND', 'IQD', 'LYD']);

export function currencyExponent(currency: string): number {
  if (zeroDecimalCurrencies.has(currency)) return 0;
  if (threeDecimalCurrencies.has(currency)) return 3;
  return 2;
}

/**
 * Fiat minor units → asset base units at `rate` (fiat per whole asset unit, a decimal string), in
 * exact integer arithmetic, rounded up so the merchant is never short by a base unit.
 */
export function fiatToBaseUnits(fiatMinor: bigint, currency: string, rate: string, assetDecimals: number): bigint {
  const [whole = '0', fraction = ''] = rate.split('.');
  const rateNumerator = BigInt(whole + fraction);
  if (rateNumerator === 0n) throw new RangeError('A rate of zero cannot price anything');
  const rateDenominator = 10n ** BigInt(fraction.length);
  const numerator = fiatMinor * 10n ** BigInt(assetDecimals) * rateDenominator;
  const denominator = rateNumerator * 10n ** BigInt(currencyExponent(currency));
  return (numerator + denominator - 1n) / denominator;
}
