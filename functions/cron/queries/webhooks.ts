import type { Tx } from '../../../shared/db';

/**
 * The earliest due time of a webhook message not held by an attempt in flight (a lease a killed
 * process left has expired), or null when none is due: a tick with nothing due wakes nothing.
 */
export async function earliestDueWebhook(tx: Tx): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ due: Date | null }[]>`
    SELECT min(next_attempt_at) AS due FROM webhook_messages
    WHERE status = 'Pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())`;
  return row?.due ?? null;
}
