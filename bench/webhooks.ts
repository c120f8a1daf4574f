import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { createMerchant } from '../functions/admin/queries/merchants';
import { changeEndpoint, createEndpoint } from '../functions/core/services/webhook-endpoints';
import { earliestDueWebhook } from '../functions/cron/queries/webhooks';
import { signedHeaders } from '../functions/webhooks/delivery/sign';
import { Prisma } from '../prisma/generated/client';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { startStack } from '../local/stack';
import { newSecretKey } from '../shared/crypto/secret-box';
import { createOutboxTransaction, outboxInsert, wakeRelay, type Db } from '../shared/db';
import { createLogger } from '../shared/logging/logger';
import { webhookPolicySchema } from '../shared/webhooks/policy';
import { benchDatabase } from './lib/database';
import { cpuSeconds, postgresCpuSeconds, ROOT, stackCpuSeconds } from './lib/process';
import { insertSettledInvoices, settledEvent, takeEach } from './lib/settled-invoices';
import { startReceivers, startSilentReceiver } from './lib/webhook-receivers';

/**
 * Webhook deliveries from the outbox to 50 receiving endpoints on this machine: invoice.settled rows
 * in the outbox → relay → dev broker → the webhooks KafkaSource (unordered, 50 in flight) → the
 * webhooks function, which writes one message per endpoint and hands each out as its own command →
 * the same path again → a signed POST to the receiver, its outcome recorded. Three runs of EVENTS
 * events (EVENTS × 50 deliveries each): all endpoints answering; the same with a 51st endpoint that
 * never answers (each of its attempts holds a slot for the 15 s timeout); all answering again (the
 * dead one disabled). The floor, in the same run: the same messages signed the same way and sent to
 * the same receivers by a bare undici loop with as many requests in flight as the KafkaSource allows.
 * The bench plays cron (its PingSource ticks once a minute): once a second it emits the sweep when a
 * message is due, with cron's own query.
 * Usage: npm run bench:webhooks [-- events]
 */
