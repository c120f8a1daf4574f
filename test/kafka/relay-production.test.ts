import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningBroker } from '../../local/broker';
import { closeDb, createDb, type Db } from '../../shared/db';
import { topics } from '../../shared/events';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { ROOT, spawnProcess, type SpawnedProcess } from '../helpers/process';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

// The relay as a production install has it: a copy of the project with only the built bundle and what
// `npm ci --omit=dev` installs (no tsx, no devDependencies), started as the Deployment starts it, and
// publishing an outbox row to the dev broker, read back by a kafkajs consumer.
let broker: RunningBroker;
let database: TestDatabase;
let db: Db;
let install: string;
let relay: SpawnedProcess | undefined;

beforeAll(async () => {
  install = mkdtempSync(join(tmpdir(), 'knpay-production-'));
  for (const file of ['package.json', 'package-lock.json', 'dist'])
    cpSync(join(ROOT, file), join(install, file), {
      recursive: true,
    });
  // From npm's cache (this machine installed the same lock); no install scripts: production runs none.
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: install,
    stdio: 'ignore',
  });
  broker = await startTestBroker();
  database = await createTestDatabase();
  db = createDb({ url: database.url, poolSize: 2, connectTimeoutMs: 5000, log: quietLogger });
}, 180_000);
afterAll(async () => {
  relay?.child.kill('SIGKILL');
  await closeDb(db);
  await database.drop();
  await broker.close();
  rmSync(install, { recursive: true, force: true });
});

it('has no devDependency installed', () => {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--depth=0', '--json'], { cwd: install, encoding: 'utf8' });
  const installed = Object.keys((JSON.parse(listed) as { dependencies: Record<string, unknown> }).dependencies);
  for (const devOnly of ['tsx', 'jest', 'typescript', 'esbuild', 'hardhat']) expect(installed).not.toContain(devOnly);
  expect(installed).toContain('kafkajs');
});

it('starts from the bundle and publishes the outbox', async () => {
  relay = spawnProcess(
    process.execPath,
    ['--v8-pool-size=1', 'dist/bin/relay.js'],
    { DATABASE_URL: database.url, KAFKA_BROKERS: broker.address, RELAY_POLL_MS: '200', PORT: '0', LOG_LEVEL: 'info' },
    { cwd: install },
  );
  await relay.waitFor(/outbox relay started/, 30_000);
  await db.$executeRawUnsafe(
    `INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data, created_at)
     VALUES (gen_random_uuid(), 'io.knpay.test.v1', '/test', 'production-relay', $1, now(), '{"ok":true}', now())`,
    topics.payments.name,
  );
  const consumer = kafkaClient(broker.address).consumer({ groupId: 'relay-production-test' });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: topics.payments.name, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      seen.push(message.key?.toString() ?? '');
      return Promise.resolve();
    },
  });
  try {
    await eventually(
      () => Promise.resolve(seen),
      (keys) => keys.includes('production-relay'),
      20_000,
    );
  } finally {
    await consumer.disconnect();
  }
}, 60_000);
