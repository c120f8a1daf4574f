import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { RunningBroker } from '../../local/broker';
import { closeDb, createDb, createTransactionRunner, type Db } from '../../shared/db';
import { ensureTopics } from '../../shared/kafka/topics';
import { OutboxRelay, RELAY_APPLICATION_NAME } from '../../shared/kafka/relay';
import { topics } from '../../shared/events';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { ROOT } from '../helpers/process';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

let broker: RunningBroker;
let database: TestDatabase;
let db: Db;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  database = await createTestDatabase();
  db = createDb({ url: database.url, poolSize: 4, connectTimeoutMs: 5000, log: quietLogger });
  const admin = kafkaClient(broker.address).admin();
  await admin.connect();
  await ensureTopics(admin, quietLogger);
  await admin.disconnect();
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await closeDb(db);
  await database.drop();
  await broker.close();
});

/** Produce requests sent by the relays started here (each call of the real producer's sendBatch). */
let produceRequests = 0;

async function startRelay(pollMs = 60_000, lingerMs = 0): Promise<OutboxRelay> {
  const producer = kafkaClient(broker.address, 'relay').producer();
  await producer.connect();
  const sendBatch = producer.sendBatch.bind(producer);
  producer.sendBatch = (batch) => {
    produceRequests += 1;
    return sendBatch(batch);
  };
  const relay = new OutboxRelay({ databaseUrl: database.url, producer, log: quietLogger, pollMs, lingerMs });
  relay.start();
  relays.push(relay);
  return relay;
}

/** Emits one scan request per (chain) through inTransaction, as a handler would. */
async function emitScans(chainIds: number[]): Promise<void> {
  const inTransaction = createTransactionRunner(db, { source: '/knpay/test', timeoutMs: 10_000 });
  for (const chainId of chainIds) {
    await inTransaction({ id: randomUUID(), source: '/test', type: 'test' }, 'relay-test', (_tx, emit) => {
      emit('io.knpay.chain.scan.requested.v1', `eip155:${String(chainId)}`, { chainId, reason: 'operator' });
    });
  }
}

async function consumeAll(groupId: string, expected: number): Promise<KafkaMessage[]> {
  const consumer = kafkaClient(broker.address).consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.chain.name, fromBeginning: true });
  const seen: KafkaMessage[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      seen.push(message);
      return Promise.resolve();
    },
  });
  await eventually(
    () => seen.length,
    (n) => n >= expected,
    30_000,
  );
  await consumer.disconnect();
  return seen;
}

/** The relays' database sessions, the lease holder's or the standbys', with each one's last statement. */
function relaySessions(holdingLease: boolean): Promise<{ at: Date; query: string }[]> {
  return database.query<{ at: Date; query: string }>(
    `SELECT a.state_change AS at, a.query FROM pg_stat_activity a
     WHERE a.application_name = $1 AND a.datname = current_database()
       AND $2 = EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)`,
    [RELAY_APPLICATION_NAME, holdingLease],
  );
}

