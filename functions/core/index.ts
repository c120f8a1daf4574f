import { loadConfig } from '../../shared/config';
import { topics, typesOnTopic } from '../../shared/events';
import { Router } from 'express';
import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { apiRouter } from '../../shared/http-api/router';
import { authenticate } from './api/auth';
import { merchantApiDocument } from './api/document';
import { coreConfigSchema } from './config';
import { onInvoiceSettled } from './handlers/invoice-settled';
import { createRateSource } from './pricing/rates';
import { CheckoutLive } from './services/checkout-live';
import { balanceRoutes } from './routes/balances';
import { checkoutRoutes } from './routes/checkout';
import { checkoutSettingsRoutes } from './routes/checkout-settings';
import { invoiceRoutes } from './routes/invoices';
import { notificationRoutes } from './routes/notifications';
import { webhookEndpointRoutes } from './routes/webhook-endpoints';
import { webhookMessageRoutes } from './routes/webhook-messages';

/** Its KafkaSource reads knpay.invoices whole; only settlements concern the ledger. */
export const handle = eventRouter(
  {
    'io.knpay.invoice.settled.v1': onInvoiceSettled,
  },
  { ignore: typesOnTopic(topics.invoices.name) },
);

/**
 * The merchant API and the buyers' checkout pages. Its config is read here, so a bad variable stops
 * the start, named (exit 78).
 */
export function routes(context: ServiceContext) {
  const config = loadConfig(coreConfigSchema, context.env);
  const deps = { db: context.db, source: context.name, config, rates: createRateSource(config) };
  const live = new CheckoutLive({ db: context.db, config, log: context.log });
  const merchantRoutes = [
    ...invoiceRoutes(deps),
    ...balanceRoutes(deps),
    ...webhookEndpointRoutes(deps),
    ...webhookMessageRoutes(deps),
    ...notificationRoutes(deps),
    ...checkoutSettingsRoutes(deps),
  ];
  const api = apiRouter({
    routes: merchantRoutes,
    authenticate: (scope) => authenticate(context.db, scope),
    bodyLimit: context.config.BODY_LIMIT_BYTES,
    document: merchantApiDocument(merchantRoutes),
    documentPath: '/openapi.json',
  });
  return Router().use(checkoutRoutes({ live, config }), api);
}
