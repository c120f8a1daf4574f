import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { binaryRequest, blockSeen } from '../helpers/cloudevents';
import {
  failingStatementFunction,
  recordingFunction,
  slowFunction,
  statementFunction,
  throwingFunction,
  ungatedStatementFunction,
} from '../fixtures/functions';

let db: TestDatabase;
const running: RunningFunction[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(running.map((fn) => fn.stop()));
  await db.drop();
});

async function start(
  ...args: Parameters<typeof startTestFunction> extends [string, infer M, string, ...infer Rest] ? [M, ...Rest] : never
) {
  const [module, env] = args;
  const fn = await startTestFunction(`fn${String(running.length)}`, module, db.url, env);
  running.push(fn);
  return fn;
}

async function count(table: 'inbox_events' | 'outbox_events'): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
}

describe('handler failures', () => {
  it.each([
    ['a throwing handler, its transaction', throwingFunction, 500, 'internal-error', 'Internal error'],
    // A foreign-key violation: the event's data can never be stored, so it is dead-lettered, not retried.
    [
      'a statement the database refuses (inStatement), the statement',
      failingStatementFunction,
      422,
      'data-refused',
      'The database refused the data as given',
    ],
    [
      'a statement not gated on isNew (inStatement), refused and',
      ungatedStatementFunction,
      500,
      'internal-error',
      'Internal error',
    ],
  ])('answers for %s rolled back', async (_label, module, status, type, title) => {
    const fn = await start(module);
    const before = [await count('inbox_events'), await count('outbox_events')];
    const res = await fetch(fn.url, binaryRequest(blockSeen()));
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ type: `/problems/${type}`, title, status, instance: '/' });
    expect([await count('inbox_events'), await count('outbox_events')]).toEqual(before);
  });

  it('answers 504 when the handler outlives its timeout (retried by Knative)', async () => {
    const fn = await start(slowFunction(1_000), { HANDLER_TIMEOUT_MS: '100' });
    const res = await fetch(fn.url, binaryRequest(blockSeen()));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ type: '/problems/handler-timeout' });
    const metrics = await (await fetch(`${fn.url}/metrics`)).text();
    expect(metrics).toMatch(
      /knpay_events_handled_total\{type="io.knpay.chain.block.seen.v1",outcome="timeout",service="fn\d+"\} 1/,
    );
  });
});

describe.each([
  ['in a transaction', 'tx', recordingFunction],
  ['in one statement', 'statement', statementFunction],
])('duplicate deliveries, work %s', (_label, slug, module) => {
  it('has no second effect for a redelivered event id', async () => {
    const fn = await start(module);
    const source = `/dup-${slug}`;
    const event = { ...blockSeen(), id: 'dup-1', source };
    const first = await fetch(fn.url, binaryRequest(event));
    const second = await fetch(fn.url, binaryRequest(event));
    expect([first.status, second.status]).toEqual([204, 204]);
    const rows = await db.query('SELECT event_id FROM inbox_events WHERE source = $1', [source]);
    expect(rows).toHaveLength(1);
    const emitted = await db.query("SELECT id FROM outbox_events WHERE source = '/knpay/fn' || $1", [
      String(running.length - 1),
    ]);
    expect(emitted).toHaveLength(1);
    const metrics = await (await fetch(`${fn.url}/metrics`)).text();
    expect(metrics).toMatch(/outcome="duplicate".* 1/);
  });

  it('has one effect when the same event arrives many times at once', async () => {
    const fn = await start(module);
    const event = { ...blockSeen(), id: 'dup-concurrent', source: `/dup-concurrent-${slug}` };
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => fetch(fn.url, binaryRequest(event)).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(8).fill(204));
    const emitted = await db.query("SELECT id FROM outbox_events WHERE source = '/knpay/fn' || $1", [
      String(running.length - 1),
    ]);
    expect(emitted).toHaveLength(1);
  });

  it('treats the same id from another source as another event', async () => {
    const fn = await start(module);
    const id = `shared-id-${slug}`;
    await fetch(fn.url, binaryRequest({ ...blockSeen(), id, source: '/a' }));
    await fetch(fn.url, binaryRequest({ ...blockSeen(), id, source: '/b' }));
    expect(await db.query('SELECT source FROM inbox_events WHERE event_id = $1 ORDER BY source', [id])).toEqual([
      { source: '/a' },
      { source: '/b' },
    ]);
  });
});
