import type { Emit } from '../../../shared/db';

/** Each message as its own `webhook.message.due` command: attempted by the next free delivery. */
export function handOut(emit: Emit, merchantId: string, messages: { id: string; endpointId: string }[]): void {
  for (const message of messages)
    emit('io.knpay.webhook.message.due.v1', message.id, {
      messageId: message.id,
      endpointId: message.endpointId,
      merchantId,
    });
}
