import { wakeRelay, type Db } from '../../../shared/db';
import { catalog, isEventType } from '../../../shared/events';
import type { AuditTx } from '../services/audited';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function findDeadLetter(db: Db | AuditTx, id: string) {
  return db.deadLetter.findUnique({ where: { id } });
}

export type DeadLetterRow = NonNullable<Awaited<ReturnType<typeof findDeadLetter>>>;

/** Newest first, by status (dead_letters_status_idx). */
export function listDeadLetters(
  db: Db,
  page: { status?: DeadLetterRow['status'] | undefined; before?: Date | undefined; limit: number },
) {
  return db.deadLetter.findMany({
    where: {
      ...(page.status ? { status: page.status } : {}),
      ...(page.before ? { receivedAt: { lt: page.before } } : {}),
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
}

/**
 * What became of an event after it was dead-lettered: the consumers whose inbox holds it (it was
 * handled), and any later dead letter of the same event (it failed again).
 */
export async function fateOf(db: Db, letter: DeadLetterRow) {
  const [handled, later] = await Promise.all([
    db.inboxEvent.findMany({
      where: { source: letter.source, eventId: letter.eventId },
      select: { consumer: true, handledAt: true },
    }),
    db.deadLetter.findMany({
      where: { source: letter.source, eventId: letter.eventId, receivedAt: { gt: letter.receivedAt } },
      select: { id: true, receivedAt: true, errorCode: true },
      orderBy: { receivedAt: 'asc' },
    }),
  ]);
  return { handledBy: handled, laterDeadLetters: later };
}

/**
 * Sends the event again to its topic, so its KafkaSource delivers it once more to the consumer that
 * failed (the others have it in their inbox and acknowledge it with no work). Through the outbox, as
 * every event: the original row is published again when it is there, else the dead letter's copy is
 * written. False when the event is not one of knpay's (no uuid id, or a type with no topic).
 */
export async function republish(tx: AuditTx, letter: DeadLetterRow): Promise<boolean> {
  const topic = replayTopic(letter);
  if (topic === undefined) return false;
  const again = await tx.$executeRaw`
    UPDATE outbox_events SET published_at = NULL WHERE event_id = ${letter.eventId}::uuid AND source = ${letter.source}`;
  if (again === 0)
    await tx.$executeRaw`
      INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data)
      VALUES (${letter.eventId}::uuid, ${letter.type}, ${letter.source}, ${letter.subject ?? ''}, ${topic},
              ${letter.time ?? new Date()}, ${JSON.stringify(letter.data)}::jsonb)`;
  await tx.$executeRaw`SELECT ${wakeRelay}`;
  return true;
}

/** The topic a letter goes back to: one of knpay's own events only (a uuid id, a type with a topic). */
export function replayTopic(letter: Pick<DeadLetterRow, 'eventId' | 'type'>): string | undefined {
  if (!UUID.test(letter.eventId) || !isEventType(letter.type)) return undefined;
  return catalog[letter.type].topic ?? undefined;
}

/** Marks a waiting letter replayed or discarded; undefined when it was not waiting. */
export async function resolveDeadLetter(
  tx: AuditTx,
  id: string,
  resolution: { status: 'replayed' | 'discarded'; by: string; note: string | null },
) {
  const { count } = await tx.deadLetter.updateMany({
    where: { id, status: 'waiting' },
    data: { status: resolution.status, resolvedAt: new Date(), resolvedBy: resolution.by, note: resolution.note },
  });
  return count === 1 ? findDeadLetter(tx, id) : undefined;
}
