import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { catalog } from '../../shared/events';

/**
 * Generated hostile requests for the merchant API and a function's CloudEvents endpoint: well-formed
 * requests mutated at every part (method, path, query, headers, body, each event attribute and data
 * field), plus the inputs that once reached past validation. Run by test/runtime/fuzz.test.ts (a few
 * hundred, in make test) and bench/fuzz.ts (10,000 and more, on demand).
 */
export interface FuzzRequest {
  target: 'api' | 'events';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Strings a careless server mishandles: unicode edge cases, NUL, injection, huge and odd numbers. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  'a\u0000b',
  '%zz',
  '%',
  '../../etc/passwd',
  "'; DROP TABLE invoices; --",
  '<script>alert(1)</script>',
  'constructor',
  '__proto__',
  'toString',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  'yesterday',
  'NaN',
  '-1',
  '1e309',
  String(2 ** 31),
  String(2 ** 53 + 1),
  ((1n << 256n) + 1n).toString(),
  ((1n << 256n) - 1n).toString(),
  'x'.repeat(5000),
  '\u202e',
  '😀',
);
const text = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, 1e-7));
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(scalar, { maxLength: 3 }),
);

/** A value nested `depth` levels: what once exhausted the stack. */
const deep = fc
  .integer({ min: 20, max: 1500 })
  .map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown);

/** A field kept as a valid value most of the time, otherwise replaced by something hostile. */
function mutated<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: nasty });
}

const metadata = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        orderId: mutated(fc.string({ maxLength: 20 })),
        buyerEmail: mutated(fc.constantFrom('buyer@example.com', 'a.b+c@shop.example')),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: fc.dictionary(text, scalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: anyJson },
);

const amountOrPrice = fc.oneof(
  fc.record({ amount: mutated(fc.bigInt({ min: 1n, max: 1n << 80n }).map(String)) }),
  fc.record({
    price: mutated(
      fc.record({
        amount: mutated(fc.integer({ min: 1, max: 1e9 })),
        currency: mutated(fc.constantFrom('USD', 'EUR', 'JPY', 'XPF', 'ZZZ')),
      }),
    ),
  }),
  fc.record(
    { amount: mutated(fc.constant('5')), price: mutated(fc.constant({ amount: 100, currency: 'USD' })) },
    { requiredKeys: [] },
  ),
);

const invoiceBody = fc
  .tuple(
    amountOrPrice,
    fc.record(
      {
        asset: mutated(fc.constantFrom('ETH', 'ETH', 'USDT', 'native', `0x${'5f'.repeat(20)}`)),
        expiresInSeconds: mutated(fc.integer({ min: 10, max: 7 * 24 * 3600 })),
        paymentToleranceBps: mutated(fc.integer({ min: 0, max: 10_000 })),
        speedPolicy: mutated(fc.constantFrom('HighSpeed', 'MediumSpeed', 'LowSpeed')),
        confirmations: mutated(fc.integer({ min: 0, max: 1000 })),
        metadata,
      },
      { requiredKeys: ['asset'] },
    ),
  )
  .map(([money, rest]) => ({ ...rest, ...money }));

const encodedBody = (body: unknown) =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant({ body: JSON.stringify(body), headers: {} }) },
    {
      weight: 1,
      arbitrary: fc.constant({ body: gzipSync(JSON.stringify(body)), headers: { 'content-encoding': 'gzip' } }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('deflate', 'br', 'gzip', 'compress')
        .map((encoding) => ({ body: 'garbage', headers: { 'content-encoding': encoding } })),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((raw) => ({ body: raw, headers: {} })) },
  );

const contentType = fc.oneof(
  { weight: 14, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      '',
      'application/cloudevents+json',
    ),
  },
);

const idSegment = fc.oneof(fc.uuid(), nasty, fc.string({ maxLength: 20 }).map(encodeURIComponent));
const query = fc
  .dictionary(
    fc.oneof(fc.constantFrom('status', 'createdFrom', 'createdTo', 'limit', 'cursor'), fc.string({ maxLength: 8 })),
    fc.oneof(
      text,
      fc.constantFrom(
        'New',
        'Settled',
        '0',
        '101',
        '0000-01-01T00:00:00Z',
        'WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMFoiLCJ4Il0',
      ),
    ),
    { maxKeys: 3 },
  )
  .map((params) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) search.append(key, value.replace(/[\ud800-\udfff]/g, '?'));
    const rendered = search.toString();
    return rendered === '' ? '' : `?${rendered}`;
  });

