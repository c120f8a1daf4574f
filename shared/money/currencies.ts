import { code as iso4217 } from 'currency-codes';

/**
 * ISO 4217 entries that are no country's money (precious metals, bond-market units, the testing code,
 * "no currency"): the standard gives them no minor unit, so nothing can be priced in them.
 */
const notMoney = (countries: readonly string[]) => countries.every((country) => /^zz/i.test(country));

/** The number of decimals of an ISO 4217 currency's minor unit, or undefined for a code it does not list. */
export function currencyExponent(currency: string): number | undefined {
  // The package looks codes up in any case; ISO 4217 codes are capitals, and so are ours.
  const entry = /^[A-Z]{3}$/.test(currency) ? iso4217(currency) : undefined;
  if (entry === undefined || notMoney(entry.countries)) return undefined;
  return entry.digits;
}

export const isPriceableCurrency = (currency: string): boolean => currencyExponent(currency) !== undefined;
