import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import type { OperatorRole } from '../../shared/auth/operator-tokens';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createOperatorToken, revokeOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { suspendMerchant } from '../../functions/admin/queries/merchants';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api, newMerchant } from '../helpers/merchant';
import { insertDeadLetter } from '../fixtures/dead-letter';
import { insertInvoice } from '../fixtures/invoice';
import { insertEndpoint, insertMessage } from '../fixtures/webhook';

// Every route of the operators' API × every kind of caller → the status it must answer. The table is
// checked against /admin/openapi.json, so a route added without a row here fails this test. Each call
// gets fresh fixtures; a successful change must leave exactly one audit row under its request id, a
// refused one none.
let database: TestDatabase;
let db: Db;
let admin: RunningFunction;
const tokens = {} as Record<OperatorRole | 'revoked', string>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
  for (const role of ['viewer', 'operator', 'owner'] as const)
    tokens[role] = (await createOperatorToken(db, `test ${role}`, role)).secret;
  const revoked = await createOperatorToken(db, 'test revoked', 'owner');
  await revokeOperatorToken(db, revoked.row.id);
  tokens.revoked = revoked.secret;
});
afterAll(async () => {
  await admin.stop();
  await closeDb(db);
  await database.drop();
});

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** Each route: the least role it needs, its success status, and a call with fresh fixtures. */
const routes: { operation: string; role: OperatorRole; status: number; call: () => Promise<Call> }[] = [
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
    call: async () => {
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
    call: async () => ({ method: 'GET', path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}` }),
  },
  {
    operation: 'PATCH /admin/v1/merchants/{id}',
    role: 'operator',
    status: 200,
    call: async () => ({
      method: 'PATCH',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}`,
      body: { name: 'Renamed shop' },
    }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/suspend',
    role: 'operator',
    status: 200,
    call: async () => ({
      method: 'POST',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/suspend`,
      body: { reason: 'chargeback fraud under review' },
    }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/reinstate',
    role: 'operator',
    status: 200,
    call: async () => {
      const { merchantId } = await newMerchant(db);
      await suspendMerchant(db, merchantId, 'test');
      return { method: 'POST', path: `/admin/v1/merchants/${merchantId}/reinstate`, body: {} };
    },
  },
  {
    operation: 'GET /admin/v1/merchants/{id}/api-keys',
    role: 'viewer',
    status: 200,
    call: async () => ({ method: 'GET', path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/api-keys` }),
  },
  {
    operation: 'POST /admin/v1/merchants/{id}/api-keys',
    role: 'operator',
    status: 201,
    call: async () => ({
      method: 'POST',
      path: `/admin/v1/merchants/${(await newMerchant(db)).merchantId}/api-keys`,
      body: { name: 'shop backend', scopes: ['invoices:read'] },
    }),
  },
  {
    operation: 'DELETE /admin/v1/merchants/{id}/api-keys/{keyId}',
    role: 'operator',
    status: 204,
    call: async () => {
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
    call: async () => ({ method: 'GET', path: `/admin/v1/dead-letters/${await insertDeadLetter(db)}` }),
  },
  {
    operation: 'POST /admin/v1/dead-letters/replay',
    role: 'operator',
    status: 200,
    call: async () => ({
      method: 'POST',
      path: '/admin/v1/dead-letters/replay',
      body: { ids: [await insertDeadLetter(db)] },
    }),
  },
  {
    operation: 'POST /admin/v1/dead-letters/{id}/discard',
    role: 'operator',
    status: 200,
    call: async () => ({
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
    call: async () => ({ method: 'GET', path: `/admin/v1/invoices/${await invoice()}` }),
  },
  {
    operation: 'POST /admin/v1/invoices/{id}/mark',
    role: 'operator',
    status: 200,
    call: async () => ({
      method: 'POST',
      path: `/admin/v1/invoices/${await invoice()}/mark`,
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
    call: async () => {
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
    call: async () => ({ method: 'GET', path: `/admin/v1/webhook-messages/${await message()}` }),
  },
  {
    operation: 'POST /admin/v1/webhook-messages/redeliver',
    role: 'operator',
    status: 200,
    call: async () => ({
      method: 'POST',
      path: '/admin/v1/webhook-messages/redeliver',
      body: { ids: [await message()] },
    }),
  },
];

/** A failed webhook message to an enabled endpoint of a new merchant. */
async function message(): Promise<string> {
  const { merchantId } = await newMerchant(db);
  return insertMessage(db, await insertEndpoint(db, merchantId), merchantId, { status: 'Failed', attempts: 9 });
}

/** An invoice of a new merchant, as core writes one. */
async function invoice(): Promise<string> {
  return insertInvoice(db, (await newMerchant(db)).merchantId);
}

const ranks: OperatorRole[] = ['viewer', 'operator', 'owner'];
const callers = ['none', 'malformed', 'unknown', 'revoked', ...ranks] as const;

function credential(caller: (typeof callers)[number]): string | null {
  if (caller === 'none') return null;
  if (caller === 'malformed') return 'not-a-token';
  if (caller === 'unknown') return `knpop_${'A'.repeat(43)}`;
  return tokens[caller];
}

function expected(route: (typeof routes)[number], caller: (typeof callers)[number]): number {
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown' || caller === 'revoked') return 401;
  return ranks.indexOf(caller) >= ranks.indexOf(route.role) ? route.status : 403;
}

it('has a row for every operation /admin/openapi.json lists, and the role it declares', async () => {
  const document = (await (await fetch(`${admin.url}/admin/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { 'x-required-role': string }>>;
  };
  const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => `${method.toUpperCase()} ${path} ${op['x-required-role']}`),
  );
  expect(listed.sort()).toEqual(routes.map((r) => `${r.operation} ${r.role}`).sort());
});

describe.each(routes)('$operation', (route) => {
  it.each(callers.map((caller) => [caller, expected(route, caller)] as const))(
    'caller %s → %i',
    async (caller, status) => {
      const call = await route.call();
      const res = await api(admin.url, credential(caller), call.method, call.path, call.body);
      expect(res.status).toBe(status);
      if (status >= 400) {
        expect(res.contentType).toMatch(/^application\/problem\+json/);
        if (status === 403) expect(res.body?.['type']).toBe('/problems/insufficient-role');
      }
      const requestId = res.headers.get('x-request-id');
      const audited = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM audit_log WHERE request_id = ${requestId}`;
      const changed = call.method !== 'GET' && status < 400;
      expect(audited[0]?.n).toBe(changed ? 1 : 0);
    },
  );
});
