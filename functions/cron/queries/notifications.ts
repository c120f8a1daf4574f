import type { Tx } from '../../../shared/db';

/**
 * The earliest due time of a notice not held by a send in flight (a lease a killed process left has
 * expired), or null when none is due: a tick with nothing due wakes nothing.
 */
export async function earliestDueNotification(tx: Tx): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ due: Date | null }[]>`
    SELECT min(next_attempt_at) AS due FROM notifications
    WHERE status IN ('Pending', 'Sending') AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())`;
  return row?.due ?? null;
}
