import type { EventHandler } from '../../../shared/runtime';
import { deliverMessage } from '../delivery/deliver-message';

/** One message to attempt now. No inbox row: the message's lease and status make a repeat do nothing. */
export const onMessageDue: EventHandler<'io.knpay.webhook.message.due.v1'> = (event, context) =>
  deliverMessage(event.data.messageId, context);
