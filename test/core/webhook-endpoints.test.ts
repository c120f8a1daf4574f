import { functions } from '../../functions/registry';
import { newSecretKey, open } from '../../shared/crypto/secret-box';
import { secretKeyRing } from '../../shared/crypto/secret-box';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api, newMerchant } from '../helpers/merchant';

// The webhook endpoints of the merchant API, served by core, on a real database and socket.
const KEY = newSecretKey('k1');
let db: TestDatabase;
let admin: Db;
let core: RunningFunction;
let unconfigured: RunningFunction;
let merchant: Awaited<ReturnType<typeof newMerchant>>;
beforeAll(async () => {
  db = await createTestDatabase();
  admin = adminDb(db.url);
  core = await startTestFunction('core', await functions.core(), db.url, { WEBHOOK_SECRET_KEY: KEY });
  unconfigured = await startTestFunction('core', await functions.core(), db.url);
  merchant = await newMerchant(admin);
});
afterAll(async () => {
  await core.stop();
  await unconfigured.stop();
  await closeDb(admin);
  await db.drop();
});

const call = (method: string, path: string, body?: unknown, apiKey = merchant.apiKey) =>
  api(core.url, apiKey, method, path, body);
const create = (body: Record<string, unknown>) => call('POST', '/v1/webhook-endpoints', body);

it('creates an endpoint and shows its secret once; the stored secret is sealed, and opens to it', async () => {
  const res = await create({ url: 'https://shop.example.com/hooks', eventTypes: ['invoice.settled'] });
  expect(res.status).toBe(201);
  const endpoint = res.body as { id: string; secret: string };
  expect(endpoint).toMatchObject({
    url: 'https://shop.example.com/hooks',
    eventTypes: ['invoice.settled'],
    enabled: true,
  });
  expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const got = await call('GET', `/v1/webhook-endpoints/${endpoint.id}`);
  expect(got.body).not.toHaveProperty('secret');
  expect(JSON.stringify((await call('GET', '/v1/webhook-endpoints')).body)).not.toContain(endpoint.secret);
  const [row] = await db.query<{ secret_key_id: string; secret_ciphertext: string }>(
    'SELECT secret_key_id, secret_ciphertext FROM webhook_endpoints WHERE id = $1',
    [endpoint.id],
  );
  expect(row?.secret_key_id).toBe('k1');
  expect(row?.secret_ciphertext).not.toContain(endpoint.secret.slice(6, 20));
  const ring = secretKeyRing.parse(KEY);
  expect(open(ring, { keyId: row?.secret_key_id ?? '', ciphertext: row?.secret_ciphertext ?? '' })).toBe(
    endpoint.secret,
  );
});

it('updates, disables, enables and deletes; another merchant sees none of it', async () => {
  const { id } = (await create({ url: 'https://shop.example.com/a' })).body as { id: string };
  expect(
    (await call('PATCH', `/v1/webhook-endpoints/${id}`, { enabled: false, description: 'paused' })).body,
  ).toMatchObject({
    enabled: false,
    description: 'paused',
    url: 'https://shop.example.com/a',
  });
  const other = await newMerchant(admin);
  for (const [method, path] of [
    ['GET', `/v1/webhook-endpoints/${id}`],
    ['PATCH', `/v1/webhook-endpoints/${id}`],
    ['DELETE', `/v1/webhook-endpoints/${id}`],
    ['POST', `/v1/webhook-endpoints/${id}/rotate-secret`],
  ] as const)
    expect(
      (
        await call(
          method,
          path,
          method === 'PATCH' ? { enabled: true } : method === 'POST' ? {} : undefined,
          other.apiKey,
        )
      ).status,
    ).toBe(404);
  expect((await call('DELETE', `/v1/webhook-endpoints/${id}`)).status).toBe(204);
  expect((await call('GET', `/v1/webhook-endpoints/${id}`)).status).toBe(404);
  expect((await call('DELETE', `/v1/webhook-endpoints/${id}`)).status).toBe(404);
});

it.each([
  ['plain http', 'http://shop.example.com/hooks', 'must be https'],
  ['loopback', 'https://127.0.0.1/hooks', 'loopback'],
  ['IPv6 loopback', 'https://[::1]/hooks', 'loopback'],
  ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hooks', 'loopback'],
  ['cloud metadata', 'https://169.254.169.254/latest', 'linkLocal'],
  ['RFC 1918', 'https://10.0.0.1/hooks', 'private'],
  ['CGNAT', 'https://100.64.0.1/hooks', 'carrierGradeNat'],
  ['NAT64 of a private address', 'https://[64:ff9b::a00:1]/hooks', 'private'],
  ['credentials in the URL', 'https://user:pw@shop.example.com/', 'credentials'],
])('refuses %s with a 422 naming url', async (_what, url, reason) => {
  const res = await create({ url });
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ type: '/problems/invalid-request', errors: [{ in: 'body', path: 'url' }] });
  expect(JSON.stringify(res.body)).toContain(reason);
});

it.each([
  ['no url', {}, 'url'],
  ['not a URL', { url: 'shop' }, 'url'],
  ['an unknown event type', { url: 'https://a.example/', eventTypes: ['invoice.teleported'] }, 'eventTypes.0'],
  ['an unknown field', { url: 'https://a.example/', secret: 'mine' }, '(root)'],
])('answers %s with 422 and the field', async (_what, body, path) => {
  const res = await create(body);
  expect(res.status).toBe(422);
  expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
});

it('needs the webhooks scopes', async () => {
  const readOnly = await newMerchant(admin, ['webhooks:read']);
  expect((await call('POST', '/v1/webhook-endpoints', { url: 'https://a.example/' }, readOnly.apiKey)).status).toBe(
    403,
  );
  expect((await call('GET', '/v1/webhook-endpoints', undefined, readOnly.apiKey)).status).toBe(200);
});

it('answers 503 with a clear problem where WEBHOOK_SECRET_KEY is not set, and stores nothing', async () => {
  const res = await api(unconfigured.url, merchant.apiKey, 'POST', '/v1/webhook-endpoints', {
    url: 'https://b.example/',
  });
  expect(res.status).toBe(503);
  expect(JSON.stringify(res.body)).toContain('WEBHOOK_SECRET_KEY');
  expect(await db.query("SELECT id FROM webhook_endpoints WHERE url = 'https://b.example/'")).toEqual([]);
});