async function unpublished(): Promise<number> {
  return Number(
    (await database.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL'))[0]?.n,
  );
}

describe('the outbox relay', () => {
  it('publishes rows as binary-mode CloudEvents keyed by subject, and marks them published', async () => {
    await startRelay(200);
    await emitScans([7]);
    await eventually(unpublished, (n) => n === 0);
    const [message] = await consumeAll('binding-check', 1);
    const header = (name: string) => message?.headers?.[name]?.toString();
    expect(message?.key?.toString()).toBe('eip155:7');
    expect(JSON.parse(message?.value?.toString() ?? '{}')).toEqual({ chainId: 7, reason: 'operator' });
    expect([
      header('ce_specversion'),
      header('ce_type'),
      header('ce_source'),
      header('ce_subject'),
      header('content-type'),
    ]).toEqual(['1.0', 'io.knpay.chain.scan.requested.v1', '/knpay/test', 'eip155:7', 'application/json']);
    expect(header('ce_id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('wakes on the commit (NOTIFY), not on its poll', async () => {
    await startRelay(60_000);
    await new Promise((r) => setTimeout(r, 300)); // listening, lease taken, outbox drained
    const committed = Date.now();
    await emitScans([8]);
    await eventually(unpublished, (n) => n === 0, 5_000);
    expect(Date.now() - committed).toBeLessThan(1_000);
  });

  it('lingers after a wake, so commits close together share one produce request', async () => {
    await startRelay(60_000, 400);
    await new Promise((r) => setTimeout(r, 300)); // listening, lease taken, outbox drained
    produceRequests = 0;
    const started = Date.now();
    await emitScans([11, 12, 13, 14, 15, 16, 17, 18]); // eight transactions, eight commits
    expect(Date.now() - started).toBeLessThan(400); // all within the linger (else the test proves nothing)
    await eventually(unpublished, (n) => n === 0, 5_000);
    expect(produceRequests).toBe(1);
  });

  it('reads the outbox once per short batch: no second read to find it empty', async () => {
    await startRelay(60_000);
    await new Promise((r) => setTimeout(r, 300)); // lease taken, outbox drained
    await emitScans([10]);
    await eventually(unpublished, (n) => n === 0, 5_000);
    await new Promise((r) => setTimeout(r, 200)); // whatever the relay does next, it has done
    const [holder] = await relaySessions(true);
    expect(holder?.query).toMatch(/^UPDATE outbox_events SET published_at/);
  });

  it('leaves a standby asleep through commits: it waits for the lease on its poll, not a query per commit', async () => {
    await startRelay(60_000);
    await startRelay(60_000);
    await new Promise((r) => setTimeout(r, 300));
    const standbyLastQuery = async () => (await relaySessions(false)).map(({ at }) => ({ at }));
    const before = await standbyLastQuery();
    expect(before).toHaveLength(1);
    await emitScans([19, 20, 21]);
    await eventually(unpublished, (n) => n === 0, 5_000);
    expect(await standbyLastQuery()).toEqual(before);
  });

  it('keeps each aggregate in commit order with two relays running, and does not stall', async () => {
    await startRelay(100);
    await startRelay(100);
    const chains = Array.from({ length: 120 }, (_, i) => 100 + (i % 6));
    await emitScans(chains);
    await eventually(unpublished, (n) => n === 0, 20_000);
    const rows = await database.query<{ event_id: string; subject: string }>(
      "SELECT event_id, subject FROM outbox_events WHERE subject LIKE 'eip155:10_' ORDER BY id",
    );
    const messages = (await consumeAll('order-check', rows.length + 2)).filter((m) =>
      /^eip155:10\d$/.test(m.key?.toString() ?? ''),
    );
    for (const subject of new Set(rows.map((r) => r.subject))) {
      const expectedOrder = rows.filter((r) => r.subject === subject).map((r) => r.event_id);
      const published = messages
        .filter((m) => m.key?.toString() === subject)
        .map((m) => m.headers?.['ce_id']?.toString());
      expect(published).toEqual(expectedOrder);
    }
  });

  it('hands the lease to a standby relay when the holder goes', async () => {
    const holder = await startRelay(100);
    await startRelay(100);
    await new Promise((r) => setTimeout(r, 300));
    await emitScans([9]);
    await eventually(unpublished, (n) => n === 0, 5_000);
    await holder.stop(); // its session ends, and with it the advisory lock
    await emitScans([9, 9]);
    await eventually(unpublished, (n) => n === 0, 5_000);
  });

  it('listens for commits once it takes the lease over', async () => {
    const holder = await startRelay(60_000);
    await new Promise((r) => setTimeout(r, 300));
    const standby = await startRelay(3_000);
    await new Promise((r) => setTimeout(r, 100)); // its first try, refused
    await holder.stop();
    await eventually(() => standby.status.leaseHeld, Boolean, 5_000); // on its poll
    // Each commit published well within the 3 s poll: woken by it (three, so a lucky poll cannot pass).
    for (const chainId of [31, 32, 33]) {
      const committed = Date.now();
      await emitScans([chainId]);
      await eventually(unpublished, (n) => n === 0, 5_000);
      expect(Date.now() - committed).toBeLessThan(500);
    }
  });

  it('loses nothing when the relay process is SIGKILLed mid-run', async () => {
    await emitScans(Array.from({ length: 400 }, () => 555));
    const spawnRelay = () =>
      spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'bin/relay.ts')], {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '',
          DATABASE_URL: database.url,
          KAFKA_BROKERS: broker.address,
          RELAY_POLL_MS: '100',
          RELAY_BATCH_SIZE: '5',
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      });
    // Each exit is awaited from the spawn on: a killed process can be gone before the next line runs.
    const exited = (child: ReturnType<typeof spawnRelay>) => new Promise((r) => child.once('exit', r));
    const first = spawnRelay();
    const firstExited = exited(first);
    await eventually(unpublished, (n) => n < 400, 20_000);
    first.kill('SIGKILL');
    expect(await unpublished()).toBeGreaterThan(0); // killed with work left
    await firstExited;
    const second = spawnRelay();
    const secondExited = exited(second);
    await eventually(unpublished, (n) => n === 0, 20_000);
    second.kill('SIGTERM');
    await secondExited;
    const ids = await database.query<{ event_id: string }>(
      "SELECT event_id FROM outbox_events WHERE subject = 'eip155:555'",
    );
    const received = new Set((await consumeAll('kill-check', ids.length)).map((m) => m.headers?.['ce_id']?.toString()));
    expect(ids.filter((row) => !received.has(row.event_id))).toEqual([]);
  }, 60_000);
});
