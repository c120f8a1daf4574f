import { gzipSync } from 'node:zlib';
import { functions } from '../../functions/registry';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, newMerchant } from '../helpers/merchant';

/**
 * Input that passes the API's validation must never fail deeper down as a 500: each of these was once
 * answered 500 (an API caller told it was our fault) and now gets a 4xx problem body.
 */
let db: TestDatabase;
let admin: Db;
let core: RunningFunction;
let apiKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = adminDb(db.url);
  core = await startTestFunction('core', await functions.core(), db.url);
  apiKey = (await newMerchant(admin)).apiKey;
});
afterAll(async () => {
  await core.stop();
  await closeDb(admin);
  await db.drop();
});

/** A request with the body sent as the exact text given (JSON.stringify would repair lone surrogates). */
async function send(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${core.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

const invoiceWith = (metadata: string) => `{"asset":"ETH","amount":"5","metadata":${metadata}}`;
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const cursorAt = (time: string) =>
  Buffer.from(JSON.stringify([time, '00000000-0000-4000-8000-000000000000'])).toString('base64url');

describe('the merchant API, given input that once failed deeper than validation', () => {
  it.each([
    [
      'a lone surrogate in a metadata string',
      'POST',
      '/v1/invoices',
      invoiceWith('{"note":"\\ud800"}'),
      {},
      422,
      'invalid-request',
    ],
    [
      'a lone surrogate in a metadata key',
      'POST',
      '/v1/invoices',
      invoiceWith('{"\\udfff":"x"}'),
      {},
      422,
      'invalid-request',
    ],
    [
      'a NUL in a metadata string',
      'POST',
      '/v1/invoices',
      invoiceWith('{"note":"a\\u0000b"}'),
      {},
      422,
      'invalid-request',
    ],
    [
      'metadata nested 4,000 levels with an Idempotency-Key',
      'POST',
      '/v1/invoices',
      invoiceWith(nested(4000)),
      { 'idempotency-key': 'deep' },
      400,
      'bad-request',
    ],
    ['metadata nested 40 levels', 'POST', '/v1/invoices', invoiceWith(nested(40)), {}, 400, 'bad-request'],
    [
      'a corrupt gzip body',
      'POST',
      '/v1/invoices',
      Buffer.from('not gzip at all'),
      { 'content-encoding': 'gzip' },
      400,
      'bad-request',
    ],
    [
      'a corrupt deflate body',
      'POST',
      '/v1/invoices',
      Buffer.from('not deflate'),
      { 'content-encoding': 'deflate' },
      400,
      'bad-request',
    ],
    [
      'a corrupt br body',
      'POST',
      '/v1/invoices',
      Buffer.from('not brotli'),
      { 'content-encoding': 'br' },
      400,
      'bad-request',
    ],
    [
      'a form instead of JSON',
      'POST',
      '/v1/invoices',
      'asset=ETH&amount=5',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
    ],
    [
      'text/plain instead of JSON',
      'POST',
      '/v1/invoices',
      invoiceWith('{}'),
      { 'content-type': 'text/plain' },
      415,
      'unsupported-media-type',
    ],
    ['malformed percent-encoding in a path', 'GET', '/v1/invoices/%zz', undefined, {}, 400, 'bad-request'],
    [
      'year 0000 in a list filter',
      'GET',
      '/v1/invoices?createdFrom=0000-01-01T00:00:00Z',
      undefined,
      {},
      422,
      'invalid-request',
    ],
    [
      'year 0000 in a cursor',
      'GET',
      `/v1/invoices?cursor=${cursorAt('0000-01-01T00:00:00.000Z')}`,
      undefined,
      {},
      422,
      'invalid-request',
    ],
  ])('%s: %s %s → a 4xx problem', async (_name, method, path, body, headers, status, problem) => {
    const res = await send(method, path, body, headers);
    expect([res.status, res.contentType, res.body?.['type']]).toEqual([
      status,
      expect.stringMatching(/^application\/problem\+json/) as string,
      `/problems/${problem}`,
    ]);
  });

  it('takes a metadata key named "constructor", and its event carries it', async () => {
    const res = await send('POST', '/v1/invoices', invoiceWith('{"constructor":"x","__proto__":{"polluted":true}}'));
    expect(res.status).toBe(201);
    expect(res.body?.['metadata']).toMatchObject({ constructor: 'x' });
    const [event] = await db.query<{ data: { metadata: Record<string, unknown> } }>(
      'SELECT data FROM outbox_events WHERE subject = $1',
      [res.body?.['id']],
    );
    expect(event?.data.metadata).toMatchObject({ constructor: 'x' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a gzip body that is sound is read', async () => {
    const res = await send('POST', '/v1/invoices', gzipSync(invoiceWith('{}')), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(201);
  });
});

describe('deposit-address indexes', () => {
  it('leaves no gap whatever fails after an index was reserved: the next invoice takes the index back', async () => {
    // The database refuses these invoices after their index is reserved, as any late failure would.
    await db.query(`CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.metadata->>'orderId' = 'refuse-me' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$`);
    await db.query(
      'CREATE TRIGGER refuse_marked BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION refuse_marked()',
    );
    const indexes = async () =>
      (await db.query<{ address_index: number }>('SELECT address_index FROM invoices ORDER BY address_index')).map(
        (r) => r.address_index,
      );
    const before = await indexes();
    for (let i = 0; i < 25; i++) {
      const refused = await send(
        'POST',
        '/v1/invoices',
        invoiceWith('{"orderId":"refuse-me"}'),
        i % 2 === 0 ? { 'idempotency-key': `refused-${String(i)}` } : {},
      );
      expect([refused.status, refused.body?.['type']]).toEqual([422, '/problems/data-refused']);
    }
    for (let i = 0; i < 3; i++) expect((await send('POST', '/v1/invoices', invoiceWith('{}'))).status).toBe(201);
    const after = await indexes();
    const added = after.filter((index) => !before.includes(index));
    const start = Math.max(-1, ...before) + 1;
    expect(added).toEqual([start, start + 1, start + 2]); // contiguous with what was there: no gap
    expect(await db.query('SELECT count(*)::int AS n FROM released_address_indexes')).toEqual([{ n: 0 }]); // each refused request took back the index the one before it released
  });
});

describe('the event endpoint of a public Service', () => {
  it('does not exist: POST / is a 404 problem, and the API still answers', async () => {
    const api = await startTestFunction('core', await functions.core(), db.url, { SERVE: 'api' });
    try {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: {
          'ce-specversion': '1.0',
          'ce-id': '1',
          'ce-source': '/x',
          'ce-type': 'io.knpay.invoice.settled.v1',
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect([res.status, ((await res.json()) as { type: string }).type]).toEqual([404, '/problems/not-found']);
      expect((await fetch(`${api.url}/openapi.json`)).status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('on an events-only Service, the API routes do not exist', async () => {
    const events = await startTestFunction('core', await functions.core(), db.url, { SERVE: 'events' });
    try {
      expect((await fetch(`${events.url}/openapi.json`)).status).toBe(404);
      expect((await fetch(`${events.url}/health/liveness`)).status).toBe(200);
    } finally {
      await events.stop();
    }
  });
});