const EVENTS = Number(process.argv[2] ?? '100');
const ENDPOINTS = 50;
const IN_FLIGHT = 50;
const TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const { url, db, drop } = await benchDatabase();
  const receivers = await startReceivers(ENDPOINTS);
  const silent = await startSilentReceiver();
  const policyEnv = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'loopback' };
  const secretKey = newSecretKey('bench');
  const stack = await startStack({
    databaseUrl: url,
    chainRpcUrl: 'http://127.0.0.1:1', // no chain in this path
    depositXpub: accountXpub(MERCHANT_MNEMONIC),
    smtpUrl: 'smtp://127.0.0.1:9', // no mail in this path
    webhookSecretKey: secretKey,
    manifestsDir: resolve(ROOT, 'bench/knative-webhooks'),
    env: {
      PATH: process.env['PATH'] ?? '',
      LOG_LEVEL: 'warn',
      ...policyEnv,
      ...(process.env['BENCH_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } : {}),
    },
    idleMs: 600_000,
    firstPort: 0,
    log: createLogger({ level: 'warn', bindings: { service: 'bench' } }),
    onLine: () => undefined,
  });
  const cron = playCron(db);
  try {
    const endpointDeps = { db, config: webhookPolicySchema.parse({ ...policyEnv, WEBHOOK_SECRET_KEY: secretKey }) };
    const merchantId = await createMerchant(db, { name: 'Bench shop' });
    const newEndpoint = (target: string) =>
      createEndpoint(endpointDeps, merchantId, { url: target, description: '', eventTypes: [], enabled: true });
    const endpoints = await Promise.all(receivers.urls.map(newEndpoint));
    const healthy = endpoints.map((e) => e.id);
    const invoices = takeEach(
      await insertSettledInvoices(
        db,
        merchantId,
        Prisma.sql`gen_random_uuid()`,
        1,
        1 + Math.ceil(EVENTS / 2) + 3 * EVENTS,
      ),
    );
    const settled = () => settledEvent(invoices.next(), merchantId);
    // Zero before the warm-up has started the Service (it scales from zero).
    const functionCpu = () => {
      const pid = stack.platform.services.get('webhooks')?.pid;
      return pid ? cpuSeconds(pid) : 0;
    };
    const run = async (events: number) => {
      const batch = Array.from({ length: events }, settled);
      const ids = batch.map((e) => e.id);
      const before = { fn: functionCpu(), stack: stackCpuSeconds(stack.platform.pods), postgres: postgresCpuSeconds() };
      await db.$executeRaw`WITH written AS (${outboxInsert(batch)}) SELECT ${wakeRelay}`;
      await waitDelivered(db, ids, healthy, events * ENDPOINTS);
      const stackCpu = stackCpuSeconds(stack.platform.pods) - before.stack;
      const perMessage = (seconds: number) => (seconds * 1000) / (events * ENDPOINTS);
      return {
        rate: (events * ENDPOINTS) / (await secondsToDeliver(db, ids, healthy)),
        cpuMs: {
          fn: perMessage(functionCpu() - before.fn),
          postgres: perMessage(postgresCpuSeconds() - before.postgres),
          stack: perMessage(stackCpu),
        },
        ids,
      };
    };

    // Warm-up: the function's cold start, the KafkaSource's group join, the connections, the JIT.
    await run(1);
    await run(Math.ceil(EVENTS / 2));
    await db.$executeRaw`ANALYZE`; // the planner's statistics for tables that were empty a moment ago
    const first = await run(EVENTS);
    const dead = await newEndpoint(silent.url);
    const withDead = await run(EVENTS);
    await changeEndpoint(endpointDeps, merchantId, dead.id, { enabled: false });
    await sleep(TIMEOUT_MS + 2_000); // its attempts in flight time out and give their slots back
    const second = await run(EVENTS);
    const floor = await bareUndiciLoop(db, first.ids, new Map(endpoints.map((e) => [e.id, e.secret])));

    const healthyRate = (first.rate + second.rate) / 2;
    const fmt = (n: number, digits = 0) => n.toFixed(digits);
    const cpu = (r: typeof first) =>
      `function ${fmt(r.cpuMs.fn, 2)} ms, PostgreSQL ${fmt(r.cpuMs.postgres, 2)} ms, this process ${fmt(r.cpuMs.stack, 2)} ms`;
    console.log(
      `node ${process.version}; ${String(EVENTS)} invoice.settled events × ${String(ENDPOINTS)} endpoints per run; ${String(IN_FLIGHT)} in flight; timeout ${String(TIMEOUT_MS)} ms`,
    );
    console.log('| run | deliveries/s | CPU per delivery |');
    console.log('| --- | --- | --- |');
    console.log(`| outbox → … → webhooks function → 50 receivers (first) | ${fmt(first.rate)} | ${cpu(first)} |`);
    console.log(
      `| same, with a 51st endpoint that never answers (the 50's rate) | ${fmt(withDead.rate)} | ${cpu(withDead)} |`,
    );
    console.log(`| same, the dead endpoint disabled (second) | ${fmt(second.rate)} | ${cpu(second)} |`);
    console.log(
      `| floor: the same signed requests by a bare undici loop, ${String(IN_FLIGHT)} in flight | ${fmt(floor.rate)} | this process ${fmt(floor.cpuMs, 2)} ms |`,
    );
    console.log(`ratio (function, mean of first and second / floor): ${fmt(healthyRate / floor.rate, 2)}`);
    console.log(`ratio (with a dead endpoint / mean of first and second): ${fmt(withDead.rate / healthyRate, 2)}`);
  } finally {
    clearInterval(cron);
    await stack.stop();
    await receivers.stop();
    await silent.stop();
    await drop();
  }
}

/** cron's deliver-webhooks job, once a second instead of once a minute: the sweep when a message is due. */
function playCron(db: Db): NodeJS.Timeout {
  const transaction = createOutboxTransaction(db, { source: 'cron', timeoutMs: 5_000 });
  return setInterval(() => {
    void transaction(async (tx, emit) => {
      const due = await earliestDueWebhook(tx);
      if (due) emit('io.knpay.webhook.deliveries.due.v1', 'webhooks', { dueSince: due.toISOString() });
    });
  }, 1_000);
}

/** Polled slowly, so as not to load the database it measures: the timings come from its clock. */
async function waitDelivered(db: Db, eventIds: string[], endpointIds: string[], count: number): Promise<void> {
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM webhook_messages
      WHERE event_id = ANY(${eventIds}) AND endpoint_id = ANY(${endpointIds}::uuid[]) AND status = 'Delivered'`;
    if ((row?.n ?? 0) >= count) return;
    await sleep(250);
  }
}

/** From the batch's commit to the outbox (one statement: one created_at) to the end of its last delivery. */
async function secondsToDeliver(db: Db, eventIds: string[], endpointIds: string[]): Promise<number> {
  const [row] = await db.$queryRaw<{ seconds: number }[]>`
    SELECT extract(epoch FROM max(a.attempted_at + a.duration_ms * interval '1 millisecond')
                              - (SELECT min(created_at) FROM outbox_events WHERE event_id = ANY(${eventIds}::uuid[])))::float8 AS seconds
    FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
    WHERE m.event_id = ANY(${eventIds}) AND m.endpoint_id = ANY(${endpointIds}::uuid[]) AND a.status_code BETWEEN 200 AND 299`;
  if (row === undefined) throw new Error('the batch was not delivered');
  return row.seconds;
}

/**
 * The floor: the first run's messages, each signed as the function signs it and POSTed to its
 * endpoint by `IN_FLIGHT` loops over one undici Agent (as many connections per origin as the
 * function's), with nothing recorded.
 */
async function bareUndiciLoop(db: Db, eventIds: string[], secrets: Map<string, string>) {
  const messages = await db.$queryRaw<{ id: string; body: string; url: string; endpointId: string }[]>`
    SELECT m.id::text, m.body, e.url, e.id::text AS "endpointId"
    FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
    WHERE m.event_id = ANY(${eventIds}) AND e.id = ANY(${[...secrets.keys()]}::uuid[])`;
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 8 });
  let next = 0;
  const loop = async () => {
    for (let m = messages[next++]; m !== undefined; m = messages[next++]) {
      const headers = signedHeaders(m.id, m.body, [secrets.get(m.endpointId) ?? ''], new Date());
      const answer = await request(m.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { ...headers, 'content-type': 'application/json' },
        body: m.body,
      });
      await answer.body.dump();
      if (answer.statusCode !== 204) throw new Error(`the floor got ${String(answer.statusCode)}`);
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await agent.close();
  return { rate: messages.length / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / messages.length };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
