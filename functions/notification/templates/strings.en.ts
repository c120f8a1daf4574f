import type { NoticeKind } from '../../../shared/notifications/kinds';

/**
 * Every word a notice says, in English, in one place: a translation is a file of the same shape.
 * Each string is a Handlebars template over the notice's facts (notices/render.ts); values are
 * escaped by the HTML layout, not here.
 */
export const strings = {
  notices: {
    'invoice.settled': {
      subject: 'Paid: invoice {{invoice.ref}} ({{invoice.amount}})',
      heading: 'An invoice is paid',
      lines: ['Invoice {{invoice.ref}} is paid in full and confirmed: {{invoice.amountPaid}} received.'],
    },
    'invoice.paid-partial': {
      subject: 'Partly paid: invoice {{invoice.ref}}',
      heading: 'An invoice is partly paid',
      lines: [
        'Invoice {{invoice.ref}} has received {{invoice.amountPaid}} of {{invoice.amount}}; {{invoice.amountDue}} remains.',
      ],
    },
    'invoice.paid-late': {
      subject: 'Paid after expiry: invoice {{invoice.ref}}',
      heading: 'A payment arrived after the invoice expired',
      lines: [
        'Invoice {{invoice.ref}} expired, then received {{invoice.amountPaid}} in all.',
        'The money is in your wallet: decide with the buyer whether to deliver or refund.',
      ],
    },
    'invoice.expired-partial': {
      subject: 'Expired partly paid: invoice {{invoice.ref}}',
      heading: 'An invoice expired partly paid',
      lines: [
        'Invoice {{invoice.ref}} expired with {{invoice.amountPaid}} of {{invoice.amount}} received.',
        'The buyer may expect a refund or the rest of the order: the money received is in your wallet.',
      ],
    },
    'invoice.invalid': {
      subject: 'Invalid: invoice {{invoice.ref}}',
      heading: 'A payment was not confirmed in time',
      lines: [
        'The payment of invoice {{invoice.ref}} did not reach its confirmations in time; the invoice is invalid.',
      ],
    },
    'invoice.marked': {
      subject: 'Marked {{invoice.status}} by an operator: invoice {{invoice.ref}}',
      heading: 'An operator changed an invoice',
      lines: ['An operator marked invoice {{invoice.ref}} {{invoice.status}}.'],
    },
    'webhook.endpoint.disabled': {
      subject: 'Webhook endpoint disabled: {{endpoint.url}}',
      heading: 'A webhook endpoint was disabled',
      lines: [
        'Webhooks are no longer sent to {{endpoint.url}}: {{endpoint.reason}}.',
        'Fix the endpoint, enable it again through the API, then recover the messages it missed.',
      ],
    },
    'webhook.endpoint.recovered': {
      subject: 'Webhook endpoint working again: {{endpoint.url}}',
      heading: 'A webhook endpoint is working again',
      lines: ['{{endpoint.url}} accepted a webhook again after failing.'],
    },
    'buyer.receipt': {
      subject: 'Your payment to {{merchant}} is confirmed',
      heading: 'Thank you: your payment is confirmed',
      lines: ['{{merchant}} has received your payment of {{invoice.amountPaid}} for {{invoice.ref}}.'],
    },
    'buyer.paid-partial': {
      subject: 'Part of your payment to {{merchant}} has arrived',
      heading: 'We received part of your payment',
      lines: [
        '{{merchant}} has received {{invoice.amountPaid}} of {{invoice.amount}} for {{invoice.ref}}.',
        '{{invoice.amountDue}} remains to be paid before the invoice expires.',
      ],
    },
  } satisfies Record<NoticeKind, { subject: string; heading: string; lines: string[] }>,
  facts: {
    invoice: 'Invoice',
    order: 'Order',
    amount: 'Amount',
    paid: 'Received',
    due: 'Remaining',
    price: 'Price',
    endpoint: 'Endpoint',
  },
  link: { invoice: 'Open the invoice' },
  footer: {
    merchant:
      'You receive this because notices are switched on for your account. Change them with PATCH /v1/notification-settings.',
    buyer: 'Sent by {{merchant}} about a payment you made. Reply to reach them.',
  },
} as const;
