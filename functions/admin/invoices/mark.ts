/**
 * Marking an invoice by hand (BTCPay's "Marked"): what an operator may do to an invoice in a given
 * state, and what it then settles for. Money moves by what the chain paid: a marked settlement is
 * credited what the invoice's confirmed payments came to, never the invoice's amount, so marking needs
 * a confirmed payment; and an invoice that has been credited cannot be made Invalid.
 */
export type Mark = 'Settled' | 'Invalid';

export interface MarkFacts {
  status: string;
  /** What the invoice's confirmed payments come to, in base units. */
  confirmed: bigint;
  /** Whether the ledger holds a credit for it. */
  credited: boolean;
}

export type MarkDecision = { refused: string } | { status: Mark; amountSettled: bigint | null };

export function decideMark(facts: MarkFacts, mark: Mark): MarkDecision {
  if (facts.status === mark) return { refused: `the invoice is ${mark} already` };
  if (mark === 'Settled') {
    if (facts.confirmed === 0n)
      return { refused: 'no confirmed payment: nothing was paid on chain to settle; mark it Invalid instead' };
    return { status: 'Settled', amountSettled: facts.confirmed };
  }
  if (facts.credited || facts.status === 'Settled')
    return { refused: 'the invoice is settled and credited: a credit is never taken back by marking' };
  return { status: 'Invalid', amountSettled: null };
}
