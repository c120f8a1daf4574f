import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMerchant } from '../functions/admin/queries/merchants';
import { Prisma } from '../prisma/generated/client';
import { startStack } from '../local/stack';
import { createOutboxTransaction, outboxInsert, wakeRelay, type Db } from '../shared/db';
import type { DomainEvent } from '../shared/events';
import { createLogger } from '../shared/logging/logger';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { benchDatabase } from './lib/database';
import { cpuSeconds, postgresCpuSeconds, ROOT, stackCpuSeconds } from './lib/process';
import { percentile } from './lib/stats';
import { newSecretKey } from '../shared/crypto/secret-box';
import { insertSettledInvoices, settledEvent, SETTLED_AMOUNT, takeEach } from './lib/settled-invoices';

/**
 * The event path end to end: invoice.settled rows in the outbox → relay → dev broker → the emulator's
 * KafkaSource (knpay.invoices, 12 partitions, ordered) → the core function → its one statement (inbox
 * row + two ledger rows). In the same run, on the same database, pgbench runs that transaction with
 * as many connections as the function's pool: the floor the event path adds to.
 * - max rate: EVENTS events committed to the outbox at once, timed to the last one handled (both on
 *   the database's clock);
 * - latency: events written one per transaction at half that rate for LATENCY_S seconds, each timed
 *   from its outbox row (created_at) to its inbox row (handled_at), both on the database's clock.
 * Usage: npm run bench:e2e [-- events latencySeconds]
 */
const EVENTS = Number(process.argv[2] ?? '5000');
const LATENCY_S = Number(process.argv[3] ?? '10');
const POOL = 5;
const MAX_EXPECTED_RATE = 20_000;
const AMOUNT = SETTLED_AMOUNT;

async function main(): Promise<void> {
  const { url, db, drop } = await benchDatabase();
  const stack = await startStack({
    databaseUrl: url,
    chainRpcUrl: 'http://127.0.0.1:1', // no chain in this path
    depositXpub: accountXpub(MERCHANT_MNEMONIC),
    smtpUrl: 'smtp://127.0.0.1:9', // no mail in this path
    webhookSecretKey: newSecretKey('bench'),
    manifestsDir: resolve(ROOT, 'bench/knative-e2e'),
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', DB_POOL_SIZE: String(POOL) },
    idleMs: 600_000,
    firstPort: 0,
    log: createLogger({ level: 'warn', bindings: { service: 'bench' } }),
    onLine: () => undefined,
  });
  try {
    const merchantId = await createMerchant(db, { name: 'Bench shop' });
    // One warm-up event, the max-rate batch, then the latency run at half a rate not known yet: room
    // for that run up to MAX_EXPECTED_RATE events/s (the path measures far below it).
    const invoices = await settledInvoices(db, merchantId, 1 + EVENTS + (LATENCY_S * MAX_EXPECTED_RATE) / 2);
    const settled = (invoiceId: string) => settledEvent(invoiceId, merchantId);
    // Warm-up: the core function's cold start and the KafkaSource's group join.
    await writeEvents(db, [settled(invoices.next())]);
    await waitHandled(db, 1);

    const batch = Array.from({ length: EVENTS }, () => settled(invoices.next()));
    const corePid = stack.platform.services.get('core-events')?.pid ?? 0;
    const cpuBefore = {
      core: cpuSeconds(corePid),
      stack: stackCpuSeconds(stack.platform.pods),
      postgres: postgresCpuSeconds(),
    };
    await writeEvents(db, batch);
    await waitHandled(db, 1 + EVENTS);
    const maxRate = EVENTS / (await secondsToHandle(db, batch));
    const cpuMsPerEvent = (seconds: number) => ((seconds * 1000) / EVENTS).toFixed(2);
    const stackCpu = stackCpuSeconds(stack.platform.pods) - cpuBefore.stack;
    const eventCpu = {
      core: cpuMsPerEvent(cpuSeconds(corePid) - cpuBefore.core),
      stack: cpuMsPerEvent(stackCpu),
      postgres: cpuMsPerEvent(postgresCpuSeconds() - cpuBefore.postgres),
    };

    const pgbench = await runPgbench(url, merchantId, 10);

    const rate = maxRate / 2;
    const transaction = createOutboxTransaction(db, { source: 'payment', timeoutMs: 10_000 });
    const count = Math.floor(rate * LATENCY_S);
    const t0 = performance.now();
    let next = 0;
    const writer = async () => {
      for (let k = next++; k < count; k = next++) {
        await sleep(Math.max(0, t0 + (k * 1000) / rate - performance.now()));
        const event = settled(invoices.next());
        await transaction((_tx, emit) => {
          emit(event.type, event.subject, event.data);
        });
      }
    };
    await Promise.all(Array.from({ length: 4 }, writer));
    await waitHandled(db, 1 + EVENTS + count);
    const latencies = await db.$queryRaw<{ ms: number; relayMs: number }[]>`
      SELECT (extract(epoch FROM i.handled_at - o.created_at) * 1000)::float8 AS ms, (extract(epoch FROM o.published_at - o.created_at) * 1000)::float8 AS "relayMs"
      FROM outbox_events o JOIN inbox_events i ON i.consumer = 'core' AND i.event_id = o.event_id::text
      WHERE o.id > (SELECT max(id) FROM outbox_events) - ${count}`;
    const ms = latencies.map((l) => l.ms);
    const relayMs = latencies.map((l) => l.relayMs);

    console.log(
      `node ${process.version}; ${String(EVENTS)} events for the max rate; ${String(count)} events at ${rate.toFixed(0)}/s for latency; function pool ${String(POOL)}; pgbench -c ${String(POOL)} -T 10`,
    );
    console.log('| path | rate | p50 | p99 |');
    console.log('| --- | --- | --- | --- |');
    console.log(
      `| outbox → relay → broker → KafkaSource → core → inbox + ledger (max) | ${maxRate.toFixed(0)} events/s | | |`,
    );
    console.log(
      `| same, at half that rate | ${rate.toFixed(0)} events/s | ${percentile(ms, 50).toFixed(1)} ms | ${percentile(ms, 99).toFixed(1)} ms |`,
    );
    console.log(
      `| of which outbox → published by the relay | | ${percentile(relayMs, 50).toFixed(1)} ms | ${percentile(relayMs, 99).toFixed(1)} ms |`,
    );
    console.log(
      `| floor: pgbench, inbox insert + the settlement check + two ledger rows, ${String(POOL)} connections | ${pgbench.tps.toFixed(0)} tx/s | ${pgbench.latencyMs.toFixed(2)} ms (mean) | |`,
    );
    console.log(`ratio (event path max / pgbench): ${(maxRate / pgbench.tps).toFixed(2)}`);
    console.log(
      `CPU per event at the max rate: core function ${eventCpu.core} ms, this process (relay, broker, KafkaSource, Service emulator) ${eventCpu.stack} ms, PostgreSQL ${eventCpu.postgres} ms; PostgreSQL per pgbench transaction ${pgbench.postgresCpuMs.toFixed(2)} ms`,
    );
  } finally {
    await stack.stop();
    await drop();
  }
}

