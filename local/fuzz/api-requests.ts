import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { nasty, text, scalar, anyJson, deep, mutated, type FuzzRequest } from './hostile-values';

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
