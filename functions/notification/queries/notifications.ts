import type { Prisma } from '../../../prisma/generated/client';
import type { Db, Tx } from '../../../shared/db';
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
 * The intent, recorded before anything is sent: each notice once per (cause event, kind, recipient).
 * Returns the ids of those new here (a redelivered event records none, so sends none). Due for the
 * sweep after the lease, in case the process dies before its first attempt.
 */
export async function recordNotices(tx: Tx, notices: NoticeRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const n of notices) {
    const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO notifications (id, merchant_id, cause_event_id, kind, audience, recipient, invoice_id, subject, content,
                                  message_id, next_attempt_at)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::uuid, $8, $9::jsonb, $10, now() + ${LEASE})
       ON CONFLICT (cause_event_id, kind, recipient) DO NOTHING
       RETURNING id::text`,
      n.id,
      n.merchantId,
      n.causeEventId,
      n.kind,
      n.audience,
      n.recipient,
      n.invoiceId,
      n.subject,
      JSON.stringify(n.content),
      n.messageId,
    );
    if (row) ids.push(row.id);
  }
  return ids;
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

/** A send's result: Sent, Pending again at `nextAttemptAt`, or Failed for good. */
export function recordResult(
  tx: Tx,
  id: string,
  result: { status: 'Sent' | 'Pending' | 'Failed'; nextAttemptAt: Date | null; error: string | null },
): Promise<unknown> {
  const data: Prisma.NotificationUpdateInput = {
    status: result.status,
    nextAttemptAt: result.nextAttemptAt,
    leasedUntil: null,
    lastError: result.error,
    ...(result.status === 'Sent' ? { sentAt: new Date() } : {}),
  };
  return tx.notification.update({ where: { id }, data });
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
