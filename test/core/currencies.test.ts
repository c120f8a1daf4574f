import { fiatToBaseUnits } from '../../functions/core/pricing/convert';
import { currencyExponent } from '../../shared/money/currencies';
import { startCoreStack, type CoreStack } from '../helpers/core-stack';

// Every ISO 4217 currency whose minor unit is not 2 decimals (list one, as published 2024-06-25),
// written out here by hand so that the package the code reads is checked, not echoed.
const exponents: [string, number][] = [
  ...[
    'BIF',
    'CLP',
    'DJF',
    'GNF',
    'ISK',
    'JPY',
    'KMF',
    'KRW',
    'PYG',
    'RWF',
    'UGX',
    'UYI',
    'VND',
    'VUV',
    'XAF',
    'XOF',
    'XPF',
  ].map((code): [string, number] => [code, 0]),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code): [string, number] => [code, 3]),
  ['CLF', 4],
  ['UYW', 4],
  ['USD', 2],
  ['EUR', 2],
];

describe('ISO 4217 minor units', () => {
  it.each(exponents)(
    '%s has %i decimals, and 100 minor units at a rate of 1 price an 18-decimal asset accordingly',
    (code, exponent) => {
      expect(currencyExponent(code)).toBe(exponent);
      expect(fiatToBaseUnits(100n, code, '1', 18)).toBe(100n * 10n ** BigInt(18 - exponent));
    },
  );

  it.each(['ABC', 'XAU', 'XXX', 'XTS', 'usd', ''])('knows no minor unit for %j', (code) => {
    expect(currencyExponent(code)).toBeUndefined();
    expect(() => fiatToBaseUnits(100n, code, '1', 18)).toThrow(RangeError);
  });
});

describe('pricing through the merchant API', () => {
  let cs: CoreStack;
  beforeAll(async () => {
    cs = await startCoreStack({ RATES_FIXED: 'ETH/XPF=300000,ETH/CLF=80.5,ETH/KWD=950.125,ETH/USD=3000' });
  });
  afterAll(() => cs.stop());

  const priced: [string, number, string][] = [
    // 3,000 XPF at 300,000 XPF/ETH is 0.01 ETH (with 2 decimals assumed it would be 100 times less).
    ['XPF', 3_000, '10000000000000000'],
    // 1.6100 CLF at 80.5 CLF/ETH is 0.02 ETH.
    ['CLF', 16_100, '20000000000000000'],
    // 9.502 KWD at 950.125 KWD/ETH is 0.010000789369819760... ETH, rounded up to the wei.
    ['KWD', 9_502, '10000789369819761'],
    ['USD', 3_000, '10000000000000000'],
  ];
  it.each(priced)('prices %s %i minor units as %s wei', async (currency, amount, wei) => {
    const res = await cs.call('POST', '/v1/invoices', { asset: 'ETH', price: { amount, currency } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: wei, price: { amount, currency } });
  });
});
