import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { RunningBroker } from '../../local/broker';
import { closeDb, createDb, createTransactionRunner, type Db } from '../../shared/db';
import { ensureTopics } from '../../shared/kafka/topics';
import { OutboxRelay } from '../../shared/kafka/relay';
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

async function startRelay(pollMs = 60_000): Promise<OutboxRelay> {
  const producer = kafkaClient(broker.address, 'relay').producer();
  await producer.connect();
  const relay = new OutboxRelay({ databaseUrl: database.url, producer, log: quietLogger, pollMs });
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
