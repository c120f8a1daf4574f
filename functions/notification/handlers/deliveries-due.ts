import type { EventHandler } from '../../../shared/runtime';
import { takeDueNotices } from '../queries/notifications';
import { sendNotice } from '../sending/send-notice';

/** Notices taken per sweep; the next tick takes the rest. */
const SWEEP_BATCH = 100;
/** Sends at once: the SMTP pool has a few connections, and a sweep must end well within its timeout. */
const SENDS_AT_ONCE = 10;

/** cron's sweep: every notice due (a retry whose time came, a send a dead process left) is sent again. */
export const onDeliveriesDue: EventHandler<'io.knpay.notification.deliveries.due.v1'> = async (_event, context) => {
  const { result: due } = await context.transaction((tx) => takeDueNotices(tx, SWEEP_BATCH));
  let next = 0;
  const worker = async () => {
    for (let notice = due[next++]; notice !== undefined; notice = due[next++]) await sendNotice(notice.id, context);
  };
  await Promise.all(Array.from({ length: SENDS_AT_ONCE }, worker));
};
