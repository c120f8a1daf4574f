import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { createMerchant } from '../functions/admin/queries/merchants';
import { recordNotices, recordResult, type NoticeRow } from '../functions/notification/queries/notifications';
import { notificationConfigSchema } from '../functions/notification/config';
import { noticeSent } from '../functions/notification/sending/send-notice';
import { Prisma } from '../prisma/generated/client';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { startMailInbox } from '../local/mail/inbox';
import { startStack } from '../local/stack';
import { loadConfig, runtimeConfigSchema } from '../shared/config';
import { newSecretKey } from '../shared/crypto/secret-box';
import { closeDb, createDb, outboxInsert, wakeRelay, type Db } from '../shared/db';
import { createLogger } from '../shared/logging/logger';
import { benchDatabase } from './lib/database';
import { cpuSeconds, postgresCpuSeconds, relayCpuSeconds, ROOT, stackCpuSeconds, spawnServer } from './lib/process';
import { insertSettledInvoices, settledEvent, takeEach } from './lib/settled-invoices';
import { median } from './lib/stats';

/**
 * E-mail notices from the outbox to an SMTP server on this machine: invoice.settled rows in the outbox
 * → relay → dev broker → the notification KafkaSource (unordered, 50 in flight) → the notification
 * function (the merchant's settings read, the notice rendered and recorded, sent over its SMTP pool of
 * 5 connections, the result recorded). One notice per event. The floor, in the same run: nodemailer
 * with the same pool sending the same rendered messages (read back from the notices) to the same
 * server, 50 at a time. Pairs of runs (path, then floor) follow one another; the first WARM_UP pairs
 * are shown but not counted: the function's CPU per notice falls over its first ~1,500 notices (V8
 * compiling its hot code), and a running service is measured, not one starting.
 * The server is `sink` (smtp-server in its own process, accepting and keeping nothing: the floor at its
 * fastest), `maildev` (what make dev runs: each message parsed and written to disk, as a real MTA
 * stores what it accepts) or `remote` (the sink answering each message REMOTE_REPLY_MS late, as an MTA
 * across a network does: both sides then wait on their SMTP connections, not on the CPU).
 * BENCH_PG_SOCKET_DIR (e.g. /var/run/postgresql): the stack reaches PostgreSQL over its Unix socket
 * instead of loopback TCP, to tell how much of the path's cost is the kernel's TCP path.
 * BENCH_FLOOR=durable: the floor also writes what the function writes around each send (the intent
 * row before, the result and its `notification.sent` outbox row after, through the function's own
 * queries, on a pool of the function's size), to tell the durability's share of the gap from the
 * event plumbing's (Kafka, the relay, the HTTP delivery).
 * BENCH_SMTP_CONNECTIONS (5): the SMTP pool of both sides, to tell a side bound by its connections
 * (faster with more) from one bound by the CPU (no faster).
 * Usage: npm run bench:notifications [-- events sink|maildev|remote pairs]
 */
const EVENTS = Number(process.argv[2] ?? '500');
const SERVERS = ['sink', 'maildev', 'remote'] as const;
const SERVER = SERVERS.find((name) => name === (process.argv[3] ?? 'sink'));
if (SERVER === undefined) throw new Error(`the server is one of ${SERVERS.join(', ')}`);
const REMOTE_REPLY_MS = 20;
// Pairs of runs: this machine is shared, so one pair's ratio moves by ±0.07 from run to run; the
// median of several is what is reported.
const PAIRS = Number(process.argv[4] ?? '5');
const WARM_UP = 3;
const IN_FLIGHT = 50;
// Read as the function reads SMTP_MAX_CONNECTIONS (its default, its range), which the stack is given.
const { BENCH_SMTP_CONNECTIONS: SMTP_CONNECTIONS } = loadConfig(
  z.object({ BENCH_SMTP_CONNECTIONS: notificationConfigSchema.shape.SMTP_MAX_CONNECTIONS }),
);
const PG_SOCKET_DIR = process.env['BENCH_PG_SOCKET_DIR'];
const DURABLE_FLOOR = process.env['BENCH_FLOOR'] === 'durable';

