import { createEvent, type DomainEvent } from '../../../shared/events';
import type { HandlerContext } from '../../../shared/runtime';
import { claimNotice, recordResult, type NoticeRow } from '../queries/notifications';
import { judge } from './outcome';
import { sendingSetup } from './setup';

/** The CloudEvents source of what this function emits (as the runtime names it). */
const SOURCE = '/knpay/notification';

/**
 * One send of one notice: leased (no other process sends it meanwhile; one killed mid-send lets it go
 * when the lease ends, and the notice is sent again with the same Message-ID), sent with no transaction
 * open, then its result recorded, and `notification.sent` announced, in one statement.
 */
export async function sendNotice(id: string, context: HandlerContext): Promise<void> {
  const notice = await claimNotice(context.db, id);
  if (notice) await sendLeased(notice, context);
}

/** The send of a notice this process holds the lease of (claimed, or recorded leased a moment ago). */
export async function sendLeased(notice: NoticeRow & { attempts: number }, context: HandlerContext): Promise<void> {
  const { id } = notice;
  const { mailer } = sendingSetup(context.db);
  const result = await mailer.send(notice.content);
  const outcome = judge(result, notice.attempts, new Date());
  const error = outcome.kind === 'sent' ? null : outcome.error;
  const status = outcome.kind === 'sent' ? 'Sent' : outcome.kind === 'retry' ? 'Pending' : 'Failed';
  const announce = outcome.kind === 'sent' ? [noticeSent(notice)] : [];
  const nextAttemptAt = outcome.kind === 'retry' ? outcome.at : null;
  await recordResult(context.db, id, { status, nextAttemptAt, error }, announce);
  context.log.info(
    { notificationId: id, kind: notice.kind, attempt: notice.attempts, outcome: outcome.kind },
    'notice attempted',
  );
}

/** What others hear of a notice the SMTP server accepted. */
export function noticeSent(notice: NoticeRow): DomainEvent<'io.knpay.notification.sent.v1'> {
  return createEvent('io.knpay.notification.sent.v1', {
    source: SOURCE,
    subject: notice.id,
    data: {
      notificationId: notice.id,
      merchantId: notice.merchantId,
      channel: 'email',
      template: notice.kind,
      causeEventId: notice.causeEventId,
    },
  });
}
