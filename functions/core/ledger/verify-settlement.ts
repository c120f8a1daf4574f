import type { SettlementClaim, SettlementFacts } from '../queries/ledger';

/**
 * Why the database does not bear out a settled event, or null when it does. Money moves by what the
 * payments table says was paid, never by what an event claims: a claim that disagrees is refused
 * (dead-lettered with this reason), not credited. The same conditions gate the booking statement
 * (queries/ledger.ts: settlementAdmitted), so a refusal here and a booking there cannot disagree.
 */
export function settlementMismatch(claim: SettlementClaim, facts: SettlementFacts | null): string | null {
  if (!facts) return `invoice ${claim.invoiceId} does not exist`;
  if (facts.merchantId !== claim.merchantId)
    return `invoice ${claim.invoiceId} belongs to another merchant than the event names`;
  if (facts.status !== 'Settled') return `invoice ${claim.invoiceId} is ${facts.status}, not Settled`;
  if (facts.chainId !== claim.chainId || facts.asset !== claim.asset) {
    return `invoice ${claim.invoiceId} is paid in ${facts.asset} on chain ${String(facts.chainId)}, not ${claim.asset} on chain ${String(claim.chainId)}`;
  }
  if (facts.amountSettled === null || facts.amountSettled.toString() !== claim.amountPaid) {
    return `the event claims ${claim.amountPaid} paid; the invoice settled for ${facts.amountSettled?.toString() ?? 'nothing'}`;
  }
  if (facts.amountConfirmed < facts.amountSettled) {
    return `the invoice settled for ${facts.amountSettled.toString()} but its confirmed payments come to ${facts.amountConfirmed.toString()}`;
  }
  return null;
}
