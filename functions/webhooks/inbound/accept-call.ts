import type { TransactionWork, WorkOutcome } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { InboundCall } from './provider';

/** A call older than this (or this far from our clock) is refused: a replay window Stripe also uses. */
const MAX_AGE_MS = 5 * 60_000;

/**
 * A verified provider call becomes a `chain.scan.requested` (reason `provider`), so payment scans at
 * once instead of at the next block poll. Recorded once by its id (the inbox): a replayed call is
 * refused and changes nothing, as is one too old or for another chain.
 */
export async function acceptCall(
  deps: { chainId: number; transaction<R>(work: TransactionWork<R>): Promise<WorkOutcome<R>> },
  provider: string,
  call: InboundCall,
  now: Date,
): Promise<void> {
  if (Math.abs(now.getTime() - call.sentAt.getTime()) > MAX_AGE_MS)
    throw new ProblemError(
      'bad-signature',
      `The call was sent at ${call.sentAt.toISOString()}: more than 5 minutes from now`,
    );
  if (call.chainId !== deps.chainId)
    throw new ProblemError(
      'invalid-request',
      `The call is about chain ${String(call.chainId ?? 'unknown')}, not ${String(deps.chainId)}`,
    );
  await deps.transaction(async (tx, emit) => {
    const recorded = await tx.$executeRaw`
      INSERT INTO inbox_events (consumer, source, event_id, type)
      VALUES ('webhooks-inbound', ${`provider:${provider}`}, ${call.id}, 'provider.address-activity')
      ON CONFLICT DO NOTHING`;
    if (recorded === 0) throw new ProblemError('replayed-call', `Call ${call.id} from ${provider} was received before`);
    emit('io.knpay.chain.scan.requested.v1', `eip155:${String(deps.chainId)}`, {
      chainId: deps.chainId,
      reason: 'provider',
      addresses: call.addresses,
      ...(call.blockNumber === undefined ? {} : { blockNumber: call.blockNumber }),
    });
  });
}
