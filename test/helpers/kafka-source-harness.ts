import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningBroker } from '../../local/broker';
import { KafkaSourceDispatcher, type KafkaSourceConfig } from '../../local/knative/kafka-source/dispatcher';
import { kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A sink on a real socket: records each request and answers with what `answer` says. */
export async function sink(
  answer: (
    headers: IncomingHttpHeaders,
    attempt: number,
  ) => { status: number; body?: string; headers?: Record<string, string> },
) {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['ce-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString() });
      const reply = answer(req.headers, attempt);
      res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * A dev broker for a test file and KafkaSource dispatchers on it, stopped after each test: registers
 * its own beforeAll/afterEach/afterAll, so call it at a file's top level.
 */
export function kafkaSourceHarness() {
  let broker: RunningBroker | undefined;
  const running: KafkaSourceDispatcher[] = [];
  beforeAll(async () => {
    broker = await startTestBroker({ partitions: 2 });
  });
  /** Stops every dispatcher started so far (as a pod's end would), committing what each settled. */
  const stopSources = async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  };
  afterEach(stopSources);
  afterAll(async () => {
    await broker?.close();
  });
  const address = () => {
    if (!broker) throw new Error('the broker is not started yet');
    return broker.address;
  };
  let counter = 0;

  async function source(overrides: Partial<KafkaSourceConfig> & { sinkUrl: string }): Promise<KafkaSourceConfig> {
    counter += 1;
    const topic = `src-${String(counter)}`;
    const admin = kafkaClient(address()).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const config: KafkaSourceConfig = {
      name: `source-${String(counter)}`,
      namespace: 'pay',
      topics: [topic],
      consumerGroup: `group-${String(counter)}`,
      initialOffset: 'earliest',
      ordering: 'ordered',
      ...overrides,
    };
    await startSource(config);
    return config;
  }

  /** A dispatcher for a source's config: a source's first start, or a restart. */
  async function startSource(config: KafkaSourceConfig): Promise<void> {
    const dispatcher = new KafkaSourceDispatcher(config, kafkaClient(address(), 'dispatcher'), quietLogger);
    await dispatcher.start();
    running.push(dispatcher);
  }

  /** The offsets a consumer group has committed on a topic. */
  async function committedOffsets(groupId: string, topic: string) {
    const admin = kafkaClient(address()).admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    return committed?.partitions ?? [];
  }

  async function produce(
    topic: string,
    messages: { key?: string; value: string; partition?: number; headers?: Record<string, string> }[],
  ) {
    const producer = kafkaClient(address()).producer();
    await producer.connect();
    await producer.send({ topic, messages });
    await producer.disconnect();
  }

  /** A one-partition topic and a consumer subscribed to it, for queued delivery driven directly. */
  async function directConsumer(name: string) {
    const topic = `${name}-${String(Date.now())}`;
    const groupId = `${topic}-group`;
    const kafka = kafkaClient(address(), name);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return {
      topic,
      consumer,
      committed: async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset,
      close: async () => {
        await consumer.disconnect();
        await admin.disconnect();
      },
    };
  }

  return { source, startSource, stopSources, committedOffsets, produce, directConsumer };
}
