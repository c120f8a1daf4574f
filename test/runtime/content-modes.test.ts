import { HTTP } from 'cloudevents';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { batchRequest, binaryRequest, blockSeen, structuredRequest } from '../helpers/cloudevents';
import { recordingFunction, replyingFunction } from '../fixtures/functions';

let db: TestDatabase;
let fn: RunningFunction;
let replying: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  fn = await startTestFunction('recorder', recordingFunction, db.url);
  replying = await startTestFunction('replier', replyingFunction, db.url);
});
afterAll(async () => {
  await fn.stop();
  await replying.stop();
  await db.drop();
});

async function outboxFor(source: string): Promise<number> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM inbox_events WHERE source = $1', [source]);
  return Number(rows[0]?.n);
}

describe('CloudEvents content modes over a real socket', () => {
  it('handles a binary-mode event and records it with its outbox event', async () => {
    const res = await fetch(fn.url, binaryRequest({ ...blockSeen(), source: '/binary' }));
    expect(res.status).toBe(204);
    expect(await outboxFor('/binary')).toBe(1);
    const [row] = await db.query<{ type: string; topic: string; subject: string }>(
      "SELECT o.type, o.topic, o.subject FROM outbox_events o WHERE o.source = '/knpay/recorder' ORDER BY id DESC LIMIT 1",
    );
    expect(row).toEqual({ type: 'io.knpay.chain.scan.requested.v1', topic: 'knpay.chain', subject: 'eip155:31337' });
  });

  it('handles a structured-mode event', async () => {
    const res = await fetch(fn.url, structuredRequest({ ...blockSeen(), source: '/structured' }));
    expect(res.status).toBe(204);
    expect(await outboxFor('/structured')).toBe(1);
  });

  it('handles every event of a batch, in order', async () => {
    const res = await fetch(fn.url, batchRequest([1, 2, 3].map((n) => ({ ...blockSeen(31337, n), source: '/batch' }))));
    expect(res.status).toBe(204);
    expect(await outboxFor('/batch')).toBe(3);
  });

  it('answers a reply event in binary mode, as Knative function runtimes do', async () => {
    const res = await fetch(replying.url, binaryRequest(blockSeen(5)));
    expect(res.status).toBe(200);
    expect(res.headers.get('ce-type')).toBe('io.knpay.chain.scan.requested.v1');
    expect(res.headers.get('ce-subject')).toBe('eip155:5');
    const reply = HTTP.toEvent({ headers: Object.fromEntries(res.headers), body: await res.text() });
    expect(Array.isArray(reply) ? reply[0]?.data : reply.data).toEqual({ chainId: 5, reason: 'block' });
  });

  it('answers the replies of a batch as a batch', async () => {
    const res = await fetch(replying.url, batchRequest([blockSeen(1), blockSeen(2)]));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/cloudevents-batch+json');
    const body = (await res.json()) as { subject: string }[];
    expect(body.map((e) => e.subject)).toEqual(['eip155:1', 'eip155:2']);
  });

  it('carries the W3C traceparent header into the events it emits', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await fetch(fn.url, binaryRequest({ ...blockSeen(), source: '/traced' }, { traceparent }));
    expect(res.status).toBe(204);
    const rows = await db.query<{ traceparent: string }>(
      'SELECT traceparent FROM outbox_events WHERE traceparent IS NOT NULL',
    );
    expect(rows).toEqual([{ traceparent }]);
  });
});
