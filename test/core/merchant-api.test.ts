import { revokeApiKey } from '../../functions/admin/queries/merchants';
import { depositAddress } from '../../shared/chain';
import type { Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { testChainEnv } from '../fixtures/chain';
import { startCoreStack, TOKEN, type CoreStack } from '../helpers/core-stack';
import type { TestDatabase } from '../helpers/database';
import { api, newMerchant } from '../helpers/merchant';

let cs: CoreStack;
let db: TestDatabase;
let admin: Db;
let core: RunningFunction;
let merchant: CoreStack['merchant'];
beforeAll(async () => {
  cs = await startCoreStack();
  ({ db, admin, core, merchant } = cs);
});
afterAll(() => cs.stop());

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  cs.call(method, path, body, headers);

describe('POST /v1/invoices', () => {
  it('creates an invoice in base units with its own deposit address and announces it', async () => {
    const res = await call('POST', '/v1/invoices', {
      asset: 'ETH',
      amount: '1000000000000000000',
      metadata: { orderId: 'A-1', buyerEmail: 'b@example.com' },
    });
    expect(res.status).toBe(201);
    const invoice = res.body as Record<string, unknown>;
    expect(invoice).toMatchObject({
      status: 'New',
      additionalStatus: 'None',
      asset: 'ETH',
      assetAddress: 'native',
      amount: '1000000000000000000',
      amountDue: '1000000000000000000',
      confirmationsRequired: 6,
      price: null,
      metadata: { orderId: 'A-1' },
    });
    const [row] = await db.query<{ address_index: number; deposit_address: string }>(
      'SELECT address_index, deposit_address FROM invoices WHERE id = $1',
      [invoice['id']],
    );
    expect(invoice['depositAddress']).toBe(
      depositAddress(testChainEnv['DEPOSIT_XPUB'] ?? '', row?.address_index ?? -1),
    );
    const events = await db.query('SELECT type, subject FROM outbox_events WHERE subject = $1', [invoice['id']]);
    expect(events).toEqual([{ type: 'io.knpay.invoice.created.v1', subject: invoice['id'] }]);
    // The answer is built before the row is written: what is stored reads back the same.
    const stored = await call('GET', `/v1/invoices/${String(invoice['id'])}`);
    expect(stored.body).toEqual({ ...invoice, payments: [] });
  });

  it('prices in fiat at the fixed dev rate, rounding up to the base unit', async () => {
    const res = await call('POST', '/v1/invoices', {
      asset: 'USDT',
      price: { amount: 1999, currency: 'USD' },
      confirmations: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      asset: 'USDT',
      assetAddress: TOKEN,
      decimals: 6,
      amount: '19990000',
      price: { amount: 1999, currency: 'USD', rate: '1' },
      confirmationsRequired: 1,
    });
    const eth = await call('POST', '/v1/invoices', { asset: 'eth', price: { amount: 100, currency: 'USD' } });
    // 1.00 USD at 3000 USD/ETH = 1/3000 ETH = 333333333333333.33 wei, rounded up.
    expect(eth.body).toMatchObject({ amount: '333333333333334', price: { rate: '3000' } });
  });

  it('never hands out a deposit address twice, even to 20 concurrent requests', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/v1/invoices', { asset: 'ETH', amount: '5' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const addresses = new Set(answers.map((a) => (a.body as { depositAddress: string }).depositAddress));
    expect(addresses.size).toBe(20);
    const [dupes] = await db.query<{ n: string }>('SELECT count(*) - count(DISTINCT address_index) AS n FROM invoices');
    expect(dupes?.n).toBe('0');
  });

  const bad: [string, unknown, string][] = [
    ['a negative amount', { asset: 'ETH', amount: '-5' }, 'amount'],
    ['a zero amount', { asset: 'ETH', amount: '0' }, 'amount'],
    ['an amount of 2^256', { asset: 'ETH', amount: (1n << 256n).toString() }, 'amount'],
    ['an amount with decimals', { asset: 'ETH', amount: '1.5' }, 'amount'],
    ['an amount as a JSON number', { asset: 'ETH', amount: 1000 }, 'amount'],
    ['no amount and no price', { asset: 'ETH' }, 'amount'],
    ['both amount and price', { asset: 'ETH', amount: '1', price: { amount: 1, currency: 'USD' } }, 'amount'],
    ['a fractional fiat amount', { asset: 'ETH', price: { amount: 1.5, currency: 'USD' } }, 'price.amount'],
    ['a lower-case currency', { asset: 'ETH', price: { amount: 100, currency: 'usd' } }, 'price.currency'],
    ['a code ISO 4217 does not list', { asset: 'ETH', price: { amount: 100, currency: 'ABC' } }, 'price.currency'],
    ['gold, which has no minor unit', { asset: 'ETH', price: { amount: 100, currency: 'XAU' } }, 'price.currency'],
    ['an asset of the wrong type', { asset: 42, amount: '1' }, 'asset'],
    ['a tolerance over 100 %', { asset: 'ETH', amount: '1', paymentToleranceBps: 10001 }, 'paymentToleranceBps'],
    ['an unknown speed policy', { asset: 'ETH', amount: '1', speedPolicy: 'Warp' }, 'speedPolicy'],
    ['an unknown field', { asset: 'ETH', amount: '1', amout: '2' }, '(root)'],
    [
      'a malformed buyer e-mail',
      { asset: 'ETH', amount: '1', metadata: { buyerEmail: 'nope' } },
      'metadata.buyerEmail',
    ],
    ['a body that is not an object', [1, 2], '(root)'],
  ];
  it.each(bad)('answers 422 with a problem naming the field for %s', async (_what, body, path) => {
    const res = await call('POST', '/v1/invoices', body);
    expect(res.status).toBe(422);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: '/problems/invalid-request', status: 422 });
    expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
  });

  it('answers 422 for an asset not configured on the chain, and 400 for a body that is not JSON', async () => {
    const unknown = await call('POST', '/v1/invoices', { asset: 'DOGE', amount: '1' });
    expect([unknown.status, unknown.body?.['type']]).toEqual([422, '/problems/unknown-asset']);
    const garbled = await call('POST', '/v1/invoices', '{"asset": "ETH",');
    expect([garbled.status, garbled.body?.['type']]).toEqual([400, '/problems/bad-request']);
    const [count] = await db.query<{ n: string }>(
      "SELECT count(*) AS n FROM invoices WHERE metadata->>'orderId' = 'never'",
    );
    expect(count?.n).toBe('0');
  });
});

