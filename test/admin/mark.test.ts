import { decideMark, type MarkFacts } from '../../functions/admin/invoices/mark';

// Marking by hand, as a table: each state and what the chain paid → refused, or what it settles for.
const facts = (status: string, confirmed: bigint, credited = false): MarkFacts => ({ status, confirmed, credited });

it.each([
  [
    'an expired, partly paid invoice → Settled for what was paid',
    facts('Expired', 400n),
    'Settled',
    { status: 'Settled', amountSettled: 400n },
  ],
  [
    'a processing invoice → Settled for its confirmed payments',
    facts('Processing', 1000n),
    'Settled',
    { status: 'Settled', amountSettled: 1000n },
  ],
  [
    'an invalid one, paid after all → Settled',
    facts('Invalid', 1000n),
    'Settled',
    { status: 'Settled', amountSettled: 1000n },
  ],
  ['a new invoice → Invalid', facts('New', 0n), 'Invalid', { status: 'Invalid', amountSettled: null }],
  ['an expired, unpaid invoice → Invalid', facts('Expired', 0n), 'Invalid', { status: 'Invalid', amountSettled: null }],
] as const)('%s', (_what, given, mark, decision) => {
  expect(decideMark(given, mark)).toEqual(decision);
});

it.each([
  ['Settled with nothing paid on chain', facts('Expired', 0n), 'Settled', /no confirmed payment/],
  ['Settled twice', facts('Settled', 1000n, true), 'Settled', /Settled already/],
  ['Invalid after a credit', facts('Settled', 1000n, true), 'Invalid', /never taken back/],
  ['Invalid while settled, before the credit lands', facts('Settled', 1000n, false), 'Invalid', /never taken back/],
  ['Invalid twice', facts('Invalid', 0n), 'Invalid', /Invalid already/],
] as const)('refuses %s', (_what, given, mark, reason) => {
  const decision = decideMark(given, mark);
  expect('refused' in decision && decision.refused).toMatch(reason);
});
