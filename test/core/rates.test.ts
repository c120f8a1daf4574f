import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coreConfigSchema } from '../../functions/core/config';
import { fiatToBaseUnits } from '../../functions/core/pricing/convert';
import { createRateSource } from '../../functions/core/pricing/rates';
import { loadConfig } from '../../shared/config';
import { ProblemError } from '../../shared/errors';
import { testChainEnv } from '../fixtures/chain';

// The production price feed is a third party: a local HTTP server stands in for it, answering in
// Coinbase's spot-price shape, as the test says.
let feed: Server;
let base = '';
beforeAll(async () => {
  feed = createServer((req, res) => {
    const pair = /\/prices\/([A-Z]+)-([A-Z]+)\/spot/.exec(req.url ?? '');
    if (pair?.[1] === 'ETH' && pair[2] === 'USD')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"data":{"amount":"3012.55","base":"ETH","currency":"USD"}}');
    else if (pair?.[1] === 'BAD')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"amount":"-1"}}');
    else if (pair?.[1] === 'DOWN') res.writeHead(502).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => feed.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${String((feed.address() as AddressInfo).port)}`;
});
afterAll(() => {
  feed.close();
});

const httpSource = () =>
  createRateSource(
    loadConfig(coreConfigSchema, {
      ...testChainEnv,
      RATE_SOURCE: 'http',
      RATE_FEED_URL: `${base}/prices/{base}-{quote}/spot`,
      RATE_FEED_TIMEOUT_MS: '500',
    }),
  );

it('reads a rate from an HTTP price feed', async () => {
  expect(await httpSource()('ETH', 'USD')).toBe('3012.55');
});

it('answers an unknown pair with 422 and a broken or silent feed with 503 (retry later)', async () => {
  const problem = (p: Promise<string>) =>
    p.then(
      () => null,
      (e: unknown) => (e instanceof ProblemError ? [e.status, e.problemType] : e),
    );
  expect(await problem(httpSource()('XYZ', 'USD'))).toEqual([422, 'unknown-rate']);
  expect(await problem(httpSource()('BAD', 'USD'))).toEqual([503, 'rate-unavailable']);
  expect(await problem(httpSource()('DOWN', 'USD'))).toEqual([503, 'rate-unavailable']);
  const silent = createRateSource(
    loadConfig(coreConfigSchema, {
      ...testChainEnv,
      RATE_SOURCE: 'http',
      RATE_FEED_URL: 'http://127.0.0.1:9/{base}-{quote}',
    }),
  );
  expect(await problem(silent('ETH', 'USD'))).toEqual([503, 'rate-unavailable']);
});

it('converts fiat minor units to base units exactly, rounding up', () => {
  expect(fiatToBaseUnits(1999n, 'USD', '1', 6)).toBe(19_990_000n);
  expect(fiatToBaseUnits(100n, 'USD', '3000', 18)).toBe(333_333_333_333_334n);
  expect(fiatToBaseUnits(1000n, 'JPY', '500000', 18)).toBe(2_000_000_000_000_000n);
  expect(fiatToBaseUnits(1n, 'KWD', '0.5', 6)).toBe(2_000n);
});
