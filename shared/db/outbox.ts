import type { DomainEvent } from '../events';
import { catalog } from '../events/catalog';
import { OUTBOX_CHANNEL } from '../kafka/channel';
import { sql, type Sql } from '@prisma/client-runtime-utils';

/**
 * The SQL that writes events to the outbox, for transactions and for the few hot paths written as
 * one statement. Raw SQL because Prisma compiles every createMany afresh (it never caches their
 * plans), and one INSERT takes any number of events in emit order.
 */
export function outboxInsert(events: DomainEvent[], onlyIf: Sql = sql`TRUE`): Sql {
  const column = <T>(pick: (event: DomainEvent) => T) => events.map(pick);
  return sql`
    INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data, traceparent)
    SELECT event_id, type, source, subject, topic, time::timestamptz, data::jsonb, traceparent
    FROM unnest(
      ${column((e) => e.id)}::uuid[], ${column((e) => e.type)}::text[], ${column((e) => e.source)}::text[],
      ${column((e) => e.subject ?? '')}::text[], ${column((e) => topicOf(e.type))}::text[], ${column((e) => e.time)}::text[],
      ${column((e) => JSON.stringify(e.data))}::text[], ${column((e) => e.traceparent ?? null)}::text[]
    ) WITH ORDINALITY AS e(event_id, type, source, subject, topic, time, data, traceparent, position)
    WHERE ${onlyIf}
    ORDER BY position`;
}

/** Wakes the relay at commit, and only then, so it wakes to rows it can already see. */
export const wakeRelay = sql`pg_notify(${OUTBOX_CHANNEL}, '')`;

function topicOf(type: DomainEvent['type']): string {
  const { topic } = catalog[type];
  if (topic === null) throw new Error(`Event type ${type} has no topic and cannot go through the outbox`);
  return topic;
}
