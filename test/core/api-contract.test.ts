import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { functions } from '../../functions/registry';
import type { RunningFunction } from '../../shared/runtime';
import { testChainEnv } from '../fixtures/chain';
import { startCoreStack, type CoreStack } from '../helpers/core-stack';
import type { TestDatabase } from '../helpers/database';

// The merchant API as a client sees it: the document it serves, the examples it gives, and how it
// answers a wrong method, a replayed Idempotency-Key and a missing rate.
const VALIDATOR = resolve(__dirname, '../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
let cs: CoreStack;
let db: TestDatabase;
let core: RunningFunction;
let apiKey: string;
beforeAll(async () => {
  cs = await startCoreStack();
  ({ db, core } = cs);
  apiKey = cs.merchant.apiKey;
});
afterAll(() => cs.stop());

const send = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${core.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });

interface Operation {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: { 'application/json': { schema: { examples?: unknown[] } } } };
}
const documentOf = async () =>
  (await (await fetch(`${core.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (checked by a maintained validator against the official schema)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'knpay-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(await documentOf()));
      const { stdout } = await promisify(execFile)(process.execPath, [VALIDATOR, file]);
      expect(stdout).toMatch(/"valid": ?true/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('documents every webhook a merchant can receive, in its webhooks section', async () => {
    const doc = (await (await fetch(`${core.url}/openapi.json`)).json()) as { webhooks: Record<string, unknown> };
    expect(Object.keys(doc.webhooks)).toEqual(
      expect.arrayContaining(['invoice.settled', 'invoice.processing', 'ping']),
    );
    expect(JSON.stringify(doc.webhooks['invoice.settled'])).toContain('webhook-signature');
  });

  it('marks a query parameter required only when the API requires it', async () => {
    const list = (await documentOf()).paths['/v1/invoices']?.['get'];
    const required = (list?.parameters ?? []).filter((p) => p.required).map((p) => p.name);
    expect(required).toEqual([]);
    // And the API agrees: the list answers with no parameter at all.
    expect((await send('GET', '/v1/invoices')).status).toBe(200);
  });

  it('gives example requests, each of which the running API accepts', async () => {
    const create = (await documentOf()).paths['/v1/invoices']?.['post'];
    const examples = create?.requestBody?.content['application/json'].schema.examples ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      const res = await send('POST', '/v1/invoices', { body: JSON.stringify(example) });
      expect({ example, status: res.status }).toEqual({ example, status: 201 });
    }
  });
});

describe('answers a client can rely on', () => {
  it('replays an Idempotency-Key with the same bytes, marked Idempotent-Replayed', async () => {
    const headers = { 'idempotency-key': 'contract-replay' };
    const body = JSON.stringify({ asset: 'ETH', amount: '1234', metadata: { b: 1, a: 2, z: { y: 1, x: 2 } } });
    const first = await send('POST', '/v1/invoices', { body, headers });
    const firstBytes = await first.text();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send('POST', '/v1/invoices', { body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await again.text()).toBe(firstBytes);
  });

  it.each([
    ['DELETE', '/v1/invoices', 'GET, HEAD, POST'],
    ['PUT', '/v1/invoices/00000000-0000-4000-8000-000000000000', 'GET, HEAD'],
    ['POST', '/v1/balances', 'GET, HEAD'],
    ['POST', '/openapi.json', 'GET, HEAD'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await send(method, path, { body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ type: '/problems/method-not-allowed', status: 405 });
  });

  it('answers a price with no known rate with its own problem type', async () => {
    const res = await send('POST', '/v1/invoices', {
      body: JSON.stringify({ asset: 'ETH', price: { amount: 100, currency: 'JPY' } }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ type: '/problems/unknown-rate', detail: 'No rate for ETH/JPY' });
  });

  it.each([
    ['text/plain', '{"asset":"ETH","amount":"1"}'],
    ['application/x-www-form-urlencoded', 'asset=ETH&amount=1'],
  ])('refuses a %s body with 415 and creates nothing', async (type, body) => {
    const before = await db.query<{ n: string }>('SELECT count(*) AS n FROM invoices');
    const res = await send('POST', '/v1/invoices', { body, headers: { 'content-type': type } });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ type: '/problems/unsupported-media-type' });
    expect(await db.query('SELECT count(*) AS n FROM invoices')).toEqual(before);
  });

  it('names validation failures `errors`, each with where, path and message', async () => {
    const res = await send('GET', '/v1/invoices?limit=0');
    expect(await res.json()).toMatchObject({
      type: '/problems/invalid-request',
      errors: [{ in: 'query', path: 'limit', message: expect.any(String) as string }],
    });
  });
});

describe('/openapi.json, against the routes', () => {
  it('documents exactly the routes that exist, from the schemas that validate them', async () => {
    const res = await fetch(`${core.url}/openapi.json`);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const { routes } = await functions.core();
    const router = routes({
      name: 'core',
      log: core.log,
      db: core.db,
      config: {} as never,
      env: { ...testChainEnv },
      transaction: (() => undefined) as never,
    });
    // The merchant API's routes; the buyers' checkout pages (HTML, no key) are not part of it.
    const layers = (stack: typeof router.stack): typeof router.stack =>
      stack.flatMap((layer) => {
        const nested = (layer.handle as { stack?: typeof router.stack }).stack;
        return nested ? layers(nested) : [layer];
      });
    const mounted = layers(router.stack)
      .filter((layer) => layer.route && layer.route.path !== '/openapi.json')
      .filter((layer) => !(layer.route?.path ?? '').startsWith('/checkout'))
      .flatMap((layer) =>
        // The catch-all layer of each path only answers 405 for the methods it lacks.
        Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${(layer.route?.path ?? '').replace(/:(\w+)/g, '{$1}')}`),
      )
      .sort();
    expect(documented).toEqual(mounted);
    expect(documented).toEqual([
      'DELETE /v1/webhook-endpoints/{id}',
      'GET /v1/balances',
      'GET /v1/checkout-settings',
      'GET /v1/invoices',
      'GET /v1/invoices/{id}',
      'GET /v1/notification-settings',
      'GET /v1/notifications',
      'GET /v1/webhook-endpoints',
      'GET /v1/webhook-endpoints/{id}',
      'GET /v1/webhook-endpoints/{id}/messages',
      'GET /v1/webhook-messages/{id}/attempts',
      'PATCH /v1/checkout-settings',
      'PATCH /v1/notification-settings',
      'PATCH /v1/webhook-endpoints/{id}',
      'POST /v1/invoices',
      'POST /v1/webhook-endpoints',
      'POST /v1/webhook-endpoints/{id}/recover',
      'POST /v1/webhook-endpoints/{id}/rotate-secret',
      'POST /v1/webhook-endpoints/{id}/test',
      'POST /v1/webhook-messages/{id}/redeliver',
    ]);
    const create = doc.paths['/v1/invoices']?.['post'];
    expect(JSON.stringify(create?.requestBody)).toContain('paymentToleranceBps');
  });
});
