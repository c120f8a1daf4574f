import { randomUUID } from 'node:crypto';
import type { OperatorRole } from '../../shared/auth/operator-tokens';
import type { Db } from '../../shared/db';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { suspendMerchant } from '../../functions/admin/queries/merchants';
import { newMerchant } from '../helpers/merchant';
import { insertDeadLetter } from '../fixtures/dead-letter';
import { insertInvoice } from '../fixtures/invoice';
import { insertEndpoint, insertMessage } from '../fixtures/webhook';

// The operators' API's routes for test/admin/access.test.ts: each one's least role, the status it
// answers when allowed, and a request to make with fixtures of its own.

export interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** Each route: the least role it needs, its success status, and a call with fresh fixtures in `db`. */
export const adminRoutes: {
  operation: string;
  role: OperatorRole;
  status: number;
  call: (db: Db) => Promise<Call>;
}[] = [
  {
    operation: 'GET /admin/v1/operator-tokens',
    role: 'owner',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/operator-tokens' }),
  },
  {
    operation: 'POST /admin/v1/operator-tokens',
    role: 'owner',
    status: 201,
    call: () =>
      Promise.resolve({ method: 'POST', path: '/admin/v1/operator-tokens', body: { name: 'ci', role: 'viewer' } }),
  },
  {
    operation: 'DELETE /admin/v1/operator-tokens/{id}',
    role: 'owner',
    status: 200,
    call: async (db) => {
      const { row } = await createOperatorToken(db, 'to revoke', 'viewer');
      return { method: 'DELETE', path: `/admin/v1/operator-tokens/${row.id}` };
    },
  },
  {
    operation: 'GET /admin/v1/merchants',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/merchants?limit=5' }),
  },
  {
    operation: 'POST /admin/v1/merchants',
    role: 'operator',
    status: 201,
    call: () => Promise.resolve({ method: 'POST', path: '/admin/v1/merchants', body: { name: 'New shop' } }),
  },
  {
    operation: 'GET /admin/v1/merchants/{id}',
    role: 'viewer',
    status: 200,
    call: async (db) => ({ method: 'GET', path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}` }),
  },
  {
    operation: 'PATCH /admin/v1/merchants/{id}',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'PATCH',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}`,
      body: { name: 'Renamed shop' },
    }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/suspend',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'POST',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/suspend`,
      body: { reason: 'chargeback fraud under review' },
    }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/reinstate',
    role: 'operator',
    status: 200,
    call: async (db) => {
      const { merchantId } = await newMerchant(db);
      await suspendMerchant(db, merchantId, 'test');
      return { method: 'POST', path: `/admin/v1/merchants/${merchantId}/reinstate`, body: {} };
    },
  },
  {
    operation: 'GET /admin/v1/merchants/{id}/api-keys',
    role: 'viewer',
    status: 200,
    call: async (db) => ({ method: 'GET', path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/api-keys` }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/api-keys',
    role: 'operator',
    status: 201,
    call: async (db) => ({
      method: 'POST',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/api-keys`,
      body: { name: 'shop backend', scopes: ['invoices:read'] },
    }),
  },
  {
    operation: 'DELETE /admin/v1/merchants/{id}/api-keys/{keyId}',
    role: 'operator',
    status: 204,
    call: async (db) => {
      const { merchantId, keyId } = await newMerchant(db);
      return { method: 'DELETE', path: `/admin/v1/merchants/${merchantId}/api-keys/${keyId}` };
    },
  },
  {
    operation: 'GET /admin/v1/audit-log',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/audit-log?limit=5' }),
  },
  {
    operation: 'GET /admin/v1/events',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: `/admin/v1/events?subject=${randomUUID()}` }),
  },
  {
    operation: 'GET /admin/v1/dead-letters',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/dead-letters?status=waiting' }),
  },
  {
    operation: 'GET /admin/v1/dead-letters/{id}',
    role: 'viewer',
    status: 200,
    call: async (db) => ({ method: 'GET', path: `/admin/v1/dead-letters/${await insertDeadLetter(db)}` }),
  },
  {
    operation: 'POST /admin/v1/dead-letters/replay',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'POST',
      path: '/admin/v1/dead-letters/replay',
      body: { ids: [await insertDeadLetter(db)] },
    }),
  },
  {
    operation: 'POST /admin/v1/dead-letters/{id}/discard',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'POST',
      path: `/admin/v1/dead-letters/${await insertDeadLetter(db)}/discard`,
      body: { note: 'a test event, not a payment' },
    }),
  },
  {
    operation: 'GET /admin/v1/invoices',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/invoices?status=New&limit=5' }),
  },
  {
    operation: 'GET /admin/v1/invoices/{id}',
    role: 'viewer',
    status: 200,
    call: async (db) => ({ method: 'GET', path: `/admin/v1/invoices/${await invoice(db)}` }),
  },
  {
    operation: 'POST /admin/v1/invoices/{id}/mark',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'POST',
      path: `/admin/v1/invoices/${await invoice(db)}/mark`,
      body: { status: 'Invalid', reason: 'a test order' },
    }),
  },
  {
    operation: 'GET /admin/v1/webhook-endpoints',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/webhook-endpoints?state=failing' }),
  },
  {
    operation: 'POST /admin/v1/webhook-endpoints/{id}/enable',
    role: 'operator',
    status: 200,
    call: async (db) => {
      const disabled = { enabled: false, disabledReason: 'the endpoint answered 410 Gone' };
      const id = await insertEndpoint(db, (await newMerchant(db)).merchantId, disabled);
      return { method: 'POST', path: `/admin/v1/webhook-endpoints/${id}/enable`, body: { note: 'fixed their DNS' } };
    },
  },
  {
    operation: 'GET /admin/v1/webhook-messages',
    role: 'viewer',
    status: 200,
    call: () => Promise.resolve({ method: 'GET', path: '/admin/v1/webhook-messages?status=Failed&limit=5' }),
  },
  {
    operation: 'GET /admin/v1/webhook-messages/{id}',
    role: 'viewer',
    status: 200,
    call: async (db) => ({ method: 'GET', path: `/admin/v1/webhook-messages/${await message(db)}` }),
  },
  {
    operation: 'POST /admin/v1/webhook-messages/redeliver',
    role: 'operator',
    status: 200,
    call: async (db) => ({
      method: 'POST',
      path: '/admin/v1/webhook-messages/redeliver',
      body: { ids: [await message(db)] },
    }),
  },
];

/** A failed webhook message to an enabled endpoint of a new merchant. */
async function message(db: Db): Promise<string> {
  const { merchantId } = await newMerchant(db);
  return insertMessage(db, await insertEndpoint(db, merchantId), merchantId, { status: 'Failed', attempts: 9 });
}

/** An invoice of a new merchant, as core writes one. */
async function invoice(db: Db): Promise<string> {
  return insertInvoice(db, (await newMerchant(db)).merchantId);
}
