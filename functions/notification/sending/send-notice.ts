import type { HandlerContext } from '../../../shared/runtime';
import { claimNotice, recordResult } from '../queries/notifications';
import { judge } from './outcome';
import { sendingSetup } from './setup';

/**
 * One send of one notice: leased (no other process sends it meanwhile; one killed mid-send lets it go
 * when the lease ends, and the notice is sent again with the same Message-ID), sent with no transaction
 * open, then its result recorded, and `notification.sent` announced, in one short transaction.
 */
export async function sendNotice(id: string, context: HandlerContext): Promise<void> {
  const { mailer } = sendingSetup(context.db);
  const notice = await claimNotice(context.db, id);
  if (!notice) return;
  const result = await mailer.send(notice.content);
  const outcome = judge(result, notice.attempts, new Date());
  await context.transaction(async (tx, emit) => {
    if (outcome.kind === 'sent') {
      await recordResult(tx, id, { status: 'Sent', nextAttemptAt: null, error: null });
      emit('io.knpay.notification.sent.v1', id, {
        notificationId: id,
        merchantId: notice.merchantId,
        channel: 'email',
        template: notice.kind,
        causeEventId: notice.causeEventId,
      });
    } else if (outcome.kind === 'retry')
      await recordResult(tx, id, { status: 'Pending', nextAttemptAt: outcome.at, error: outcome.error });
    else await recordResult(tx, id, { status: 'Failed', nextAttemptAt: null, error: outcome.error });
  });
  context.log.info(
    { notificationId: id, kind: notice.kind, attempt: notice.attempts, outcome: outcome.kind },
    'notice attempted',
  );
}
