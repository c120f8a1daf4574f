import {
  evaluateInvoice,
  minimumDue,
  type InvoiceFacts,
  type PaymentFacts,
} from '../../functions/payment/invoices/evaluate';

// BTCPay Server's invoice lifecycle as a table: an invoice, the payments on chain now, the time, and
// what evaluateInvoice makes of them.
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const EXPIRY = 15;
const MONITORING = 24 * 60;

const invoice = (facts: Partial<InvoiceFacts> = {}): InvoiceFacts => ({
  status: 'New',
  additionalStatus: 'None',
  amount: 10_000n,
  amountPaid: 0n,
  toleranceBps: 0,
  expiresAt: at(EXPIRY),
  monitoringUntil: at(MONITORING),
  ...facts,
});
let serial = 0;
const paid = (amount: bigint, options: { confirmed?: boolean; minute?: number } = {}): PaymentFacts => ({
  id: `p${String(++serial)}`,
  amount,
  confirmed: options.confirmed ?? false,
  blockTime: at(options.minute ?? 1),
});

type Row = [
  what: string,
  invoice: InvoiceFacts,
  payments: PaymentFacts[],
  minute: number,
  expected: { status: string; additionalStatus: string; changes: string[] },
];

const rows: Row[] = [
  // New
  [
    'New, nothing paid, before expiry: nothing happens',
    invoice(),
    [],
    5,
    { status: 'New', additionalStatus: 'None', changes: [] },
  ],
  [
    'New, nothing paid, at expiry: Expired',
    invoice(),
    [],
    EXPIRY,
    { status: 'Expired', additionalStatus: 'None', changes: ['expired'] },
  ],
  [
    'New, paid in part: PaidPartial',
    invoice(),
    [paid(4_000n)],
    5,
    { status: 'New', additionalStatus: 'PaidPartial', changes: ['paid-partial'] },
  ],
  [
    'New, the same part payment seen again: no second notice',
    invoice({ additionalStatus: 'PaidPartial', amountPaid: 4_000n }),
    [paid(4_000n)],
    6,
    { status: 'New', additionalStatus: 'PaidPartial', changes: [] },
  ],
  [
    'New, paid in full, unconfirmed: Processing',
    invoice(),
    [paid(10_000n)],
    5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  [
    'New, paid in full and confirmed: Processing then Settled at once',
    invoice(),
    [paid(10_000n, { confirmed: true })],
    5,
    { status: 'Settled', additionalStatus: 'None', changes: ['processing', 'settled'] },
  ],
  [
    'New, overpaid: Processing, PaidOver',
    invoice(),
    [paid(12_000n)],
    5,
    { status: 'Processing', additionalStatus: 'PaidOver', changes: ['processing'] },
  ],
  [
    'New, two part payments that make the whole: Processing',
    invoice({ additionalStatus: 'PaidPartial', amountPaid: 4_000n }),
    [paid(4_000n), paid(6_000n)],
    5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  [
    'New, paid in time but seen after expiry: Processing',
    invoice(),
    [paid(10_000n, { minute: EXPIRY })],
    EXPIRY + 5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  [
    'New, part paid, at expiry: Expired with PaidPartial',
    invoice({ additionalStatus: 'PaidPartial', amountPaid: 4_000n }),
    [paid(4_000n)],
    EXPIRY,
    { status: 'Expired', additionalStatus: 'PaidPartial', changes: ['expired'] },
  ],
  [
    'New, paid in full after expiry: Expired, PaidLate',
    invoice(),
    [paid(10_000n, { minute: EXPIRY + 1 })],
    EXPIRY + 2,
    { status: 'Expired', additionalStatus: 'PaidLate', changes: ['expired', 'paid-late'] },
  ],
  // Tolerance: the least due is the amount less the tolerance, rounded in the merchant's favour.
  [
    '1 % tolerance, paid 99 %: Processing',
    invoice({ toleranceBps: 100 }),
    [paid(9_900n)],
    5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  [
    '1 % tolerance, one unit short of 99 %: PaidPartial',
    invoice({ toleranceBps: 100 }),
    [paid(9_899n)],
    5,
    { status: 'New', additionalStatus: 'PaidPartial', changes: ['paid-partial'] },
  ],
  [
    '1 % tolerance of 999: 990 is due (9.99 rounds down)',
    invoice({ amount: 999n, toleranceBps: 100 }),
    [paid(990n)],
    5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  [
    '1 % tolerance of 999: 989 is short',
    invoice({ amount: 999n, toleranceBps: 100 }),
    [paid(989n)],
    5,
    { status: 'New', additionalStatus: 'PaidPartial', changes: ['paid-partial'] },
  ],
  [
    '100 % tolerance: still needs a payment',
    invoice({ toleranceBps: 10_000 }),
    [],
    5,
    { status: 'New', additionalStatus: 'None', changes: [] },
  ],
  [
    '100 % tolerance: any payment will do',
    invoice({ toleranceBps: 10_000 }),
    [paid(1n)],
    5,
    { status: 'Processing', additionalStatus: 'None', changes: ['processing'] },
  ],
  // Processing
  [
    'Processing, confirmed: Settled',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [paid(10_000n, { confirmed: true })],
    30,
    { status: 'Settled', additionalStatus: 'None', changes: ['settled'] },
  ],
  [
    'Processing, one of two payments confirmed: still Processing',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [paid(5_000n, { confirmed: true }), paid(5_000n)],
    30,
    { status: 'Processing', additionalStatus: 'None', changes: [] },
  ],
  [
    'Processing, overpaid and confirmed: Settled, PaidOver',
    invoice({ status: 'Processing', additionalStatus: 'PaidOver', amountPaid: 12_000n }),
    [paid(12_000n, { confirmed: true })],
    30,
    { status: 'Settled', additionalStatus: 'PaidOver', changes: ['settled'] },
  ],
  [
    'Processing, not confirmed within the monitoring window: Invalid',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [paid(10_000n)],
    MONITORING,
    { status: 'Invalid', additionalStatus: 'None', changes: ['invalid'] },
  ],
  // Reorgs: a payment that left the chain takes the invoice back.
  [
    'Processing, its payment reorged away: back to New',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [],
    5,
    { status: 'New', additionalStatus: 'None', changes: ['reopened'] },
  ],
  [
    'Processing, one of two payments reorged away: New, PaidPartial',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [paid(4_000n)],
    5,
    { status: 'New', additionalStatus: 'PaidPartial', changes: ['reopened'] },
  ],
  [
    'New, its part payment reorged away: back to None',
    invoice({ additionalStatus: 'PaidPartial', amountPaid: 4_000n }),
    [],
    5,
    { status: 'New', additionalStatus: 'None', changes: ['reopened'] },
  ],
  [
    'Processing, reorged away after expiry: New, then Expired',
    invoice({ status: 'Processing', amountPaid: 10_000n }),
    [],
    EXPIRY + 1,
    { status: 'Expired', additionalStatus: 'None', changes: ['reopened', 'expired'] },
  ],
  // Expired
  [
    'Expired, paid in full late: PaidLate',
    invoice({ status: 'Expired' }),
    [paid(10_000n, { minute: EXPIRY + 3 })],
    EXPIRY + 4,
    { status: 'Expired', additionalStatus: 'PaidLate', changes: ['paid-late'] },
  ],
  [
    'Expired with a part, the rest paid late: PaidLate',
    invoice({ status: 'Expired', additionalStatus: 'PaidPartial', amountPaid: 4_000n }),
    [paid(4_000n), paid(6_000n, { minute: EXPIRY + 3 })],
    EXPIRY + 4,
    { status: 'Expired', additionalStatus: 'PaidLate', changes: ['paid-late'] },
  ],
  [
    'Expired, paid late once already: no second notice',
    invoice({ status: 'Expired', additionalStatus: 'PaidLate', amountPaid: 10_000n }),
    [paid(10_000n, { minute: EXPIRY + 3 }), paid(1_000n, { minute: EXPIRY + 5 })],
    EXPIRY + 6,
    { status: 'Expired', additionalStatus: 'PaidLate', changes: [] },
  ],
  [
    'Expired, paid in part late: stays Expired',
    invoice({ status: 'Expired' }),
    [paid(4_000n, { minute: EXPIRY + 3 })],
    EXPIRY + 4,
    { status: 'Expired', additionalStatus: 'None', changes: [] },
  ],
  // Final states
  [
    'Settled is final, whatever arrives',
    invoice({ status: 'Settled', amountPaid: 10_000n }),
    [paid(10_000n, { confirmed: true }), paid(5_000n)],
    30,
    { status: 'Settled', additionalStatus: 'None', changes: [] },
  ],
  [
    'Invalid is final, even when confirmed at last',
    invoice({ status: 'Invalid', amountPaid: 10_000n }),
    [paid(10_000n, { confirmed: true })],
    MONITORING + 1,
    { status: 'Invalid', additionalStatus: 'None', changes: [] },
  ],
];

it.each(rows)('%s', (_what, facts, payments, minute, expected) => {
  const result = evaluateInvoice(facts, payments, at(minute));
  expect({
    status: result.status,
    additionalStatus: result.additionalStatus,
    changes: result.changes.map((c) => c.kind),
  }).toEqual(expected);
  expect(result.amountPaid).toBe(payments.reduce((sum, p) => sum + p.amount, 0n));
});

it('settles for what is confirmed, and a part payment says what remains', () => {
  const settled = evaluateInvoice(invoice(), [paid(12_000n, { confirmed: true })], at(5));
  expect(settled.changes).toContainEqual({ kind: 'settled', amountSettled: 12_000n });
  const partial = evaluateInvoice(invoice(), [paid(4_000n)], at(5));
  expect(partial.changes).toEqual([{ kind: 'paid-partial', amountDue: 6_000n }]);
});

it.each([
  [10_000n, 0, 10_000n],
  [10_000n, 100, 9_900n],
  [999n, 100, 990n],
  [1n, 5_000, 1n],
  [10_000n, 10_000, 1n],
])('an amount of %s with %i bps tolerance needs %s', (amount, toleranceBps, due) => {
  expect(minimumDue({ amount, toleranceBps })).toBe(due);
});
