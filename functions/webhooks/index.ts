import { topics, typesOnTopic } from '../../shared/events';
import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { setUpDelivery } from './delivery/setup';
import { hookRoutes } from './routes/hooks';
import { onDeliveriesDue } from './handlers/deliveries-due';
import { onInvoiceEvent } from './handlers/invoice-event';
import { onMessageDue } from './handlers/message-due';
import { onPingRequested } from './handlers/ping-requested';
import { onRecoveryRequested } from './handlers/recovery-requested';
import { onRedeliveryRequested } from './handlers/redelivery-requested';

/** Inbound provider webhooks: public routes, served by the webhooks-inbound Service (SERVE=api). */
export const routes = hookRoutes;

/** Reads its config at start, so a bad variable stops the function, named (exit 78). */
export function init(context: ServiceContext): Promise<void> {
  setUpDelivery(context.db, context.env);
  return Promise.resolve();
}

/**
 * Its KafkaSource reads knpay.invoices (each invoice event is a webhook) and knpay.webhook-commands
 * (its own work). What it emits about deliveries goes to knpay.webhooks, which it does not read.
 */
export const handle = eventRouter(
  {
    'io.knpay.invoice.created.v1': onInvoiceEvent,
    'io.knpay.invoice.paid-partial.v1': onInvoiceEvent,
    'io.knpay.invoice.reopened.v1': onInvoiceEvent,
    'io.knpay.invoice.processing.v1': onInvoiceEvent,
    'io.knpay.invoice.settled.v1': onInvoiceEvent,
    'io.knpay.invoice.expired.v1': onInvoiceEvent,
    'io.knpay.invoice.invalid.v1': onInvoiceEvent,
    'io.knpay.invoice.paid-late.v1': onInvoiceEvent,
    'io.knpay.webhook.message.due.v1': onMessageDue,
    'io.knpay.webhook.deliveries.due.v1': onDeliveriesDue,
    'io.knpay.webhook.redelivery.requested.v1': onRedeliveryRequested,
    'io.knpay.webhook.recovery.requested.v1': onRecoveryRequested,
    'io.knpay.webhook.ping.requested.v1': onPingRequested,
  },
  { ignore: typesOnTopic(topics.invoices.name) },
);
