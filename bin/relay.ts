import { Kafka, logLevel, Partitioners } from 'kafkajs';
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
      '  DATABASE_URL, KAFKA_BROKERS (required); RELAY_POLL_MS (1000), RELAY_BATCH_SIZE (500), LOG_LEVEL (info)',
  );
  const config = loadConfig(
    z.object({
      DATABASE_URL: env.postgresUrl(),
      KAFKA_BROKERS: z.string().min(1),
      RELAY_POLL_MS: env.integer(50, 60_000).default(1_000),
      RELAY_BATCH_SIZE: env.integer(1, 10_000).default(500),
      LOG_LEVEL: env.logLevel().default('info'),
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
  await producer.connect();
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    producer,
    log,
    pollMs: config.RELAY_POLL_MS,
    batchSize: config.RELAY_BATCH_SIZE,
  });
  relay.start();
  log.info('outbox relay started');
  const stop = () => {
    void relay
      .stop()
      .then(() => producer.disconnect())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
