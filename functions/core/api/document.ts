import { jsonSchema, openApiDocument } from '../../../shared/http-api/openapi';
import type { MerchantRoute } from './route';
import { webhooksSection } from './webhook-document';

/** The merchant API's /openapi.json: its routes, and the webhooks it sends (OpenAPI 3.1 `webhooks`). */
export function merchantApiDocument(routes: MerchantRoute[]): Record<string, unknown> {
  return openApiDocument(routes, {
    title: 'knpay merchant API',
    description: 'Invoices paid on an EVM chain, credited once.',
    credential: { scheme: 'apiKey', description: 'An API key (knp_...)' },
    accessExtension: 'x-required-scope',
    extra: { webhooks: webhooksSection((schema) => jsonSchema(schema, 'output')) },
  });
}
