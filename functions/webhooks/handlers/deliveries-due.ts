import type { EventHandler } from '../../../shared/runtime';
import { handOut } from '../messages/hand-out';
import { takeDueMessages } from '../queries/messages';

/** Messages handed out per sweep; the next tick takes the rest. */
const SWEEP_BATCH = 500;

/**
 * cron's sweep: every message due (a retry whose time came, or one whose attempt died with its process)
 * is handed out as its own `webhook.message.due` command, in the transaction that marks it handed out.
 */
export const onDeliveriesDue: EventHandler<'io.knpay.webhook.deliveries.due.v1'> = async (_event, context) => {
  await context.transaction(async (tx, emit) => {
    for (const message of await takeDueMessages(tx, SWEEP_BATCH)) handOut(emit, message.merchantId, [message]);
  });
};