/** The merchant API; `apiKey` is a valid key most of the time. */
export function apiRequests(apiKey: string): fc.Arbitrary<FuzzRequest> {
  const authorization = fc.oneof(
    { weight: 5, arbitrary: fc.constant(`Bearer ${apiKey}`) },
    { weight: 1, arbitrary: fc.oneof(text, fc.constant('Bearer knp_x')).map((t) => t.replace(/[^\x20-\x7e]/g, '')) },
  );
  const knownId = fc
    .oneof({ weight: 3, arbitrary: fc.uuid() }, { weight: 1, arbitrary: idSegment })
    .map((id) => `/v1/invoices/${id.replace(/[^\x21-\x7e]/g, '')}`);
  const route = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ method: 'POST', path: '/v1/invoices' }) },
    { weight: 2, arbitrary: knownId.map((path) => ({ method: 'GET', path })) },
    { weight: 2, arbitrary: fc.constantFrom('/v1/invoices', '/v1/balances').map((path) => ({ method: 'GET', path })) },
    {
      weight: 2,
      arbitrary: fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        path: fc.oneof(
          knownId,
          fc.constantFrom(
            '/v1/invoices',
            '/v1/balances',
            '/openapi.json',
            '/v1',
            '/',
            '/v1/invoices/',
            '/%zz',
            '/v1/invoices/%zz',
            '/health/readiness',
          ),
        ),
      }),
    },
  );
  return fc
    .record({
      route,
      query: fc.oneof(fc.constant(''), query),
      authorization,
      contentType,
      idempotencyKey: fc.option(text, { freq: 3 }),
      body: invoiceBody.chain(encodedBody),
    })
    .map(({ route: { method, path: p }, query: q, authorization: auth, contentType: type, idempotencyKey, body }) => ({
      target: 'api' as const,
      method,
      path: `${p}${q}`,
      headers: {
        authorization: auth,
        ...(type === '' ? {} : { 'content-type': type }),
        ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey.replace(/[^\x20-\x7e]/g, '') }),
        ...body.headers,
      },
      ...(['GET', 'DELETE', 'HEAD', 'OPTIONS'].includes(method) ? {} : { body: body.body }),
    }));
}

const eventTypes = Object.keys(catalog);
const attribute = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: nasty },
);

/** A settled event's data, mutated: what an attacker would forge. */
const settledData = fc.record(
  {
    invoiceId: mutated(fc.uuid()),
    merchantId: mutated(fc.uuid()),
    chainId: mutated(fc.constantFrom(31337, 1, 2 ** 31)),
    asset: mutated(fc.constantFrom('native', `0x${'5f'.repeat(20)}`)),
    amount: mutated(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map(String)),
    amountPaid: mutated(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map(String)),
    additionalStatus: mutated(fc.constantFrom('None', 'PaidOver')),
  },
  { requiredKeys: [] },
);
const tickData = fc.record(
  { job: mutated(fc.constant('scan-chain')), chainId: mutated(fc.constantFrom(31337, 1, 2 ** 31, -1)) },
  { requiredKeys: [] },
);

const ceAttributes = fc.record(
  {
    specversion: fc.oneof(
      { weight: 8, arbitrary: fc.constant('1.0') },
      { weight: 1, arbitrary: fc.constantFrom('0.3', '', '2.0') },
    ),
    id: fc.oneof({ weight: 8, arbitrary: fc.uuid() }, { weight: 1, arbitrary: attribute }),
    source: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('/knpay/payment', '/apis/v1/namespaces/knpay/pingsources/scan-chain') },
      { weight: 1, arbitrary: attribute },
    ),
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('io.knpay.invoice.settled.v1', 'dev.knative.sources.ping') },
      { weight: 1, arbitrary: fc.constantFrom(...eventTypes) },
      { weight: 1, arbitrary: attribute },
    ),
    time: fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .date({ noInvalidDate: true, min: new Date(1), max: new Date('9999-12-31') })
          .map((d) => d.toISOString()),
      },
      { weight: 1, arbitrary: nasty },
    ),
    subject: attribute,
  },
  { requiredKeys: ['specversion', 'id', 'source', 'type'] },
);
const eventData = fc.oneof(
  { weight: 6, arbitrary: settledData },
  { weight: 3, arbitrary: tickData },
  { weight: 1, arbitrary: anyJson },
  { weight: 1, arbitrary: deep },
);

/** A function's CloudEvents endpoint: binary, structured and batched modes. */
export function eventRequests(): fc.Arbitrary<FuzzRequest> {
  const binary = fc
    .record({
      attributes: ceAttributes,
      data: eventData,
      encoding: fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('gzip', 'br') },
      ),
    })
    .map(({ attributes, data, encoding }) => ({
      target: 'events' as const,
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/json',
        ...Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [`ce-${name}`, value.replace(/[^\x20-\x7e]/g, '')]),
        ),
        ...(encoding === null ? {} : { 'content-encoding': encoding }),
      },
      body: JSON.stringify(data),
    }));
  const structuredEvent = fc
    .record({
      attributes: ceAttributes,
      data: eventData,
      extra: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 2 }),
    })
    .map(({ attributes, data, extra }) => ({ ...extra, ...attributes, data }));
  const structured = fc
    .oneof(
      structuredEvent.map((event) => ({ type: 'application/cloudevents+json', body: JSON.stringify(event) })),
      fc
        .array(structuredEvent, { maxLength: 4 })
        .map((events) => ({ type: 'application/cloudevents-batch+json', body: JSON.stringify(events) })),
      anyJson.map((value) => ({ type: 'application/cloudevents+json', body: JSON.stringify(value) })),
    )
    .map(({ type, body }) => ({
      target: 'events' as const,
      method: 'POST',
      path: '/',
      headers: { 'content-type': type },
      body: body,
    }));
  return fc.oneof({ weight: 3, arbitrary: binary }, { weight: 1, arbitrary: structured });
}
