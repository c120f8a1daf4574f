import { Router } from 'express';
import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { apiRouter } from '../../shared/http-api/router';
import { authenticateOperator } from './api/auth';
import { adminApiDocument } from './api/document';
import { apiKeyRoutes } from './routes/api-keys';
import { auditLogRoutes } from './routes/audit-log';
import { merchantRoutes } from './routes/merchants';
import { operatorTokenRoutes } from './routes/operator-tokens';

/** No event is consumed yet: every event is answered 422 (dead-lettered) until a handler is added. */
export const handle = eventRouter({});

/** The operators' API, on its own origin (the admin-api Service; a DomainMapping in production). */
export function routes(context: ServiceContext) {
  const adminRoutes = [
    ...operatorTokenRoutes(context.db),
    ...merchantRoutes(context.db),
    ...apiKeyRoutes(context.db),
    ...auditLogRoutes(context.db),
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
