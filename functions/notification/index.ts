import { topics, typesOnTopic } from '../../shared/events';
import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { onDeliveriesDue } from './handlers/deliveries-due';
import { onEndpointEvent } from './handlers/endpoint-event';
import { onInvoiceEvent } from './handlers/invoice-event';
import { setUpSending, type SendingSetup } from './sending/setup';

let setup: SendingSetup | undefined;

/** Reads its config and opens the SMTP pool at start, so a bad variable stops the function, named (exit 78). */
export function init(context: ServiceContext): Promise<void> {
  setup = setUpSending(context.db, context.env);
  return Promise.resolve();
}

export function shutdown(): Promise<void> {
  setup?.mailer.close();
  return Promise.resolve();
}

/**
 * Its KafkaSource reads knpay.invoices (the invoice events people hear about), knpay.webhooks (an
 * endpoint disabled or working again) and knpay.notification-commands (cron's sweep). The other events
 * on those topics concern no one by mail and are acknowledged with no work.
 */
export const handle = eventRouter(
  {
    'io.knpay.invoice.settled.v1': onInvoiceEvent,
    'io.knpay.invoice.paid-partial.v1': onInvoiceEvent,
    'io.knpay.invoice.paid-late.v1': onInvoiceEvent,
    'io.knpay.invoice.expired.v1': onInvoiceEvent,
    'io.knpay.invoice.invalid.v1': onInvoiceEvent,
    'io.knpay.webhook.endpoint.disabled.v1': onEndpointEvent,
    'io.knpay.webhook.endpoint.recovered.v1': onEndpointEvent,
    'io.knpay.notification.deliveries.due.v1': onDeliveriesDue,
  },
  { ignore: [...typesOnTopic(topics.invoices.name), ...typesOnTopic(topics.webhooks.name)] },
);
