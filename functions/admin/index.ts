import { Router } from 'express';
import type { ServiceContext } from '../../shared/runtime';
import { apiRouter } from '../../shared/http-api/router';
import { authenticateOperator } from './api/auth';
import { adminApiDocument } from './api/document';
import { apiKeyRoutes } from './routes/api-keys';
import { auditLogRoutes } from './routes/audit-log';
import { deadLetterRoutes } from './routes/dead-letters';
import { eventRoutes } from './routes/events';
import { invoiceRoutes } from './routes/invoices';
import { merchantRoutes } from './routes/merchants';
import { operatorTokenRoutes } from './routes/operator-tokens';
import { webhookRoutes } from './routes/webhooks';

/** Every event on every topic into the event log, and every dead letter into dead_letters. */
export { handle } from './handlers/record-event';

/** The operators' API, on its own origin (the admin-api Service; a DomainMapping in production). */
export function routes(context: ServiceContext) {
  const adminRoutes = [
    ...operatorTokenRoutes(context.db),
    ...merchantRoutes(context.db),
    ...apiKeyRoutes(context.db),
    ...auditLogRoutes(context.db),
    ...eventRoutes(context.db),
    ...invoiceRoutes(context.db),
    ...deadLetterRoutes(context.db),
    ...webhookRoutes(context.db),
  ];
  return Router().use(
    apiRouter({
      routes: adminRoutes,
      authenticate: (role) => authenticateOperator(context.db, role),
      bodyLimit: context.config.BODY_LIMIT_BYTES,
      document: adminApiDocument(adminRoutes),
      documentPath: '/admin/openapi.json',
    }),
  );
}
