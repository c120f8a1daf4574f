import { Prisma } from '../../../prisma/generated/client';
import { outboxInsert, wakeRelay, type Db, type Tx } from '../../../shared/db';
import type { DomainEvent } from '../../../shared/events';
import type { MailContent } from '../sending/mailer';

/** How long a send holds its notice; past it, a process killed mid-send lets the sweep take it. */
const LEASE = "interval '2 minutes'";

export interface NoticeRow {
  id: string;
  merchantId: string;
  causeEventId: string;
  kind: string;
  audience: string;
  recipient: string;
  invoiceId: string | null;
  subject: string;
  content: MailContent;
  messageId: string;
}

/**
 * The intent, recorded before anything is sent, in one statement: each notice once per (cause event,
 * kind, recipient), already leased for its first send (attempt 1), which the caller makes at once.
 * Returns the notices new here (a redelivered event records none, so sends none). A process that dies
 * before sending leaves them leased: when the lease runs out, cron's sweep sends them.
 */
export async function recordNotices(db: Db, notices: NoticeRow[]): Promise<{ id: string }[]> {
  const column = <K extends keyof NoticeRow>(key: K) => notices.map((n) => n[key]);
  // On the pool as written (db.sql): the hot path of every notice gains nothing from Prisma's compiler.
  return db.sql.query<{ id: string }>(Prisma.sql`
    INSERT INTO notifications (id, merchant_id, cause_event_id, kind, audience, recipient, invoice_id, subject, content,
                               message_id, status, attempts, leased_until, next_attempt_at)
    SELECT n.id, n.merchant_id, n.cause_event_id, n.kind, n.audience, n.recipient, n.invoice_id, n.subject, n.content,
           n.message_id, 'Sending', 1, now() + ${Prisma.raw(LEASE)}, now() + ${Prisma.raw(LEASE)}
    FROM unnest(${column('id')}::uuid[], ${column('merchantId')}::uuid[], ${column('causeEventId')}::text[],
                ${column('kind')}::text[], ${column('audience')}::text[], ${column('recipient')}::text[],
                ${column('invoiceId')}::uuid[], ${column('subject')}::text[],
                ${notices.map((n) => JSON.stringify(n.content))}::jsonb[], ${column('messageId')}::text[])
         AS n(id, merchant_id, cause_event_id, kind, audience, recipient, invoice_id, subject, content, message_id)
    ON CONFLICT (cause_event_id, kind, recipient) DO NOTHING
    RETURNING id::text`);
}

/**
 * Leases a notice for one send: Pending, or Sending with its lease run out (the process that held it
 * died, the result unknown: sent again, with the same Message-ID). Null when it is sent, failed or held.
 */
export async function claimNotice(db: Db, id: string): Promise<(NoticeRow & { attempts: number }) | null> {
  const [row] = await db.$queryRawUnsafe<(NoticeRow & { attempts: number })[]>(
    `UPDATE notifications
     SET status = 'Sending', attempts = attempts + 1, leased_until = now() + ${LEASE}, next_attempt_at = now() + ${LEASE}
     WHERE id = $1::uuid AND status IN ('Pending', 'Sending') AND (leased_until IS NULL OR leased_until < now())
     RETURNING id::text, merchant_id::text AS "merchantId", cause_event_id AS "causeEventId", kind, audience, recipient,
               invoice_id::text AS "invoiceId", subject, content, message_id AS "messageId", attempts`,
    id,
  );
  return row ?? null;
}

/**
 * A send's result: Sent, Pending again at `nextAttemptAt`, or Failed for good; with `announce`, the
 * events others must hear, written to the outbox in the same statement (one round trip: this is the
 * hot path of every notice).
 */
export async function recordResult(
  db: Db,
  id: string,
  result: { status: 'Sent' | 'Pending' | 'Failed'; nextAttemptAt: Date | null; error: string | null },
  announce: DomainEvent[],
): Promise<void> {
  await db.sql.query(Prisma.sql`
    WITH recorded AS (
      UPDATE notifications
      SET status = ${result.status}::notification_status, next_attempt_at = ${result.nextAttemptAt}::timestamptz,
          leased_until = NULL, last_error = ${result.error},
          sent_at = CASE WHEN ${result.status}::text = 'Sent' THEN now() END
      WHERE id = ${id}::uuid
      RETURNING id
    ),
    announced AS (${outboxInsert(announce, Prisma.sql`EXISTS (SELECT 1 FROM recorded)`)})
    SELECT ${announce.length > 0 ? wakeRelay : Prisma.sql`NULL`}`);
}

/** Notices due (retries whose time came, sends a dead process left), marked taken for a lease. */
export function takeDueNotices(tx: Tx, limit: number): Promise<{ id: string }[]> {
  return tx.$queryRawUnsafe(
    `UPDATE notifications SET next_attempt_at = now() + ${LEASE}
     WHERE id IN (SELECT id FROM notifications
                  WHERE status IN ('Pending', 'Sending') AND next_attempt_at <= now()
                    AND (leased_until IS NULL OR leased_until < now())
                  ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text`,
    limit,
  );
}
