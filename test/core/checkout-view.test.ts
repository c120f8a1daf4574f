import { paymentUri } from '../../functions/core/checkout/payment-uri';
import { checkoutView, type CheckoutState } from '../../functions/core/checkout/view';
import type { CheckoutRow } from '../../functions/core/queries/checkout';

const to = '0x6fac4d18c912343bf86fa7049364dd4e424ab9c0';
const token = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const now = new Date('2026-12-03T12:00:00Z');

const row = (over: Partial<CheckoutRow>): CheckoutRow => ({
  id: '3e28b1f4-d031-497a-bf0c-ad2e652d470a',
  status: 'New',
  additionalStatus: 'None',
  chainId: 31337,
  asset: token,
  amount: '10000000',
  amountPaid: '0',
  fiatAmount: null,
  fiatCurrency: null,
  depositAddress: to,
  confirmationsRequired: 6,
  lowestConfirmations: null,
  orderId: null,
  redirectUrl: null,
  expiresAt: new Date('2026-12-03T12:15:00Z'),
  merchantName: 'Shop',
  frameAncestors: [],
  ...over,
});
const tusd = { symbol: 'TUSD', decimals: 6 };

describe('paymentUri (EIP-681)', () => {
  it.each([
    [
      'native coin: value in wei',
      { chainId: 1, asset: 'native', to, amount: 10n ** 16n },
      'ethereum:0x6Fac4D18c912343BF86fa7049364Dd4E424Ab9C0@1?value=10000000000000000',
    ],
    [
      'ERC-20: transfer to the address, uint256 in token units',
      { chainId: 31337, asset: token, to, amount: 6_000_000n },
      'ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3@31337/transfer?address=0x6Fac4D18c912343BF86fa7049364Dd4E424Ab9C0&uint256=6000000',
    ],
  ])('%s', (_name, request, expected) => {
    expect(paymentUri(request)).toBe(expected);
  });
});

describe('checkoutView: what the buyer is told', () => {
  it.each<[string, Partial<CheckoutRow>, CheckoutState, { due: string; uri: boolean }]>([
    ['nothing paid yet', {}, 'waiting', { due: '10 TUSD', uri: true }],
    ['part paid', { amountPaid: '4000000' }, 'partial', { due: '6 TUSD', uri: true }],
    ['past expiry, not yet recorded by payment', { expiresAt: now }, 'expired', { due: '10 TUSD', uri: false }],
    ['paid, confirming', { status: 'Processing', amountPaid: '10000000' }, 'confirming', { due: '0 TUSD', uri: false }],
    ['settled', { status: 'Settled', amountPaid: '10000000' }, 'settled', { due: '0 TUSD', uri: false }],
    ['expired', { status: 'Expired' }, 'expired', { due: '10 TUSD', uri: false }],
    [
      'paid after expiry',
      { status: 'Expired', additionalStatus: 'PaidLate' },
      'paid-late',
      { due: '10 TUSD', uri: false },
    ],
    ['failed to confirm', { status: 'Invalid', amountPaid: '10000000' }, 'invalid', { due: '0 TUSD', uri: false }],
  ])('%s: %s', (_name, over, state, { due, uri }) => {
    const view = checkoutView(row(over), tusd, now);
    expect(view.state).toBe(state);
    expect(view.amountDue).toBe(due);
    expect(view.paymentUri !== null).toBe(uri);
  });

  it('asks for the remainder once part is paid', () => {
    expect(checkoutView(row({ amountPaid: '4000000' }), tusd, now).paymentUri).toMatch(/&uint256=6000000$/);
  });

  it.each([
    [{ lowestConfirmations: 2 }, { count: 2, required: 6 }],
    // A payment confirmed past what is required, the others still short: the fewest is shown.
    [{ lowestConfirmations: 9 }, { count: 6, required: 6 }],
    // None left confirming (the next scan settles it): shown complete.
    [{ lowestConfirmations: null }, { count: 6, required: 6 }],
  ])('confirmations: %j → %j', (over, expected) => {
    expect(checkoutView(row({ status: 'Processing', ...over }), tusd, now).confirmations).toEqual(expected);
  });

  it.each<[string, Partial<CheckoutRow>, string | null]>([
    ['no redirect URL', { status: 'Settled' }, null],
    ['not paid yet', { redirectUrl: 'https://shop.example/{InvoiceId}' }, null],
    [
      'placeholders filled and encoded',
      { status: 'Settled', orderId: 'a&b=c', redirectUrl: 'https://shop.example/r?i={InvoiceId}&o={OrderId}' },
      'https://shop.example/r?i=3e28b1f4-d031-497a-bf0c-ad2e652d470a&o=a%26b%3Dc',
    ],
    [
      'no order id: empty',
      { status: 'Settled', redirectUrl: 'https://shop.example/r?o={OrderId}' },
      'https://shop.example/r?o=',
    ],
  ])('return link: %s', (_name, over, expected) => {
    expect(checkoutView(row(over), tusd, now).returnUrl).toBe(expected);
  });

  it('shows the fiat price in the currency minor unit', () => {
    expect(checkoutView(row({ fiatAmount: '1999', fiatCurrency: 'USD' }), tusd, now).price).toBe('19.99 USD');
    expect(checkoutView(row({ fiatAmount: '500', fiatCurrency: 'JPY' }), tusd, now).price).toBe('500 JPY');
  });
});
