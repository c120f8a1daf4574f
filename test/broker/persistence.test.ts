import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { PartitionLog } from '../../local/broker/log/partition-log';
import { readBatches } from '../../local/broker/record-batch';
import { ROOT } from '../helpers/process';
import { eventually, kafkaClient, producerFor, startTestBroker, tempDir } from './helpers';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function readAll(address: string, topic: string, expected: number): Promise<string[]> {
  const consumer = kafkaClient(address).consumer({
    groupId: `reader-${String(Date.now())}`,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      values.push(message.value?.toString() ?? '');
      return Promise.resolve();
    },
  });
  await eventually(
    () => values.length,
    (n) => n >= expected,
  );
  await consumer.disconnect();
  return values;
}

describe('the broker keeps what it acknowledged', () => {
  it('keeps committed offsets and records across a restart on the same data directory', async () => {
    const dataDir = await tempDir('broker-restart');
    const port = await freePort();
    let broker = await startTestBroker({ dataDir, port });
    const kafka = kafkaClient(broker.address);
    const producer = producerFor(kafka);
    await producer.connect();
    await producer.send({
      topic: 'kept',
      acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: String(i), value: `v${String(i)}` })),
    });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({
      groupId: 'keeper',
      topic: 'kept',
      partitions: [
        { partition: 0, offset: '2' },
        { partition: 1, offset: '1' },
      ],
    });
    const before = await admin.fetchOffsets({ groupId: 'keeper', topics: ['kept'] });
    const offsetsBefore = await admin.fetchTopicOffsets('kept');
    await admin.disconnect();
    await broker.close();

    broker = await startTestBroker({ dataDir, port });
    const after = kafkaClient(broker.address).admin();
    await after.connect();
    expect(await after.fetchOffsets({ groupId: 'keeper', topics: ['kept'] })).toEqual(before);
    expect(await after.fetchTopicOffsets('kept')).toEqual(offsetsBefore);
    await after.disconnect();
    expect((await readAll(broker.address, 'kept', 10)).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `v${String(i)}`).sort(),
    );
    await broker.close();
  });

  it('has every acknowledged record after a SIGKILL in the middle of producing', async () => {
    const dataDir = await tempDir('broker-kill');
    const port = await freePort();
    const start = () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', resolve(ROOT, 'local/broker/cli.ts'), '--data-dir', dataDir, '--partitions', '2'],
        {
          cwd: ROOT,
          env: { PATH: process.env['PATH'] ?? '', KAFKA_PORT: String(port) },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      return new Promise<typeof child>((ready) => {
        child.stdout.on('data', (c: Buffer) => {
          if (c.toString().includes('dev broker listening')) ready(child);
        });
      });
    };
    const address = `127.0.0.1:${String(port)}`;
    const first = await start();
    const producer = producerFor(kafkaClient(address));
    await producer.connect();
    const acknowledged: string[] = [];
    const killed = new Promise<void>((done) =>
      setTimeout(() => {
        first.kill('SIGKILL');
        done();
      }, 700),
    );
    const run = { stopped: false };
    void killed.then(() => {
      run.stopped = true;
    });
    for (let i = 0; !run.stopped; i++) {
      try {
        const batch = Array.from({ length: 10 }, (_, j) => ({ key: String(j), value: `r${String(i)}-${String(j)}` }));
        await producer.send({ topic: 'durable', acks: -1, messages: batch });
        acknowledged.push(...batch.map((m) => m.value));
      } catch {
        break;
      }
    }
    await producer.disconnect().catch(() => undefined);
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await start();
    const values = new Set(await readAll(address, 'durable', acknowledged.length));
    expect(acknowledged.filter((v) => !values.has(v))).toEqual([]);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
  }, 60_000);

  it('truncates a torn tail on recovery and keeps every whole batch before it', async () => {
    const dir = await tempDir('torn');
    const options = { dir, segmentBytes: 1 << 20, retentionBytes: null, retentionMs: null };
    const batch = await kafkajsBatch(['a', 'b']);
    const log = new PartitionLog(options);
    log.append(readBatches(batch));
    log.append(readBatches(batch));
    log.close();
    const segment = join(dir, readdirSync(dir)[0] ?? '');
    const whole = statSync(segment).size;
    appendFileSync(segment, batch.subarray(0, 30)); // half a batch: a kill in the middle of a write

    const recovered = new PartitionLog(options);
    expect(recovered.highWatermark).toBe(4n);
    expect(statSync(segment).size).toBe(whole);
    expect(readBatches(recovered.read(2n, 1 << 20)).map((b) => b.baseOffset)).toEqual([2n]);
    recovered.close();
  });
});

/** A record batch as kafkajs's own encoder writes it (the pinned version's internal module). */
async function kafkajsBatch(values: string[]): Promise<Buffer> {
  type Encoded = { buffer: Buffer };
  const { RecordBatch } = (await import('kafkajs/src/protocol/recordBatch/v0/index.js')) as unknown as {
    RecordBatch: (args: {
      records: Encoded[];
      lastOffsetDelta: number;
      firstTimestamp: number;
      maxTimestamp: number;
    }) => Promise<Encoded>;
  };
  const { default: Record } = (await import('kafkajs/src/protocol/recordBatch/record/v0/index.js')) as unknown as {
    default: (args: { offsetDelta: number; value: Buffer; timestampDelta: number }) => Encoded;
  };
  const now = Date.now();
  const records = values.map((value, i) => Record({ offsetDelta: i, value: Buffer.from(value), timestampDelta: 0 }));
  return (await RecordBatch({ records, lastOffsetDelta: values.length - 1, firstTimestamp: now, maxTimestamp: now }))
    .buffer;
}
