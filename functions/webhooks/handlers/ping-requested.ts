import type { EventHandler } from '../../../shared/runtime';
import { PING_EVENT_TYPE, WEBHOOK_API_VERSION } from '../../../shared/webhooks/event-types';
import { handOut } from '../messages/hand-out';
import { insertMessageFor } from '../queries/messages';

/** POST /v1/webhook-endpoints/:id/test: a `ping` message, recorded once per command (its id keys it). */
export const onPingRequested: EventHandler<'io.knpay.webhook.ping.requested.v1'> = async (event, context) => {
  const { endpointId, merchantId } = event.data;
  const body = JSON.stringify({
    type: PING_EVENT_TYPE,
    timestamp: event.time,
    api_version: WEBHOOK_API_VERSION,
    data: { endpointId },
  });
  await context.transaction(async (tx, emit) => {
    const messages = await insertMessageFor(tx, {
      endpointId,
      merchantId,
      eventId: event.id,
      eventType: PING_EVENT_TYPE,
      body,
    });
    handOut(emit, merchantId, messages);
  });
};
