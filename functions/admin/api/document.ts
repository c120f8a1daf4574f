import { openApiDocument } from '../../../shared/http-api/openapi';
import type { AdminRoute } from './route';

/** The operators' API's /admin/openapi.json, written from the routes' own schemas. */
export function adminApiDocument(routes: AdminRoute[]): Record<string, unknown> {
  return openApiDocument(routes, {
    title: 'knpay operators API',
    description: 'Merchants, API keys, operator tokens and the audit log of every change.',
    credential: { scheme: 'operatorToken', description: 'An operator token (knpop_...)' },
    accessExtension: 'x-required-role',
  });
}