describe('GET /v1/invoices', () => {
  it("gets one invoice, and 404s for another merchant's or an unknown one", async () => {
    const created = await call('POST', '/v1/invoices', { asset: 'ETH', amount: '10' });
    const id = created.body?.['id'] as string;
    const got = await call('GET', `/v1/invoices/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, payments: [] });
    const other = await newMerchant(admin);
    expect((await api(core.url, other.apiKey, 'GET', `/v1/invoices/${id}`)).status).toBe(404);
    expect((await call('GET', '/v1/invoices/not-a-uuid')).status).toBe(422);
  });

  it('shows an invoice past its expiry as Expired at once, before the payment function records it', async () => {
    const shop = await newMerchant(admin);
    const call2 = (path: string) => api(core.url, shop.apiKey, 'GET', path);
    const open = await api(core.url, shop.apiKey, 'POST', '/v1/invoices', { asset: 'ETH', amount: '10' });
    const late = await api(core.url, shop.apiKey, 'POST', '/v1/invoices', { asset: 'ETH', amount: '20' });
    const lateId = late.body?.['id'] as string;
    await db.query("UPDATE invoices SET expires_at = now() - interval '1 second' WHERE id = $1", [lateId]);
    expect(await db.query('SELECT status FROM invoices WHERE id = $1', [lateId])).toEqual([{ status: 'New' }]);
    expect((await call2(`/v1/invoices/${lateId}`)).body).toMatchObject({ status: 'Expired', additionalStatus: 'None' });
    const ids = async (query: string) =>
      ((await call2(`/v1/invoices?${query}`)).body?.['data'] as { id: string; status: string }[]).map((i) => [
        i.id,
        i.status,
      ]);
    expect(await ids('status=Expired')).toEqual([[lateId, 'Expired']]);
    expect(await ids('status=New')).toEqual([[open.body?.['id'], 'New']]);
  });

  it('lists newest first with status and date filters and a cursor that pages through everything once', async () => {
    const shop = await newMerchant(admin);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        (await api(core.url, shop.apiKey, 'POST', '/v1/invoices', { asset: 'ETH', amount: String(i + 1) })).body?.[
          'id'
        ] as string,
      );
    await db.query("UPDATE invoices SET status = 'Expired' WHERE id = ANY($1::uuid[])", [[ids[0], ids[1]]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api>> = await api(
        core.url,
        shop.apiKey,
        'GET',
        `/v1/invoices?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...(page.body?.['data'] as { id: string }[]).map((i) => i.id));
      cursor = page.body?.['nextCursor'] as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const expired = await api(core.url, shop.apiKey, 'GET', '/v1/invoices?status=Expired');
    expect((expired.body?.['data'] as { id: string }[]).map((i) => i.id).sort()).toEqual([ids[0], ids[1]].sort());
    const future = await api(
      core.url,
      shop.apiKey,
      'GET',
      `/v1/invoices?createdFrom=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.body?.['data']).toEqual([]);
    for (const query of ['status=Paid', 'limit=0', 'limit=abc', 'cursor=zzz', 'createdFrom=yesterday', 'colour=red']) {
      const res = await api(core.url, shop.apiKey, 'GET', `/v1/invoices?${query}`);
      expect([query, res.status]).toEqual([query, 422]);
    }
  });
});

describe('authentication and scopes', () => {
  it('answers 401 for a missing, malformed or unknown key and 403 for a missing scope, never echoing the key', async () => {
    const missing = await api(core.url, null, 'GET', '/v1/invoices');
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="knpay"']);
    const wrongScheme = await api(core.url, null, 'GET', '/v1/invoices', undefined, {
      authorization: `Basic ${merchant.apiKey}`,
    });
    expect(wrongScheme.status).toBe(401);
    const unknownKey = `knp_${'A'.repeat(43)}`;
    const unknown = await api(core.url, unknownKey, 'GET', '/v1/invoices');
    expect(unknown.status).toBe(401);
    expect(JSON.stringify(unknown.body)).not.toContain(unknownKey);
    const readOnly = await newMerchant(admin, ['invoices:read']);
    const forbidden = await api(core.url, readOnly.apiKey, 'POST', '/v1/invoices', { asset: 'ETH', amount: '1' });
    expect([forbidden.status, forbidden.body?.['type']]).toEqual([403, '/problems/forbidden']);
    expect((await api(core.url, readOnly.apiKey, 'GET', '/v1/balances')).status).toBe(403);
  });

  it('refuses a revoked key at once', async () => {
    const shop = await newMerchant(admin);
    expect((await api(core.url, shop.apiKey, 'GET', '/v1/invoices')).status).toBe(200);
    expect(await revokeApiKey(admin, shop.keyId)).toBe(true);
    const revoked = await api(core.url, shop.apiKey, 'GET', '/v1/invoices');
    expect([revoked.status, revoked.body?.['detail']]).toEqual([401, 'The API key has been revoked']);
  });
});
