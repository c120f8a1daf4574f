import { functions, type FunctionName } from '../../functions/registry';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { binaryRequest, blockSeen } from '../helpers/cloudevents';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const names = Object.keys(functions) as FunctionName[];

describe.each(names)('the %s function on a real port', (name) => {
  let fn: RunningFunction;
  beforeAll(async () => {
    // An SMTP URL for the notification function's config: nothing here sends mail, so nothing connects.
    fn = await startTestFunction(name, await functions[name](), db.url, {
      K_REVISION: `${name}-00001`,
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await fn.stop();
  });

  it('answers its probes', async () => {
    for (const path of ['/health/liveness', '/health/readiness']) {
      const res = await fetch(`${fn.url}${path}`);
      expect([path, res.status, await res.text()]).toEqual([path, 200, 'OK']);
    }
  });

  it('rejects an event type it does not handle with 422 (dead-lettered, never retried)', async () => {
    // A type no function handles: the admin function logs every type of the catalog.
    const res = await fetch(fn.url, binaryRequest({ type: 'io.knpay.no-such-event.v1', data: {} }));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ type: '/problems/unknown-event-type', status: 422 });
  });

  it('serves Prometheus metrics labelled with its service and revision', async () => {
    const res = await fetch(`${fn.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(
      `knpay_events_handled_total{type="unknown",outcome="rejected",service="${name}",revision="${name}-00001"} 1`,
    );
    expect(text).toMatch(
      new RegExp(
        `knpay_http_requests_total\\{route="/health/liveness",method="GET",status="200",service="${name}",revision="${name}-00001"\\} 1`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `knpay_http_requests_total\\{route="/",method="POST",status="422",service="${name}",revision="${name}-00001"\\} 1`,
      ),
    );
    expect(text).toContain('# TYPE knpay_event_handler_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('cron', () => {
  it('turns a scan-chain PingSource tick into a chain.scan.requested command, once', async () => {
    const fn = await startTestFunction('cron', await functions.cron(), db.url);
    const tick = {
      id: 'tick-1',
      type: 'dev.knative.sources.ping',
      source: '/apis/v1/namespaces/knpay/pingsources/scan-chain',
      data: { job: 'scan-chain', chainId: 31337 },
    };
    expect((await fetch(fn.url, binaryRequest(tick))).status).toBe(204);
    expect((await fetch(fn.url, binaryRequest(tick))).status).toBe(204);
    const rows = await db.query('SELECT type, subject, topic, data FROM outbox_events WHERE source = $1', [
      '/knpay/cron',
    ]);
    expect(rows).toEqual([
      {
        type: 'io.knpay.chain.scan.requested.v1',
        subject: 'eip155:31337',
        topic: 'knpay.chain',
        data: { chainId: 31337, reason: 'schedule' },
      },
    ]);
    expect((await fetch(fn.url, binaryRequest({ ...tick, id: 'tick-2', data: { job: 'make-coffee' } }))).status).toBe(
      422,
    );
    expect((await fetch(fn.url, binaryRequest(blockSeen()))).status).toBe(422);
    await fn.stop();
  });
});
