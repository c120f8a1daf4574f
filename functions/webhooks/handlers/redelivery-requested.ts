import type { EventHandler } from '../../../shared/runtime';
import { handOut } from '../messages/hand-out';
import { reopenMessage } from '../queries/messages';

/** POST /v1/webhook-messages/:id/redeliver: one more attempt, once per command (inbox). */
export const onRedeliveryRequested: EventHandler<'io.knpay.webhook.redelivery.requested.v1'> = async (
  event,
  context,
) => {
  const { messageId, merchantId } = event.data;
  await context.inTransaction(event, async (tx, emit) => {
    handOut(emit, merchantId, await reopenMessage(tx, merchantId, messageId));
  });
};