const PGBENCH_INVOICES = 200_000;

/**
 * Settled invoices to credit (the ledger's foreign key wants them): `count` for the event path, and
 * PGBENCH_INVOICES for pgbench, whose ids are md5(i) so its script can name them.
 */
async function settledInvoices(db: Db, merchantId: string, count: number) {
  await insertSettledInvoices(db, merchantId, Prisma.sql`md5(i::text)::uuid`, 1, PGBENCH_INVOICES);
  return takeEach(
    await insertSettledInvoices(db, merchantId, Prisma.sql`gen_random_uuid()`, PGBENCH_INVOICES + 1, count),
  );
}

async function writeEvents(db: Db, events: DomainEvent[]): Promise<void> {
  await db.$executeRaw`WITH written AS (${outboxInsert(events)}) SELECT ${wakeRelay}`;
}

/** Polled slowly, so as not to load the database it measures: the timings come from its clock. */
async function waitHandled(db: Db, count: number): Promise<void> {
  for (;;) {
    const [row] = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM inbox_events WHERE consumer = 'core'`;
    if ((row?.n ?? 0) >= count) return;
    await sleep(200);
  }
}

/** From the batch's commit to the outbox (one statement: one created_at) to its last inbox row. */
async function secondsToHandle(db: Db, batch: DomainEvent[]): Promise<number> {
  const [row] = await db.$queryRaw<{ seconds: number }[]>`
    SELECT extract(epoch FROM max(i.handled_at) - min(o.created_at))::float8 AS seconds
    FROM outbox_events o JOIN inbox_events i ON i.consumer = 'core' AND i.event_id = o.event_id::text
    WHERE o.event_id = ANY(${batch.map((e) => e.id)}::uuid[])`;
  if (row === undefined) throw new Error('the batch was not handled');
  return row.seconds;
}

/**
 * pgbench with the handler's transaction, on invoices of its own. No colon anywhere but before :i,
 * not even in a string: in prepared mode pgbench counts every `:name` as a parameter. Asynchronous:
 * the stack runs in this process, and a blocked event loop would cost its consumer group membership.
 */
async function runPgbench(
  url: string,
  merchantId: string,
  seconds: number,
): Promise<{ tps: number; latencyMs: number; postgresCpuMs: number }> {
  const script = join(tmpdir(), `knpay-e2e-${String(process.pid)}.sql`);
  writeFileSync(
    script,
    `\\set i random(1, ${String(PGBENCH_INVOICES)})
BEGIN;
INSERT INTO inbox_events (consumer, source, event_id, type) VALUES ('pgbench', '/knpay/payment', CAST(gen_random_uuid() AS text), 'io.knpay.invoice.settled.v1') ON CONFLICT DO NOTHING;
INSERT INTO ledger_entries (journal_id, merchant_id, invoice_id, account, chain_id, asset, amount)
  SELECT gen_random_uuid(), i.merchant_id, i.id, leg.account, i.chain_id, i.asset, leg.amount
  FROM invoices AS i
  CROSS JOIN LATERAL (VALUES ('merchant' || chr(58) || 'available', i.amount_settled), ('chain' || chr(58) || 'received', -i.amount_settled)) AS leg(account, amount)
  WHERE i.id = CAST(md5(CAST(:i AS text)) AS uuid) AND i.status = 'Settled' AND i.amount_settled = ${AMOUNT}
    AND i.amount_settled <= (SELECT COALESCE(sum(p.amount), 0) FROM payments AS p WHERE p.invoice_id = i.id AND p.status = 'Confirmed')
  ON CONFLICT DO NOTHING;
END;
`,
  );
  const run = promisify(execFile)('pgbench', [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(POOL),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    script,
    url,
  ]);
  // PostgreSQL's CPU over the middle of the run: its backends for pgbench exit with it.
  await sleep(1_000);
  const cpuFrom = postgresCpuSeconds();
  await sleep((seconds - 2) * 1_000);
  const postgresCpuPerSecond = (postgresCpuSeconds() - cpuFrom) / (seconds - 2);
  const { stdout: out } = await run;
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  return { tps, latencyMs, postgresCpuMs: (postgresCpuPerSecond * 1000) / tps };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
