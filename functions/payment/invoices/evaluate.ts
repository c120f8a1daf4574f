import type { InvoiceAdditionalStatus as AdditionalStatus, InvoiceStatus } from '../../../prisma/generated/enums';

export interface InvoiceFacts {
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  amount: bigint;
  amountPaid: bigint;
  toleranceBps: number;
  expiresAt: Date;
  monitoringUntil: Date;
}

/** A payment that is on the chain now (reorged ones are left out by the caller). */
export interface PaymentFacts {
  id: string;
  amount: bigint;
  confirmed: boolean;
  blockTime: Date;
}

/** What happened, in the order it happened; each becomes one event. */
export type Change =
  | { kind: 'paid-partial'; amountDue: bigint }
  | { kind: 'processing' }
  | { kind: 'reopened' }
  | { kind: 'settled'; amountSettled: bigint }
  | { kind: 'expired'; partiallyPaid: boolean }
  | { kind: 'paid-late'; paymentId: string }
  | { kind: 'invalid' };

export interface Evaluation {
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  amountPaid: bigint;
  changes: Change[];
}

/**
 * BTCPay Server's invoice lifecycle (btcpayserver/btcpayserver, BTCPayServer/HostedServices/InvoiceWatcher.cs),
 * as a pure function of an invoice, the payments now on chain and the time. It is applied until nothing
 * changes, so a scan that finds a payment already confirmed moves New → Processing → Settled at once.
 * Settled and Invalid are final: an invoice never settles twice.
 */
export function evaluateInvoice(invoice: InvoiceFacts, payments: PaymentFacts[], now: Date): Evaluation {
  let state: Evaluation = {
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
    amountPaid: invoice.amountPaid,
    changes: [],
  };
  const paid = sum(payments);
  if (
    paid !== invoice.amountPaid &&
    paid > 0n &&
    paid < minimumDue(invoice) &&
    invoice.status === 'New' &&
    now < invoice.expiresAt
  ) {
    state = {
      ...state,
      additionalStatus: 'PaidPartial',
      changes: [{ kind: 'paid-partial', amountDue: invoice.amount - paid }],
    };
  }
  state.amountPaid = paid;
  for (let step = 0; step < 4; step++) {
    const next = transition(invoice, state, payments, now);
    if (!next) break;
    state = {
      ...state,
      status: next.status,
      additionalStatus: next.additionalStatus,
      changes: [...state.changes, ...next.changes],
    };
  }
  return state;
}

type Step = Pick<Evaluation, 'status' | 'additionalStatus' | 'changes'>;

function transition(invoice: InvoiceFacts, state: Evaluation, payments: PaymentFacts[], now: Date): Step | null {
  const due = minimumDue(invoice);
  const paid = state.amountPaid;
  const overpaid = paid > invoice.amount ? 'PaidOver' : 'None';
  switch (state.status) {
    case 'New': {
      const paidInTime = sum(payments.filter((p) => p.blockTime <= invoice.expiresAt));
      if (paidInTime >= due)
        return { status: 'Processing', additionalStatus: overpaid, changes: [{ kind: 'processing' }] };
      // The partial payment it had vanished in a reorg.
      if (paid === 0n && state.additionalStatus === 'PaidPartial')
        return { status: 'New', additionalStatus: 'None', changes: [{ kind: 'reopened' }] };
      if (now >= invoice.expiresAt) {
        const late = paid >= due ? lastPayment(payments) : undefined;
        return {
          status: 'Expired',
          additionalStatus: late ? 'PaidLate' : paid > 0n ? 'PaidPartial' : 'None',
          changes: [
            { kind: 'expired', partiallyPaid: paid > 0n && !late },
            ...(late ? [{ kind: 'paid-late' as const, paymentId: late.id }] : []),
          ],
        };
      }
      return null;
    }
    case 'Processing': {
      if (paid < due)
        return { status: 'New', additionalStatus: paid > 0n ? 'PaidPartial' : 'None', changes: [{ kind: 'reopened' }] };
      const confirmed = sum(payments.filter((p) => p.confirmed));
      if (confirmed >= due)
        return {
          status: 'Settled',
          additionalStatus: overpaid,
          changes: [{ kind: 'settled', amountSettled: confirmed }],
        };
      if (now >= invoice.monitoringUntil)
        return { status: 'Invalid', additionalStatus: state.additionalStatus, changes: [{ kind: 'invalid' }] };
      return null;
    }
    case 'Expired': {
      const late = lastPayment(payments);
      if (paid >= due && state.additionalStatus !== 'PaidLate' && late) {
        return {
          status: 'Expired',
          additionalStatus: 'PaidLate',
          changes: [{ kind: 'paid-late', paymentId: late.id }],
        };
      }
      return null;
    }
    case 'Settled':
    case 'Invalid':
      return null;
  }
}

/**
 * The least that counts as paid in full: the amount less the tolerance, rounded in the merchant's
 * favour, and never nothing (a 100 % tolerance accepts any payment, not none).
 */
export function minimumDue(invoice: Pick<InvoiceFacts, 'amount' | 'toleranceBps'>): bigint {
  const due = invoice.amount - (invoice.amount * BigInt(invoice.toleranceBps)) / 10_000n;
  return due > 0n ? due : 1n;
}

function sum(payments: PaymentFacts[]): bigint {
  return payments.reduce((total, p) => total + p.amount, 0n);
}

function lastPayment(payments: PaymentFacts[]): PaymentFacts | undefined {
  return [...payments].sort((a, b) => a.blockTime.getTime() - b.blockTime.getTime()).at(-1);
}
