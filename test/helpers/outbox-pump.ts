import type { TestDatabase } from './database';
import { binaryRequest } from './cloudevents';

/**
 * Delivers outbox events of the given types to a function, as its KafkaSource would (binary
 * CloudEvents over HTTP), each once: what the relay, the broker and the dispatcher do, without them.
 * One at a time as an ordered source sends them, or all at once (`concurrent`) as an unordered one may.
 */
export function outboxPump(db: TestDatabase, url: () => string, types: string[], afterId = 0, concurrent = false) {
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
    const send = async (row: (typeof rows)[number]) => {
      const request = binaryRequest({
        id: row.event_id,
        type: row.type,
        source: row.source,
        ...(row.subject ? { subject: row.subject } : {}),
        data: row.data,
      });
      return (await fetch(url(), request)).status;
    };
    const fresh = rows.filter((row) => !sent.has(row.event_id));
    for (const row of fresh) sent.add(row.event_id);
    if (concurrent) return Promise.all(fresh.map(send));
    const statuses: number[] = [];
    for (const row of fresh) statuses.push(await send(row));
    return statuses;
  };
}
