import type { CheckoutState } from '../view';

/**
 * Every word the checkout page says, in English. A translation is a file of this shape (es.ts), listed
 * in strings/index.ts. Strings are Handlebars templates over the page's facts (view.ts); the page
 * escapes what they produce.
 */
export const en = {
  lang: 'en',
  title: 'Pay {{merchantName}}',
  payTo: 'Payment to',
  amount: 'Amount',
  price: 'Price',
  order: 'Order',
  invoice: 'Invoice',
  address: 'Deposit address',
  copy: 'Copy address',
  copied: 'Address copied',
  openWallet: 'Open in wallet',
  qr: 'QR code of the payment request: scan it with a wallet',
  expiresAt: 'Expires at {{expiresAt}} (UTC)',
  expiresIn: 'Expires in',
  notFoundTitle: 'Invoice not found',
  notFoundText: 'There is no invoice at this address. Check the link the merchant gave you.',
  states: {
    waiting: { heading: 'Waiting for your payment', text: 'Send exactly {{amountDue}} to the address below.' },
    partial: {
      heading: 'Part of your payment has arrived',
      text: '{{amountPaid}} received. Send the remaining {{amountDue}} to the same address.',
    },
    confirming: {
      heading: 'Payment received: confirming',
      text: '{{confirmations.count}} of {{confirmations.required}} confirmations. You can close this page.',
    },
    settled: { heading: 'Paid. Thank you!', text: '{{merchantName}} has received {{amountPaid}}.' },
    expired: {
      heading: 'This invoice has expired',
      text: 'Do not send a payment to it. Ask {{merchantName}} for a new invoice.',
    },
    'paid-late': {
      heading: 'Your payment arrived after the invoice expired',
      text: '{{amountPaid}} received. {{merchantName}} will contact you about your order.',
    },
    invalid: {
      heading: 'The payment could not be confirmed',
      text: 'Contact {{merchantName}} about this invoice.',
    },
  } satisfies Record<CheckoutState, { heading: string; text: string }>,
  partialNote: '{{amountPaid}} arrived before expiry: contact {{merchantName}} about it.',
  returnToMerchant: 'Return to {{merchantName}}',
  noScript: 'This page updates itself when JavaScript is on; reload it to see the latest status.',
};

export type CheckoutStrings = typeof en;
