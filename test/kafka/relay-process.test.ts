import type { RunningBroker } from '../../local/broker';
import { closeDb, createDb, type Db } from '../../shared/db';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { spawnProcess, spawnTs, type SpawnedProcess } from '../helpers/process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { eventually, quietLogger, startTestBroker } from '../broker/helpers';

// The relay as production runs it (bin/relay.ts, its own process): the probes a Deployment's kubelet
// asks and the metrics Prometheus scrapes, against the dev broker and a real PostgreSQL.
let broker: RunningBroker;
let database: TestDatabase;
let db: Db;
let proxy: TcpProxy;
const running: SpawnedProcess[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  database = await createTestDatabase();
  db = createDb({ url: database.url, poolSize: 2, connectTimeoutMs: 5000, log: quietLogger });
  const pg = new URL(database.url);
  proxy = new TcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  await proxy.up();
}, 60_000);
afterAll(async () => {
  for (const relay of running) relay.child.kill('SIGKILL');
  await proxy.down();
  await closeDb(db);
  await database.drop();
  await broker.close();
});

/**
 * A relay (the bundle, or the source through tsx) reaching the database through the proxy (which the
 * test can cut), and its status port.
 */
async function startRelay(
  bundled = false,
): Promise<{ url: string; get(path: string): Promise<{ status: number; body: string }> }> {
  const url = new URL(database.url);
  url.port = String(proxy.port);
  const env = {
    DATABASE_URL: url.toString(),
    KAFKA_BROKERS: broker.address,
    RELAY_POLL_MS: '200',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  // The bundle (make test builds it first) is what the Deployment runs; tsx runs the source.
  const relay = bundled ? spawnProcess(process.execPath, ['dist/bin/relay.js'], env) : spawnTs('bin/relay.ts', [], env);
  running.push(relay);
  const line = await relay.waitFor(/outbox relay started/, 30_000);
  const base = `http://127.0.0.1:${String((JSON.parse(line) as { port: number }).port)}`;
  return {
    url: base,
    get: async (path) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, body: await res.text() };
    },
  };
}

const metric = (body: string, name: string) =>
  Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body)?.[1]);

it('is alive and ready with a database and a producer; one relay publishes, the other stands by', async () => {
  const first = await startRelay(true);
  const second = await startRelay();
  expect(await first.get('/health/liveness')).toEqual({ status: 200, body: 'alive' });
  await eventually(
    async () => [await first.get('/health/readiness'), await second.get('/health/readiness')].map((r) => r.status),
    (statuses) => statuses.every((s) => s === 200),
  );
  const leases = await Promise.all(
    [first, second].map(async (r) => metric((await r.get('/metrics')).body, 'knpay_outbox_relay_lease_held')),
  );
  expect(leases.sort()).toEqual([0, 1]);
}, 60_000);

it('reports the outbox lag it has to publish, and what it published', async () => {
  const relay = await startRelay();
  // Rows on a topic that does not exist cannot be published: they wait, and the metrics say so.
  await db.$executeRawUnsafe(
    `INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data, created_at)
     SELECT gen_random_uuid(), 'io.knpay.test', '/test', 's', 'knpay.no-such-topic', now(), '{}', now() - interval '30 seconds'
     FROM generate_series(1, 3)`,
  );
  const body = (await relay.get('/metrics')).body;
  expect(metric(body, 'knpay_outbox_rows_waiting')).toBe(3);
  expect(metric(body, 'knpay_outbox_oldest_waiting_seconds')).toBeGreaterThanOrEqual(30);
  expect(body).toMatch(/^knpay_outbox_published_rows\{service="outbox-relay"\} \d+$/m);
  await db.$executeRawUnsafe("DELETE FROM outbox_events WHERE topic = 'knpay.no-such-topic'");
  expect(metric((await relay.get('/metrics')).body, 'knpay_outbox_rows_waiting')).toBe(0);
}, 60_000);

it('is not ready while the database is cut off, and ready again when it is back', async () => {
  const relay = await startRelay();
  await eventually(
    () => relay.get('/health/readiness'),
    (r) => r.status === 200,
  );
  await proxy.down();
  await eventually(
    () => relay.get('/health/readiness'),
    (r) => r.status === 503,
    10_000,
  );
  // Still alive: its loop goes on retrying, so the kubelet does not restart it for an outage elsewhere.
  expect((await relay.get('/health/liveness')).status).toBe(200);
  expect((await relay.get('/metrics')).status).toBe(503);
  await proxy.up();
  await eventually(
    () => relay.get('/health/readiness'),
    (r) => r.status === 200,
    15_000,
  );
}, 60_000);
