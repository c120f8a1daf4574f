import type { TestDatabase } from './database';
import { binaryRequest } from './cloudevents';

/**
 * Delivers outbox events of the given types to a function, as its KafkaSource would (binary
 * CloudEvents over HTTP), each once: what the relay, the broker and the dispatcher do, without them.
 */
export function outboxPump(db: TestDatabase, url: () => string, types: string[], afterId = 0) {
  const sent = new Set<string>();
  return async function pump(): Promise<number[]> {
    const rows = await db.query<{
      event_id: string;
      type: string;
      source: string;
      subject: string | null;
      data: unknown;
      time: Date;
    }>('SELECT event_id, type, source, subject, data FROM outbox_events WHERE type = ANY($1) AND id > $2 ORDER BY id', [
      types,
      afterId,
    ]);
    const statuses: number[] = [];
    for (const row of rows) {
      if (sent.has(row.event_id)) continue;
      sent.add(row.event_id);
      const request = binaryRequest({
        id: row.event_id,
        type: row.type,
        source: row.source,
        ...(row.subject ? { subject: row.subject } : {}),
        data: row.data,
      });
      statuses.push((await fetch(url(), request)).status);
    }
    return statuses;
  };
}
