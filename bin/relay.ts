import { createServer, type Server } from 'node:http';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import { env, loadConfig } from '../shared/config';
import { createLogger } from '../shared/logging/logger';
import { OutboxRelay } from '../shared/kafka/relay';
import { ensureTopics } from '../shared/kafka/topics';
import { answerHelp } from '../shared/cli/help';

/**
 * `npm run relay`: the outbox relay as its own long-running process. Not inside the functions: a
 * function scaled to zero would leave its last rows in the outbox until its next request, so one
 * always-on relay (beside the chain source, the other always-on process) drains every function's
 * outbox, woken by NOTIFY at each commit.
 */
async function main(): Promise<void> {
  answerHelp(
    'usage: npm run relay: publishes the outbox to Kafka until stopped\n' +
      '  DATABASE_URL, KAFKA_BROKERS (required); RELAY_POLL_MS (1000), RELAY_BATCH_SIZE (500), RELAY_LINGER_MS (5),\n' +
      '  LOG_LEVEL (info)\n' +
      '  PORT (8080): /health/liveness, /health/readiness and /metrics (outbox lag)\n' +
      '  SHUTDOWN_TIMEOUT_MS (20000): how long SIGTERM waits for the batch in flight',
  );
  const config = loadConfig(
    z.object({
      DATABASE_URL: env.postgresUrl(),
      KAFKA_BROKERS: z.string().min(1),
      RELAY_POLL_MS: env.integer(50, 60_000).default(1_000),
      RELAY_BATCH_SIZE: env.integer(1, 10_000).default(500),
      RELAY_LINGER_MS: env.integer(0, 1_000).default(5),
      LOG_LEVEL: env.logLevel().default('info'),
      PORT: env.integer(0, 65_535).default(8080),
      /** How long SIGTERM waits for the batch in flight; below the Deployment's grace period (30 s). */
      SHUTDOWN_TIMEOUT_MS: env.integer(0, 600_000).default(20_000),
    }),
  );
  const log = createLogger({ level: config.LOG_LEVEL, bindings: { service: 'outbox-relay' } });
  const kafka = new Kafka({
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: 'knpay-outbox-relay',
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, log);
  await admin.disconnect();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let producerConnected = false;
  producer.on(producer.events.CONNECT, () => (producerConnected = true));
  producer.on(producer.events.DISCONNECT, () => (producerConnected = false));
  await producer.connect();
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    producer,
    log,
    pollMs: config.RELAY_POLL_MS,
    batchSize: config.RELAY_BATCH_SIZE,
    lingerMs: config.RELAY_LINGER_MS,
  });
  relay.start();
  const lag = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  const status = await listen(
    statusServer(relay, () => producerConnected, lag, 60_000 + 3 * config.RELAY_POLL_MS),
    config.PORT,
  );
  log.info({ port: (status.address() as { port: number }).port }, 'outbox relay started');
  const stop = () => {
    // A batch that outlasts the deadline is published again by the next relay (at-least-once).
    setTimeout(() => {
      log.warn('outbox relay: shutdown deadline passed, exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    status.close();
    void relay
      .stop()
      .then(() => Promise.all([producer.disconnect(), lag.end()]))
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The relay's probes and metrics. Alive while its loop goes round (a relay stuck longer than
 * `stuckMs` is restarted); ready while it holds a database connection and a Kafka producer (a
 * standby is ready: it can take the lease at once). The lag is read from the outbox at each scrape.
 */
function statusServer(relay: OutboxRelay, producerConnected: () => boolean, lag: Pool, stuckMs: number): Server {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'outbox-relay' });
  collectDefaultMetrics({ register: registry });
  const waiting = new Gauge({
    name: 'knpay_outbox_rows_waiting',
    help: 'Outbox rows not yet published',
    registers: [registry],
  });
  const oldest = new Gauge({
    name: 'knpay_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest unpublished outbox row (0: none waits)',
    registers: [registry],
  });
  new Gauge({
    name: 'knpay_outbox_relay_lease_held',
    help: '1 while this relay holds the lease and publishes; 0 on a standby',
    registers: [registry],
    collect() {
      this.set(relay.status.leaseHeld ? 1 : 0);
    },
  });
  new Gauge({
    name: 'knpay_outbox_published_rows',
    help: 'Rows this relay has published since it started',
    registers: [registry],
    collect() {
      this.set(relay.status.published);
    },
  });
  const scrape = async () => {
    const { rows } = await lag.query<{ waiting: string; oldest: number | null }>(
      `SELECT count(*) AS waiting, extract(epoch FROM now() - min(created_at))::float8 AS oldest
         FROM outbox_events WHERE published_at IS NULL`,
    );
    waiting.set(Number(rows[0]?.waiting ?? 0));
    oldest.set(rows[0]?.oldest ?? 0);
  };
  return createServer((req, res) => {
    const answer = (code: number, body: string, type = 'text/plain') => {
      res.writeHead(code, { 'content-type': type }).end(body);
    };
    if (req.url === '/health/liveness') answer(Date.now() - relay.status.activeAt < stuckMs ? 200 : 503, 'alive');
    else if (req.url === '/health/readiness')
      answer(
        relay.status.connected && producerConnected() ? 200 : 503,
        relay.status.leaseHeld ? 'publishing' : 'standby',
      );
    else if (req.url === '/metrics')
      void scrape()
        .then(async () => {
          answer(200, await registry.metrics(), registry.contentType);
        })
        .catch((error: unknown) => {
          answer(503, `outbox lag unavailable: ${(error as Error).message}`);
        });
    else answer(404, 'not found');
  });
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      resolve(server);
    });
  });
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
