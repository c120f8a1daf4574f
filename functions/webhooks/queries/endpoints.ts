import type { Tx } from '../../../shared/db';

/** The platform disables an endpoint: 410 Gone, or every message failing for days. */
export async function disableEndpoint(tx: Tx, id: string, reason: string): Promise<boolean> {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id, enabled: true },
    data: { enabled: false, disabledReason: reason, awaitingRecovery: false },
  });
  return count === 1;
}

/**
 * When the endpoint's current run of failures began: its first attempt after its last delivery (or
 * ever), or null when its latest attempt succeeded.
 */
export async function failingSince(tx: Tx, endpointId: string): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ since: Date | null }[]>`
    SELECT min(a.attempted_at) AS since
    FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
    WHERE m.endpoint_id = ${endpointId}::uuid
      AND a.attempted_at > COALESCE((SELECT max(delivered_at) FROM webhook_messages
                                     WHERE endpoint_id = ${endpointId}::uuid), '-infinity')`;
  return row?.since ?? null;
}