async function main(): Promise<void> {
  const { url, db, drop } = await benchDatabase();
  const mailDir = mkdtempSync(join(tmpdir(), 'knpay-bench-mail-'));
  const smtp = await startSmtpServer(mailDir);
  const stackDbUrl = PG_SOCKET_DIR ? `${url}?host=${encodeURIComponent(PG_SOCKET_DIR)}` : url;
  // A pool of the function's size: DB_POOL_SIZE's default, which the stack leaves unset.
  const poolSize = runtimeConfigSchema.shape.DB_POOL_SIZE.parse(undefined);
  const floorDb = DURABLE_FLOOR
    ? createDb({ url: stackDbUrl, poolSize, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) })
    : undefined;
  const stack = await startStack({
    databaseUrl: stackDbUrl,
    chainRpcUrl: 'http://127.0.0.1:1', // no chain in this path
    depositXpub: accountXpub(MERCHANT_MNEMONIC),
    smtpUrl: smtp.url,
    webhookSecretKey: newSecretKey('bench'),
    manifestsDir: resolve(ROOT, 'bench/knative-notifications'),
    env: {
      PATH: process.env['PATH'] ?? '',
      LOG_LEVEL: 'warn',
      SMTP_MAX_CONNECTIONS: String(SMTP_CONNECTIONS),
      ...(process.env['BENCH_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } : {}),
      ...(process.env['RELAY_LINGER_MS'] ? { RELAY_LINGER_MS: process.env['RELAY_LINGER_MS'] } : {}),
    },
    idleMs: 600_000,
    firstPort: 0,
    log: createLogger({ level: 'warn', bindings: { service: 'bench' } }),
    onLine: () => undefined,
  });
  try {
    const merchantId = await createMerchant(db, { name: 'Bench shop', email: 'owner@bench.test' });
    const invoices = takeEach(
      await insertSettledInvoices(
        db,
        merchantId,
        Prisma.sql`gen_random_uuid()`,
        1,
        1 + (WARM_UP + PAIRS) * EVENTS + 50,
      ),
    );
    const settled = () => settledEvent(invoices.next(), merchantId);
    const functionCpu = () => {
      const pid = stack.platform.services.get('notification')?.pid;
      return pid ? cpuSeconds(pid) : 0; // zero until the warm-up has started the Service
    };
    const path = async (events: number) => {
      const batch = Array.from({ length: events }, settled);
      const ids = batch.map((e) => e.id);
      const pods = stack.platform.pods;
      const before = {
        fn: functionCpu(),
        stack: stackCpuSeconds(pods),
        relay: relayCpuSeconds(pods),
        postgres: postgresCpuSeconds(),
      };
      await db.$executeRaw`WITH written AS (${outboxInsert(batch)}) SELECT ${wakeRelay}`;
      await waitSent(db, ids);
      const stackCpu = stackCpuSeconds(pods) - before.stack;
      const relayCpu = relayCpuSeconds(pods) - before.relay;
      const perNotice = (seconds: number) => (seconds * 1000) / events;
      return {
        rate: events / (await secondsToSend(db, ids)),
        cpuMs: {
          fn: perNotice(functionCpu() - before.fn),
          postgres: perNotice(postgresCpuSeconds() - before.postgres),
          stack: perNotice(stackCpu),
          relay: perNotice(relayCpu),
        },
        ids,
      };
    };

    await path(1); // warm-up: the function's cold start, the KafkaSource's group join, the SMTP pool
    await path(50);
    await db.$executeRaw`ANALYZE`; // the planner's statistics for tables that were empty a moment ago
    const fmt = (n: number, digits = 0) => n.toFixed(digits);
    const cpu = (r: Awaited<ReturnType<typeof path>>) =>
      `function ${fmt(r.cpuMs.fn, 2)} ms, PostgreSQL ${fmt(r.cpuMs.postgres, 2)} ms, this process and the relay ${fmt(r.cpuMs.stack, 2)} ms (relay ${fmt(r.cpuMs.relay, 2)} ms)`;
    console.log(
      `node ${process.version}; SMTP server: ${SERVER}${SERVER === 'remote' ? ` (each message answered ${String(REMOTE_REPLY_MS)} ms late)` : ''}; ${String(EVENTS)} invoice.settled events per run, one notice each; ${String(IN_FLIGHT)} in flight; ${String(SMTP_CONNECTIONS)} SMTP connections; the stack reaches PostgreSQL over ${PG_SOCKET_DIR ? 'its Unix socket' : 'TCP'}; the floor ${DURABLE_FLOOR ? 'writes the intent and result rows and the outbox row of each message' : 'only sends'}`,
    );
    console.log('| pair | path: notices/s | path: CPU per notice | floor: notices/s | floor: CPU per notice | ratio |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const ratios: number[] = [];
    for (let pair = 1 - WARM_UP; pair <= PAIRS; pair += 1) {
      const run = await path(EVENTS);
      const floor = await nodemailerDirect(db, run.ids, smtp.url, floorDb);
      if (pair > 0) ratios.push(run.rate / floor.rate);
      console.log(
        `| ${pair > 0 ? String(pair) : 'warm-up'} | ${fmt(run.rate)} | ${cpu(run)} | ${fmt(floor.rate)} | this process ${fmt(floor.cpuMs, 2)} ms | ${fmt(run.rate / floor.rate, 2)} |`,
      );
    }
    console.log(
      `ratio (path / floor): median ${fmt(median(ratios), 2)} of ${String(PAIRS)} pairs (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})`,
    );
  } finally {
    await stack.stop();
    if (floorDb) await closeDb(floorDb);
    await smtp.stop();
    rmSync(mailDir, { recursive: true, force: true });
    await drop();
  }
}

async function startSmtpServer(mailDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  if (SERVER === 'maildev') {
    const inbox = await startMailInbox({ dir: mailDir });
    return { url: inbox.smtpUrl, stop: () => inbox.stop() };
  }
  const replyMs = SERVER === 'remote' ? REMOTE_REPLY_MS : 0;
  const sink = await spawnServer(['--import', 'tsx', resolve(ROOT, 'bench/smtp-sink.ts')], {
    SMTP_SINK_REPLY_MS: String(replyMs),
  });
  return { url: sink.url.replace('http://', 'smtp://'), stop: () => sink.stop() };
}

/** Polled slowly, so as not to load the database it measures: the timings come from its clock. */
async function waitSent(db: Db, eventIds: string[]): Promise<void> {
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM notifications WHERE cause_event_id = ANY(${eventIds}) AND status = 'Sent'`;
    if ((row?.n ?? 0) >= eventIds.length) return;
    await sleep(250);
  }
}

/** From the batch's commit to the outbox (one statement: one created_at) to its last notice sent. */
async function secondsToSend(db: Db, eventIds: string[]): Promise<number> {
  const [row] = await db.$queryRaw<{ seconds: number }[]>`
    SELECT extract(epoch FROM max(n.sent_at)
                              - (SELECT min(created_at) FROM outbox_events WHERE event_id = ANY(${eventIds}::uuid[])))::float8 AS seconds
    FROM notifications n WHERE n.cause_event_id = ANY(${eventIds})`;
  if (row === undefined) throw new Error('the batch was not sent');
  return row.seconds;
}

/**
 * The floor: the run's rendered messages, sent by nodemailer with the function's pool, IN_FLIGHT at
 * once; with `durable` (BENCH_FLOOR=durable), each one recorded and its result written as the function
 * does, as a notice of an event of the floor's own.
 */
async function nodemailerDirect(db: Db, eventIds: string[], smtpUrl: string, durable?: Db) {
  const rows = await db.$queryRaw<NoticeRow[]>`
    SELECT merchant_id::text AS "merchantId", kind, audience, recipient, invoice_id::text AS "invoiceId", subject,
           content, message_id AS "messageId"
    FROM notifications WHERE cause_event_id = ANY(${eventIds})`;
  const transport = createTransport({ url: smtpUrl, pool: true, maxConnections: SMTP_CONNECTIONS });
  const send = async (row: NoticeRow) => {
    if (!durable) {
      await transport.sendMail(row.content);
      return;
    }
    const notice = { ...row, id: randomUUID(), causeEventId: randomUUID() };
    await recordNotices(durable, [notice]);
    await transport.sendMail(notice.content);
    await recordResult(durable, notice.id, { status: 'Sent', nextAttemptAt: null, error: null }, [noticeSent(notice)]);
  };
  let next = 0;
  const loop = async () => {
    for (let row = rows[next++]; row !== undefined; row = rows[next++]) await send(row);
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  transport.close();
  return { rate: rows.length / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / rows.length };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
