import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nextFire, PingSourceEmulator, type PingSourceConfig } from '../../local/knative/ping-source';
import { loadManifests } from '../../local/knative/manifests';
import { catalog } from '../../shared/events';
import { ROOT } from '../helpers/process';
import { resolve } from 'node:path';
import { eventually, quietLogger } from '../broker/helpers';

async function sink(statuses: number[]) {
  const received: { headers: IncomingHttpHeaders; body: string; at: number }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
      res.writeHead(statuses[received.length - 1] ?? 202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

const base = (sinkUrl: string): PingSourceConfig => ({
  name: 'scan-chain',
  namespace: 'knpay',
  schedule: '* * * * * *', // every second: a leading seconds field, as Knative's parser accepts
  contentType: 'application/json',
  data: '{"job":"scan-chain","chainId":31337}',
  sinkUrl,
});

describe('the PingSource emulator', () => {
  it("fires on schedule with the attributes Knative's PingSource sets", async () => {
    const target = await sink([]);
    const ping = new PingSourceEmulator(base(target.url), quietLogger, { now: () => new Date(), jitterMs: 0 });
    ping.start();
    await eventually(
      () => target.received.length,
      (n) => n >= 2,
      5_000,
    );
    ping.stop();
    const [first, second] = target.received;
    expect(first?.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-type': 'dev.knative.sources.ping',
      'ce-source': '/apis/v1/namespaces/knpay/pingsources/scan-chain',
      'content-type': 'application/json',
    });
    expect(first?.headers['ce-id']).not.toBe(second?.headers['ce-id']);
    expect(first?.headers['ce-subject']).toBeUndefined();
    expect(catalog['dev.knative.sources.ping'].data.parse(JSON.parse(first?.body ?? ''))).toEqual({
      job: 'scan-chain',
      chainId: 31337,
    });
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(700); // one per second
    await target.close();
  });

  it('retries a refused tick with exponential backoff from 50 ms', async () => {
    const target = await sink([503, 503, 202]);
    const ping = new PingSourceEmulator(
      { ...base(target.url), dataBase64: Buffer.from('raw').toString('base64'), data: undefined },
      quietLogger,
      { now: () => new Date(), jitterMs: 0 },
    );
    ping.start();
    await eventually(
      () => target.received.length,
      (n) => n >= 3,
      5_000,
    );
    ping.stop();
    const [a, b, c] = target.received;
    expect(new Set([a, b, c].map((r) => r?.headers['ce-id'])).size).toBe(1); // the same tick, retried
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(40);
    expect((c?.at ?? 0) - (b?.at ?? 0)).toBeGreaterThanOrEqual(90);
    expect(c?.body).toBe('raw');
    await target.close();
  });

  it("computes firings in the source's timezone, and refuses @every", () => {
    const after = new Date('2026-01-01T00:00:00Z');
    expect(nextFire('0 9 * * *', 'Europe/Paris', after).toISOString()).toBe('2026-01-01T08:00:00.000Z');
    expect(nextFire('0 9 * * *', undefined, after).toISOString()).toBe('2026-01-01T09:00:00.000Z');
    expect(() => nextFire('@every 1m', undefined, after)).toThrow(/@every/);
  });

  it('accepts the schedules of knative/base', () => {
    for (const ping of loadManifests(resolve(ROOT, 'knative/base')).filter((m) => m.kind === 'PingSource')) {
      expect(() =>
        nextFire(ping.spec['schedule'] as string, ping.spec['timezone'] as string | undefined, new Date()),
      ).not.toThrow();
    }
  });
});
