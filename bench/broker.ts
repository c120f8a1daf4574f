import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { AckPolicy, connect, DeliverPolicy, RetentionPolicy, StorageType } from 'nats';

/**
 * Produce and consume throughput of 1 KiB records: kafkajs (batched, acks=-1) against the dev broker
 * (its own process, writing to a data directory), and in the same run the same workload through NATS
 * JetStream at 127.0.0.1:4222 (file storage), the reference for a production-grade persistent broker
 * on this machine. MB here is 10^6 bytes. Usage: tsx bench/broker.ts [records] [rounds]
 */
const RECORDS = Number(process.argv[2] ?? '50000');
const ROUNDS = Number(process.argv[3] ?? '3');
const SIZE = 1024;
const BATCH = 500;
const IN_FLIGHT = 4;
const ROOT = resolve(__dirname, '..');
const payload = Buffer.alloc(SIZE, 'x');

interface Rates {
  produce: number;
  consume: number;
}

async function startDevBroker(dataDir: string, port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'local/broker/cli.ts'), '--data-dir', dataDir, '--partitions', '3'],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', KAFKA_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ready) => {
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('dev broker listening')) ready();
    });
  });
  return child;
}

async function kafkaRound(address: string, round: number): Promise<Rates> {
  const kafka = new Kafka({ brokers: [address], clientId: 'bench', logLevel: logLevel.NOTHING });
  const topic = `bench-${String(round)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  const batches = Array.from({ length: Math.ceil(RECORDS / BATCH) }, (_, b) =>
    Array.from({ length: Math.min(BATCH, RECORDS - b * BATCH) }, (_, i) => ({
      key: String(b * BATCH + i),
      value: payload,
    })),
  );
  for (let i = 0; i < batches.length; i += IN_FLIGHT) {
    await Promise.all(batches.slice(i, i + IN_FLIGHT).map((messages) => producer.send({ topic, acks: -1, messages })));
  }
  const produceSeconds = (performance.now() - started) / 1000;
  await producer.disconnect();

  const consumer = kafka.consumer({
    groupId: `bench-reader-${String(round)}`,
    maxBytes: 50 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  let consumeStarted = 0;
  // Timed from the moment the consumer has joined its group: the join is not throughput, every fetch is.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    consumeStarted = performance.now();
  });
  const done = new Promise<number>((finish) => {
    void consumer.run({
      eachBatch: ({ batch }) => {
        received += batch.messages.length;
        if (received >= RECORDS) finish(performance.now());
        return Promise.resolve();
      },
    });
  });
  const finished = await done;
  await consumer.disconnect();
  return { produce: rate(RECORDS, produceSeconds), consume: rate(RECORDS, (finished - consumeStarted) / 1000) };
}

async function natsRound(round: number): Promise<Rates> {
  const nc = await connect({ servers: '127.0.0.1:4222' });
  const jsm = await nc.jetstreamManager();
  const stream = `BENCH${String(round)}`;
  const subject = `bench.${String(round)}`;
  await jsm.streams.add({
    name: stream,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  });
  const js = nc.jetstream();
  const started = performance.now();
  for (let i = 0; i < RECORDS; i += BATCH * IN_FLIGHT) {
    const wave = Array.from({ length: Math.min(BATCH * IN_FLIGHT, RECORDS - i) }, () => js.publish(subject, payload));
    await Promise.all(wave);
  }
  const produceSeconds = (performance.now() - started) / 1000;

  await jsm.consumers.add(stream, {
    durable_name: 'reader',
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
  });
  const consumer = await js.consumers.get(stream, 'reader');
  const consumeStarted = performance.now();
  let received = 0;
  while (received < RECORDS) {
    const messages = await consumer.fetch({ max_messages: 1000, expires: 5000 });
    for await (const message of messages) {
      if (message.data.length === SIZE) received += 1;
    }
  }
  const consumeSeconds = (performance.now() - consumeStarted) / 1000;
  await jsm.streams.delete(stream);
  await nc.close();
  return { produce: rate(RECORDS, produceSeconds), consume: rate(RECORDS, consumeSeconds) };
}

function rate(records: number, seconds: number): number {
  return records / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'knpay-bench-broker-'));
  const port = 29092;
  const broker = await startDevBroker(dataDir, port);
  const dev: Rates[] = [];
  const nats: Rates[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      dev.push(await kafkaRound(`127.0.0.1:${String(port)}`, round));
      nats.push(await natsRound(round));
    }
  } finally {
    broker.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
  const mb = (recordsPerSecond: number) => ((recordsPerSecond * SIZE) / 1e6).toFixed(1);
  const line = (name: string, r: Rates[]) => {
    const p = median(r.map((x) => x.produce));
    const c = median(r.map((x) => x.consume));
    return `| ${name} | ${p.toFixed(0)} rec/s, ${mb(p)} MB/s | ${c.toFixed(0)} rec/s, ${mb(c)} MB/s |`;
  };
  console.log(
    `${String(RECORDS)} records of ${String(SIZE)} B, ${String(ROUNDS)} alternating rounds, medians; node ${process.version}`,
  );
  console.log('| broker | produce | consume |');
  console.log('| --- | --- | --- |');
  console.log(line('dev broker (kafkajs, acks=-1, batches of 500, 4 in flight, on disk)', dev));
  console.log(line('NATS JetStream (file storage, 2000 publishes in flight; pull fetch 1000)', nats));
  const ratio = (k: keyof Rates) => (median(dev.map((x) => x[k])) / median(nats.map((x) => x[k]))).toFixed(2);
  console.log(`ratio dev/JetStream: produce ${ratio('produce')}x, consume ${ratio('consume')}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
