import { formatUnits } from 'viem';
import { currencyExponent } from '../../../shared/money/currencies';
import type { CheckoutRow } from '../queries/checkout';
import { paymentUri } from './payment-uri';

/** What the buyer is told, one of BTCPay's checkout states (the invoice's status and additional status). */
export type CheckoutState = 'waiting' | 'partial' | 'confirming' | 'settled' | 'expired' | 'paid-late' | 'invalid';

/** The page's facts, formatted for people; the same for every language (strings/ words them). */
export interface CheckoutView {
  state: CheckoutState;
  invoiceId: string;
  merchantName: string;
  orderId: string | null;
  amount: string;
  amountPaid: string;
  amountDue: string;
  /** Anything arrived at all (an expired invoice with a part paid says so). */
  partlyPaid: boolean;
  /** The fiat price the amount was locked from, when there was one. */
  price: string | null;
  depositAddress: string;
  /** What to pay now (the whole amount, or the remainder): only while the invoice takes payments. */
  paymentUri: string | null;
  confirmations: { count: number; required: number } | null;
  /** The merchant's redirect URL with {InvoiceId} and {OrderId} filled in, once paid. */
  returnUrl: string | null;
  expiresAt: string;
}

export function checkoutView(row: CheckoutRow, asset: { symbol: string; decimals: number }, now: Date): CheckoutView {
  const amount = BigInt(row.amount);
  const paid = BigInt(row.amountPaid);
  const due = amount > paid ? amount - paid : 0n;
  const state = stateOf(row, paid, now);
  const inAsset = (units: bigint) => `${formatUnits(units, asset.decimals)} ${asset.symbol}`;
  const takesPayment = state === 'waiting' || state === 'partial';
  return {
    state,
    invoiceId: row.id,
    merchantName: row.merchantName,
    orderId: row.orderId,
    amount: inAsset(amount),
    amountPaid: inAsset(paid),
    amountDue: inAsset(due),
    partlyPaid: paid > 0n,
    price: priceOf(row),
    depositAddress: row.depositAddress,
    paymentUri: takesPayment
      ? paymentUri({ chainId: row.chainId, asset: row.asset, to: row.depositAddress, amount: due })
      : null,
    confirmations:
      state === 'confirming'
        ? {
            count: Math.min(row.lowestConfirmations ?? row.confirmationsRequired, row.confirmationsRequired),
            required: row.confirmationsRequired,
          }
        : null,
    returnUrl: state === 'settled' || state === 'paid-late' ? returnUrl(row) : null,
    expiresAt: row.expiresAt.toISOString(),
  };
}

function stateOf(row: CheckoutRow, paid: bigint, now: Date): CheckoutState {
  switch (row.status) {
    case 'New':
      // The payment function records an expiry at its next scan; the buyer sees it on time.
      if (row.expiresAt <= now) return 'expired';
      return paid > 0n ? 'partial' : 'waiting';
    case 'Processing':
      return 'confirming';
    case 'Settled':
      return 'settled';
    case 'Expired':
      return row.additionalStatus === 'PaidLate' ? 'paid-late' : 'expired';
    case 'Invalid':
      return 'invalid';
  }
}

function priceOf(row: CheckoutRow): string | null {
  if (row.fiatAmount === null || row.fiatCurrency === null) return null;
  const exponent = currencyExponent(row.fiatCurrency) ?? 0;
  return `${formatUnits(BigInt(row.fiatAmount), exponent)} ${row.fiatCurrency}`;
}

/** BTCPay's placeholders, each value URL-encoded so an order id cannot change the URL's shape. */
function returnUrl(row: CheckoutRow): string | null {
  if (row.redirectUrl === null) return null;
  return row.redirectUrl
    .replaceAll('{InvoiceId}', encodeURIComponent(row.id))
    .replaceAll('{OrderId}', encodeURIComponent(row.orderId ?? ''));
}
