import type { EventHandler } from '../../../shared/runtime';
import { handOut } from '../messages/hand-out';
import { reopenFailed } from '../queries/messages';

/** POST /v1/webhook-endpoints/:id/recover: every failed message in the window, again, once per command. */
export const onRecoveryRequested: EventHandler<'io.knpay.webhook.recovery.requested.v1'> = async (event, context) => {
  const { endpointId, merchantId, since, until } = event.data;
  await context.inTransaction(event, async (tx, emit) => {
    const reopened = await reopenFailed(tx, {
      merchantId,
      endpointId,
      since: new Date(since),
      until: until === null ? null : new Date(until),
    });
    handOut(emit, merchantId, reopened);
  });
};
