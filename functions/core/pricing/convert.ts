import { currencyExponent } from '../../../shared/money/currencies';

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
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new RangeError(`${currency} is not an ISO 4217 currency`);
  const denominator = rateNumerator * 10n ** BigInt(exponent);
  return (numerator + denominator - 1n) / denominator;
}
