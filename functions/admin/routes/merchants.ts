import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { merchantOf } from '../api/resources';
import { actorOf, defineAdminRoute } from '../api/route';
import {
  createMerchantBody,
  idParams,
  listMerchantsQuery,
  merchantList,
  merchantResource,
  noParams,
  suspendBody,
  updateMerchantBody,
} from '../api/schemas';
import {
  createMerchant,
  findMerchant,
  listMerchants,
  reinstateMerchant,
  suspendMerchant,
  updateMerchant,
} from '../queries/merchants';
import { audited } from '../services/audited';

const notFound = (id: string) => new ProblemError('not-found', `No merchant ${id}`);

/**
 * Merchants' lifecycle. A suspension refuses the merchant's API keys from its next request on (403);
 * its invoices still settle and credit: money already sent is never refused.
 */
export function merchantRoutes(db: Db) {
  const state = (action: string, change: typeof suspendMerchant | typeof reinstateMerchant, refusal: string) =>
    defineAdminRoute({
      method: 'post',
      path: `/admin/v1/merchants/:id/${action}`,
      operationId: `${action}Merchant`,
      summary: action === 'suspend' ? 'Suspend a merchant: its API keys are refused' : 'Reinstate a suspended merchant',
      access: 'operator',
      params: idParams,
      body: action === 'suspend' ? suspendBody : noParams,
      response: { status: 200, schema: merchantResource, description: 'The merchant now' },
      handle: async ({ params, body, caller }) => {
        const before = await findMerchant(db, params.id);
        if (!before) throw notFound(params.id);
        const after = await audited(db, actorOf(caller), {
          action: `merchant.${action}`,
          target: `merchant:${params.id}`,
          run: async (tx) => {
            const row = await change(tx, params.id, (body as { reason?: string }).reason ?? '');
            return row && { result: row, before: merchantOf(before), after: merchantOf(row) };
          },
        });
        if (!after) throw new ProblemError('state-conflict', refusal);
        return { status: 200, body: merchantOf(after) };
      },
    });
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/merchants',
      operationId: 'listMerchants',
      summary: 'Merchants, newest first',
      access: 'viewer',
      params: noParams,
      query: listMerchantsQuery,
      response: { status: 200, schema: merchantList, description: 'A page and the cursor of the next' },
      handle: async ({ query }) => {
        const rows = await listMerchants(db, {
          limit: query.limit,
          suspended: query.suspended,
          after: decodeCursor(query.cursor),
        });
        return { status: 200, body: pageOf(rows, query.limit, merchantOf) };
      },
    }),
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/merchants/:id',
      operationId: 'getMerchant',
      summary: 'One merchant',
      access: 'viewer',
      params: idParams,
      response: { status: 200, schema: merchantResource, description: 'The merchant' },
      handle: async ({ params }) => {
        const row = await findMerchant(db, params.id);
        if (!row) throw notFound(params.id);
        return { status: 200, body: merchantOf(row) };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/merchants',
      operationId: 'createMerchant',
      summary: 'A new merchant (its API keys are issued apart)',
      access: 'operator',
      params: noParams,
      body: createMerchantBody,
      response: { status: 201, schema: merchantResource, description: 'The merchant' },
      handle: async ({ body, caller }) => {
        const created = await audited(db, actorOf(caller), {
          action: 'merchant.create',
          run: async (tx) => {
            const row = await findMerchant(tx, await createMerchant(tx, body));
            return row && { result: row, target: `merchant:${row.id}`, after: merchantOf(row) };
          },
        });
        if (!created) throw new ProblemError('internal-error', 'The merchant was not created');
        return { status: 201, body: merchantOf(created) };
      },
    }),
    defineAdminRoute({
      method: 'patch',
      path: '/admin/v1/merchants/:id',
      operationId: 'updateMerchant',
      summary: "Change a merchant's name or e-mail",
      access: 'operator',
      params: idParams,
      body: updateMerchantBody,
      response: { status: 200, schema: merchantResource, description: 'The merchant now' },
      handle: async ({ params, body, caller }) => {
        const before = await findMerchant(db, params.id);
        if (!before) throw notFound(params.id);
        const after = await audited(db, actorOf(caller), {
          action: 'merchant.update',
          target: `merchant:${params.id}`,
          run: async (tx) => {
            const row = await updateMerchant(tx, params.id, body);
            return { result: row, before: merchantOf(before), after: merchantOf(row) };
          },
        });
        return { status: 200, body: after && merchantOf(after) };
      },
    }),
    state('suspend', suspendMerchant, 'The merchant is suspended already'),
    state('reinstate', reinstateMerchant, 'The merchant is not suspended'),
  ];
}
