import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { insertInvoice } from '../fixtures/invoice';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api, newMerchant } from '../helpers/merchant';

// The operators' invoice search: each filter alone and together, the cursor, and one invoice in full
// with its payments and its history from the event log.
let database: TestDatabase;
let db: Db;
let admin: RunningFunction;
let token: string;
const ids: Record<string, string> = {};
let shopA = '';
let shopB = '';

async function invoice(name: string, merchantId: string, fields: Parameters<typeof insertInvoice>[2], paid?: bigint) {
  ids[name] = await insertInvoice(db, merchantId, fields, paid);
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
  token = (await createOperatorToken(db, 'support', 'viewer')).secret;
  shopA = (await newMerchant(db)).merchantId;
  shopB = (await newMerchant(db)).merchantId;
  await invoice('a-new', shopA, { metadata: { orderId: 'A-1' }, createdAt: new Date('2026-11-01T00:00:00Z') });
  await invoice(
    'a-settled',
    shopA,
    { status: 'Settled', amount: '5000', createdAt: new Date('2026-11-02T00:00:00Z') },
    5000n,
  );
  await invoice('b-expired', shopB, {
    status: 'Expired',
    additionalStatus: 'PaidPartial',
    asset: `0x${'5f'.repeat(20)}`,
    amount: '900000',
    createdAt: new Date('2026-11-03T00:00:00Z'),
  });
  await db.$executeRaw`
    INSERT INTO event_log (source, event_id, type, subject, time, data, topic)
    VALUES ('/knpay/core', ${randomUUID()}, 'io.knpay.invoice.created.v1', ${ids['a-settled']}, '2026-11-02T00:00:00Z', '{}', 'knpay.invoices'),
           ('/knpay/payment', ${randomUUID()}, 'io.knpay.invoice.settled.v1', ${ids['a-settled']}, '2026-11-02T00:05:00Z', '{}', 'knpay.invoices')`;
});
afterAll(async () => {
  await admin.stop();
  await closeDb(db);
  await database.drop();
});

const search = async (query: string) => {
  const res = await api(admin.url, token, 'GET', `/admin/v1/invoices?${query}`);
  expect(res.status).toBe(200);
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return {
    names: (res.body?.['data'] as { id: string }[]).map((row) => names[row.id]),
    next: res.body?.['nextCursor'] as string | null,
  };
};

it.each([
  ['everything, newest first', '', ['b-expired', 'a-settled', 'a-new']],
  ['a merchant', () => `merchantId=${shopA}`, ['a-settled', 'a-new']],
  ['a status', 'status=Settled', ['a-settled']],
  ['an additional status', 'additionalStatus=PaidPartial', ['b-expired']],
  ['an asset', `asset=0x${'5f'.repeat(20)}`, ['b-expired']],
  ['an amount range', 'amountMin=2000&amountMax=10000', ['a-settled']],
  ['a date range', 'createdFrom=2026-11-02T00:00:00Z&createdTo=2026-11-03T00:00:00Z', ['a-settled']],
  ['an order id', 'orderId=A-1', ['a-new']],
  ['a transaction', () => `txHash=0x${(ids['a-settled'] ?? '').replaceAll('-', '').padEnd(64, '0')}`, ['a-settled']],
  [
    'a deposit address (any case)',
    () => `depositAddress=0x${(ids['b-expired'] ?? '').replaceAll('-', '').padEnd(40, '0').toUpperCase()}`,
    ['b-expired'],
  ],
  ['filters together', () => `merchantId=${shopA}&status=New`, ['a-new']],
] as const)('by %s', async (_what, query, expected) => {
  expect((await search(typeof query === 'function' ? query() : query)).names).toEqual(expected);
});

it('pages with the cursor', async () => {
  const first = await search('limit=2');
  expect(first.names).toEqual(['b-expired', 'a-settled']);
  const second = await search(`limit=2&cursor=${first.next ?? ''}`);
  expect(second).toEqual({ names: ['a-new'], next: null });
});

it('refuses filters that cannot match, with the field named', async () => {
  for (const query of ['amountMin=10&amountMax=1', 'txHash=0x12', 'status=Paid', 'limit=1000', 'orderby=x']) {
    const res = await api(admin.url, token, 'GET', `/admin/v1/invoices?${query}`);
    expect([query, res.status, res.contentType.startsWith('application/problem+json')]).toEqual([query, 422, true]);
  }
});

it('shows one invoice with its payments and its events in order', async () => {
  const res = await api(admin.url, token, 'GET', `/admin/v1/invoices/${ids['a-settled'] ?? ''}`);
  expect(res.body).toMatchObject({
    status: 'Settled',
    amount: '5000',
    payments: [{ amount: '5000', status: 'Confirmed' }],
  });
  expect((res.body?.['events'] as { type: string }[]).map((e) => e.type)).toEqual([
    'io.knpay.invoice.created.v1',
    'io.knpay.invoice.settled.v1',
  ]);
  expect((await api(admin.url, token, 'GET', `/admin/v1/invoices/${randomUUID()}`)).status).toBe(404);
});
