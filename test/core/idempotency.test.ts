import type { Db } from '../../shared/db';
import type { TestDatabase } from '../helpers/database';
import { startCoreStack, type CoreStack } from '../helpers/core-stack';
import { api, newMerchant } from '../helpers/merchant';

// Stripe's Idempotency-Key semantics on POST /v1/invoices, on the core function over a real database.
let cs: CoreStack;
let db: TestDatabase;
let admin: Db;
beforeAll(async () => {
  cs = await startCoreStack();
  ({ db, admin } = cs);
});
afterAll(() => cs.stop());

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  cs.call(method, path, body, headers);

describe('Idempotency-Key (Stripe semantics)', () => {
  it('replays the first answer for the same key and body, and creates one invoice', async () => {
    const body = { asset: 'ETH', amount: '777', metadata: { orderId: 'idem-1' } };
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/v1/invoices', body, { 'idempotency-key': 'order-idem-1' })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => (a.body as { id: string }).id)).size).toBe(1);
    const again = await call(
      'POST',
      '/v1/invoices',
      { metadata: { orderId: 'idem-1' }, amount: '777', asset: 'ETH' },
      { 'idempotency-key': 'order-idem-1' },
    );
    expect(again.body).toEqual(answers[0]?.body);
    const rows = await db.query("SELECT id FROM invoices WHERE metadata->>'orderId' = 'idem-1'");
    expect(rows).toHaveLength(1);
  });

  it('spends no address index on a replay or a refused request, so retries leave no gap a wallet would stop scanning at', async () => {
    // What has been handed out: the sequence's last value and the indexes waiting for reuse (the test
    // before this one may leave some: its concurrent repeats reserved and handed back theirs).
    const spent = async () => ({
      sequence: (await db.query<{ v: string }>('SELECT last_value::text AS v FROM invoices_address_index_seq'))[0]?.v,
      released: (
        await db.query<{ i: number }>('SELECT address_index AS i FROM released_address_indexes ORDER BY 1')
      ).map((r) => r.i),
    });
    expect(
      (await call('POST', '/v1/invoices', { asset: 'ETH', amount: '5' }, { 'idempotency-key': 'k-gap' })).status,
    ).toBe(201);
    const before = await spent();
    for (let i = 0; i < 25; i++)
      expect(
        (await call('POST', '/v1/invoices', { asset: 'ETH', amount: '5' }, { 'idempotency-key': 'k-gap' })).status,
      ).toBe(201);
    // Nor does a request refused for its asset.
    expect(
      (await call('POST', '/v1/invoices', { asset: 'DOGE', amount: '5' }, { 'idempotency-key': 'k-gap-2' })).status,
    ).toBe(422);
    expect(await spent()).toEqual(before);
    // Every index taken is an invoice's or waits for the next one: no hole from the first (1) up.
    await call('POST', '/v1/invoices', { asset: 'ETH', amount: '5' });
    const taken = await db.query<{ i: number }>(
      'SELECT address_index AS i FROM invoices UNION ALL SELECT address_index FROM released_address_indexes ORDER BY 1',
    );
    expect(taken.map((r) => r.i)).toEqual(taken.map((_r, position) => position + 1));
  });

  it('refuses the same key with another body (422), and keys are per merchant', async () => {
    await call('POST', '/v1/invoices', { asset: 'ETH', amount: '1' }, { 'idempotency-key': 'k-2' });
    const conflict = await call('POST', '/v1/invoices', { asset: 'ETH', amount: '2' }, { 'idempotency-key': 'k-2' });
    expect([conflict.status, conflict.body?.['type']]).toEqual([422, '/problems/idempotency-key-reused']);
    const other = await newMerchant(admin);
    const theirs = await api(
      cs.core.url,
      other.apiKey,
      'POST',
      '/v1/invoices',
      { asset: 'ETH', amount: '2' },
      { 'idempotency-key': 'k-2' },
    );
    expect(theirs.status).toBe(201);
  });

  it('forgets a key after 24 hours, and refuses a malformed key', async () => {
    const first = await call('POST', '/v1/invoices', { asset: 'ETH', amount: '3' }, { 'idempotency-key': 'k-old' });
    await db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-old'");
    const later = await call('POST', '/v1/invoices', { asset: 'ETH', amount: '3' }, { 'idempotency-key': 'k-old' });
    expect(later.status).toBe(201);
    expect(later.body?.['id']).not.toBe(first.body?.['id']);
    const bad = await call(
      'POST',
      '/v1/invoices',
      { asset: 'ETH', amount: '3' },
      { 'idempotency-key': 'x'.repeat(256) },
    );
    expect(bad.status).toBe(400);
  });
});
