import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningBroker } from '../../local/broker';
import { createMerchant } from '../../functions/admin/queries/merchants';
import { closeDb, createOutboxTransaction, type Db } from '../../shared/db';
import { ensureTopics } from '../../shared/kafka/topics';
import { testChainEnv } from '../fixtures/chain';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { adminDb } from '../helpers/merchant';
import { ROOT, spawnTs, type SpawnedProcess } from '../helpers/process';
import { confirmedPayment } from '../fixtures/confirmed-payment';

/**
 * The event path under crashes: invoices settle (a row and an invoice.settled outbox event in one
 * transaction, as the payment function writes them) while the relay, the core function and then the
 * whole emulator are SIGKILLed and started again. Every settlement must be credited, once.
 */
const EVENTS = 240;
const AMOUNT = 1000n;
let broker: RunningBroker;
let db: TestDatabase;
let admin: Db;

beforeAll(async () => {
  broker = await startTestBroker();
  db = await createTestDatabase();
  admin = adminDb(db.url);
  const kafkaAdmin = kafkaClient(broker.address).admin();
  await kafkaAdmin.connect();
  await ensureTopics(kafkaAdmin, quietLogger);
  await kafkaAdmin.disconnect();
});
afterAll(async () => {
  await closeDb(admin);
  await db.drop();
  await broker.close();
});

const startRelay = () =>
  spawnTs('bin/relay.ts', [], {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: broker.address,
    RELAY_POLL_MS: '200',
    LOG_LEVEL: 'warn',
    PORT: '0',
  });
async function startEmulator(): Promise<SpawnedProcess> {
  const emulator = spawnTs(
    'test/fixtures/platform-main.ts',
    [],
    {
      MANIFESTS: resolve(ROOT, 'test/fixtures/knative-crash'),
      DATABASE_URL: db.url,
      KAFKA_BROKERS: broker.address,
      DEPOSIT_XPUB: testChainEnv['DEPOSIT_XPUB'] ?? '',
    },
    { group: true },
  );
  await emulator.waitFor(/"platform started"/, 30_000);
  return emulator;
}

/** The core function's process: a child of the emulator, started by the first delivery. */
function corePid(emulator: SpawnedProcess): number | undefined {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(emulator.child.pid)]).toString();
  const line = children.split('\n').find((l) => l.includes('launch.js core'));
  return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0]);
}

const credited = async () =>
  Number(
    (
      await db.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM ledger_entries WHERE account = 'merchant:available'",
      )
    )[0]?.n,
  );

describe('the event path under SIGKILL', () => {
  it('loses no event and has no second effect when the relay, the receiving function and the emulator are killed mid-run', async () => {
    const merchantId = await createMerchant(admin, { name: 'Crash shop' });
    const transaction = createOutboxTransaction(admin, { source: 'payment', timeoutMs: 10_000 });
    let relay = startRelay();
    let emulator = await startEmulator();
    let written = 0;
    const writer = (async () => {
      for (; written < EVENTS; written++) {
        const id = randomUUID();
        await transaction(async (tx, emit) => {
          await tx.invoice.create({
            data: {
              id,
              merchantId,
              chainId: 31337,
              asset: 'native',
              amount: AMOUNT.toString(),
              amountPaid: AMOUNT.toString(),
              status: 'Settled',
              amountSettled: AMOUNT.toString(),
              depositAddress: `0x${id.replaceAll('-', '').padEnd(40, '0')}`,
              confirmationsRequired: 1,
              expiresAt: new Date(Date.now() + 60_000),
              monitoringUntil: new Date(Date.now() + 120_000),
              // Core credits what the payments table bears out: the payment that settled it.
              payments: { create: confirmedPayment(id, `0x${id.replaceAll('-', '').padEnd(40, '0')}`, AMOUNT) },
            },
          });
          emit('io.knpay.invoice.settled.v1', id, {
            invoiceId: id,
            merchantId,
            chainId: 31337,
            asset: 'native',
            amount: AMOUNT.toString(),
            amountPaid: AMOUNT.toString(),
            additionalStatus: 'None',
          });
        });
        await sleep(25);
      }
    })();
    const progress: number[] = [];
    try {
      // Each kill lands while events are flowing: some credited, more still to come.
      await eventually(credited, (n) => n >= 30, 30_000);
      relay.child.kill('SIGKILL');
      await relay.exited;
      const afterRelay = await credited();
      progress.push(afterRelay);
      await sleep(300);
      relay = startRelay();

      await eventually(credited, (n) => n >= afterRelay + 40, 30_000);
      const pid = corePid(emulator);
      expect(pid).toBeDefined();
      process.kill(pid ?? 0, 'SIGKILL');
      const afterCore = await credited();
      progress.push(afterCore);

      await eventually(credited, (n) => n >= afterCore + 40, 30_000);
      process.kill(-(emulator.child.pid ?? 0), 'SIGKILL'); // the emulator and every function it runs
      await emulator.exited;
      progress.push(await credited());
      emulator = await startEmulator();

      await writer;
      await eventually(credited, (n) => n >= EVENTS, 60_000);
      await sleep(1_000); // time for a second effect to show, if there were one
    } finally {
      relay.child.kill('SIGTERM');
      try {
        process.kill(-(emulator.child.pid ?? 0), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    expect(progress.every((n) => n > 0 && n < EVENTS)).toBe(true);
    // Every settlement credited exactly once, both legs, and the books balance.
    const books = await db.query<{ invoices: string; entries: string; available: string; total: string }>(
      `
      SELECT count(DISTINCT invoice_id)::text AS invoices, count(*)::text AS entries,
             sum(amount) FILTER (WHERE account = 'merchant:available')::text AS available, sum(amount)::text AS total
      FROM ledger_entries WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(books).toEqual([
      { invoices: String(EVENTS), entries: String(2 * EVENTS), available: String(BigInt(EVENTS) * AMOUNT), total: '0' },
    ]);
    const inbox = await db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM inbox_events WHERE consumer = 'core' AND type = 'io.knpay.invoice.settled.v1'",
    );
    expect(inbox).toEqual([{ n: String(EVENTS) }]);
    const unpublished = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM outbox_events WHERE published_at IS NULL',
    );
    expect(unpublished).toEqual([{ n: '0' }]);
  }, 180_000);
});
