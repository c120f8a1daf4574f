import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';

export interface LoggedEvent {
  source: string;
  eventId: string;
  type: string;
  subject: string | null;
  time: Date | null;
  data: unknown;
  topic: string | null;
  partition: number | null;
  offset: bigint | null;
}

/** Once per (source, id), whatever the redeliveries: the event log keeps the first copy. */
export async function logEvent(db: Db, event: LoggedEvent): Promise<void> {
  await db.eventLogEntry.createMany({ data: [{ ...event, data: json(event.data) }], skipDuplicates: true });
}

export interface DeadLetterRecord extends Omit<LoggedEvent, 'topic' | 'partition' | 'offset'> {
  /** Where the record sits on the dead-letters topic: one row per record, however often delivered. */
  dlPartition: number;
  dlOffset: bigint;
  destination: string;
  errorCode: number | null;
  errorData: string | null;
}

export async function recordDeadLetter(db: Db, letter: DeadLetterRecord): Promise<void> {
  await db.deadLetter.createMany({
    data: [{ id: randomUUID(), ...letter, data: json(letter.data) }],
    skipDuplicates: true,
  });
}

export interface EventSearch {
  subject?: string | undefined;
  type?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/** By subject or type (their indexes), newest first. */
export function searchEvents(db: Db, search: EventSearch) {
  return db.eventLogEntry.findMany({
    where: {
      ...(search.subject ? { subject: search.subject } : {}),
      ...(search.type ? { type: search.type } : {}),
      time: { ...(search.from ? { gte: search.from } : {}), ...(search.to ? { lt: search.to } : {}) },
    },
    orderBy: [{ time: 'desc' }],
    take: search.limit,
  });
}

/** A JSON column's value: null data stays SQL NULL. */
function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : value;
}

/** An aggregate's whole history (an invoice's id is its events' subject), oldest first. */
export function searchEventsOf(db: Db, subject: string) {
  return db.eventLogEntry.findMany({ where: { subject }, orderBy: [{ time: 'asc' }] });
}
