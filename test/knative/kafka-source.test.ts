import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningBroker } from '../../local/broker';
import { KafkaSourceDispatcher, type KafkaSourceConfig } from '../../local/knative/kafka-source/dispatcher';
import { isoDurationMs, resolveDelivery, retryDelayMs } from '../../local/knative/kafka-source/delivery';
import { runQueuedDelivery } from '../../local/knative/kafka-source/queued-delivery';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A sink on a real socket: records each request and answers with what `answer` says. */
async function sink(
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

let broker: RunningBroker;
const running: KafkaSourceDispatcher[] = [];
beforeAll(async () => {
  broker = await startTestBroker({ partitions: 2 });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await broker.close();
});

let counter = 0;
async function source(overrides: Partial<KafkaSourceConfig> & { sinkUrl: string }): Promise<KafkaSourceConfig> {
  counter += 1;
  const topic = `src-${String(counter)}`;
  const admin = kafkaClient(broker.address).admin();
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
  const dispatcher = new KafkaSourceDispatcher(config, kafkaClient(broker.address, 'dispatcher'), quietLogger);
  await dispatcher.start();
  running.push(dispatcher);
  return config;
}

async function produce(
  topic: string,
  messages: { key?: string; value: string; partition?: number; headers?: Record<string, string> }[],
) {
  const producer = kafkaClient(broker.address).producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

/** A one-partition topic and a consumer subscribed to it, for queued delivery driven directly. */
async function directConsumer(name: string) {
  const topic = `${name}-${String(Date.now())}`;
  const groupId = `${topic}-group`;
  const kafka = kafkaClient(broker.address, name);
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

describe('the KafkaSource dispatcher', () => {
  it('delivers a plain record with the attributes Knative gives it, in binary mode', async () => {
    const target = await sink(() => ({ status: 202 }));
    const config = await source({ sinkUrl: target.url });
    await produce(config.topics[0] ?? '', [
      {
        key: 'inv_123',
        value: '{"a":1}',
        partition: 1,
        headers: { 'content-type': 'application/JSON', 'X-Request_Id': 'r-1' },
      },
    ]);
    const [got] = await eventually(
      () => target.received,
      (r) => r.length === 1,
    );
    expect(got?.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': 'partition:1/offset:0',
      'ce-source': `/apis/v1/namespaces/pay/kafkasources/${config.name}#${config.topics[0] ?? ''}`,
      'ce-type': 'dev.knative.kafka.event',
      'ce-subject': 'partition:1#0',
      'ce-key': 'inv_123',
      'ce-partitionkey': 'inv_123',
      'ce-kafkaheaderxrequestid': 'r-1',
      'ce-knativekafkapartition': '1',
      'ce-knativekafkaoffset': '0',
      'content-type': 'application/json',
      prefer: 'reply',
      'kn-namespace': 'pay',
    });
    expect(got?.body).toBe('{"a":1}');
    await target.close();
  });

  it('passes a record that is already a CloudEvent through with its own attributes', async () => {
    const target = await sink(() => ({ status: 200 }));
    const config = await source({ sinkUrl: target.url });
    await produce(config.topics[0] ?? '', [
      {
        key: 'x',
        value: '{"b":2}',
        headers: {
          ce_specversion: '1.0',
          ce_id: 'evt-1',
          ce_source: '/knpay/cron',
          ce_type: 'io.knpay.chain.scan.requested.v1',
          ce_subject: 'eip155:1',
          'content-type': 'application/json',
        },
      },
    ]);
    const [got] = await eventually(
      () => target.received,
      (r) => r.length === 1,
    );
    expect(got?.headers).toMatchObject({
      'ce-id': 'evt-1',
      'ce-source': '/knpay/cron',
      'ce-type': 'io.knpay.chain.scan.requested.v1',
      'ce-subject': 'eip155:1',
      'ce-knativekafkaoffset': '0',
    });
    expect(got?.headers['ce-key']).toBeUndefined();
    await target.close();
  });

  it("retries a 500 with the linear backoff, then dead-letters it with Knative's error extensions", async () => {
    const target = await sink(() => ({ status: 500, body: 'database down', headers: { 'kne-reason': 'db' } }));
    const dead = await sink(() => ({ status: 202 }));
    const config = await source({
      sinkUrl: target.url,
      deadLetterUrl: dead.url,
      delivery: { retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' },
    });
    await produce(config.topics[0] ?? '', [{ value: 'x' }]);
    const [dlq] = await eventually(
      () => dead.received,
      (r) => r.length === 1,
      10_000,
    );
    expect(target.received).toHaveLength(4);
    const gaps = target.received.slice(1).map((r, i) => r.at - (target.received[i]?.at ?? 0));
    [100, 200, 300].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 10);
      expect(gaps[i]).toBeLessThan(expected + 250);
    });
    expect(dlq?.headers).toMatchObject({
      'ce-knativeerrordest': target.url,
      'ce-knativeerrorcode': '500',
      'ce-knativeerrordata': Buffer.from('database down').toString('base64'),
      'ce-reason': 'db',
    });
    await target.close();
    await dead.close();
  });

  it('dead-letters a 400 at once, without retrying', async () => {
    const target = await sink(() => ({ status: 400, body: '{"type":"/problems/malformed-event"}' }));
    const dead = await sink(() => ({ status: 202 }));
    const config = await source({
      sinkUrl: target.url,
      deadLetterUrl: dead.url,
      delivery: { retry: 5, backoffDelay: 'PT0.1S' },
    });
    await produce(config.topics[0] ?? '', [{ value: 'x' }]);
    await eventually(
      () => dead.received,
      (r) => r.length === 1,
      10_000,
    );
    expect(target.received).toHaveLength(1);
    expect(dead.received[0]?.headers['ce-knativeerrorcode']).toBe('400');
    await target.close();
    await dead.close();
  });

  it('in ordered mode, a partition waits for its retries while the other partition flows', async () => {
    const target = await sink((headers, attempt) => ({
      status: headers['ce-key'] === 'slow' && attempt < 4 ? 503 : 200,
    }));
    const config = await source({
      sinkUrl: target.url,
      delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.2S' },
    });
    const topic = config.topics[0] ?? '';
    await produce(topic, [
      { key: 'slow', value: 's1', partition: 0 },
      { key: 'after', value: 's2', partition: 0 },
      { key: 'other', value: 'o1', partition: 1 },
      { key: 'other', value: 'o2', partition: 1 },
    ]);
    await eventually(
      () => target.received.filter((r) => r.headers['ce-key'] !== 'slow'),
      (r) => r.length >= 3,
      10_000,
    );
    const order = target.received.map((r) => String(r.headers['ce-key']));
    const firstSuccessOfSlow = target.received.findIndex(
      (r, i) =>
        r.headers['ce-key'] === 'slow' &&
        target.received.slice(0, i).filter((x) => x.headers['ce-key'] === 'slow').length === 3,
    );
    // partition 0: 'after' only once 'slow' succeeded (its 4th attempt); partition 1 did not wait for it.
    expect(order.indexOf('after')).toBeGreaterThan(firstSuccessOfSlow);
    expect(order.indexOf('other')).toBeLessThan(firstSuccessOfSlow);
    await target.close();
  });
});

describe('ordered delivery', () => {
  it('keeps the other partition flowing for records that arrive while a partition retries', async () => {
    const target = await sink((headers, attempt) => ({
      status: headers['ce-key'] === 'slow' && attempt < 5 ? 503 : 200,
    }));
    const config = await source({
      sinkUrl: target.url,
      delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.3S' },
    });
    const topic = config.topics[0] ?? '';
    await produce(topic, [
      { key: 'slow', value: 's1', partition: 0 },
      { key: 'behind-slow', value: 's2', partition: 0 },
    ]);
    await eventually(
      () => target.received,
      (r) => r.some((x) => x.headers['ce-key'] === 'slow'),
      10_000,
    );
    // Produced after partition 0 began retrying (0.3 + 0.6 + 0.9 + 1.2 s before its 5th attempt succeeds).
    const producedAt = Date.now();
    await produce(topic, [{ key: 'late', value: 'l1', partition: 1 }]);
    const received = await eventually(
      () => target.received,
      (r) => r.some((x) => x.headers['ce-key'] === 'behind-slow'),
      10_000,
    );
    const late = received.find((r) => r.headers['ce-key'] === 'late');
    const slowSucceeded = received.filter((r) => r.headers['ce-key'] === 'slow')[4];
    expect(late?.at).toBeLessThan(slowSucceeded?.at ?? 0);
    expect((late?.at ?? Infinity) - producedAt).toBeLessThan(1_000);
    await target.close();
  });

  it('commits the offsets it settled when it stops, and a restart delivers only what follows', async () => {
    const target = await sink(() => ({ status: 200 }));
    const config = await source({ sinkUrl: target.url });
    const topic = config.topics[0] ?? '';
    await produce(
      topic,
      [0, 1, 2].map((n) => ({ key: `k${String(n)}`, value: String(n), partition: 0 })),
    );
    await eventually(
      () => target.received,
      (r) => r.length === 3,
      10_000,
    );
    await Promise.all(running.splice(0).map((r) => r.stop()));
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: config.consumerGroup, topics: [topic] });
    await admin.disconnect();
    expect(committed?.partitions.find((p) => p.partition === 0)?.offset).toBe('3');

    const again = new KafkaSourceDispatcher(config, kafkaClient(broker.address, 'dispatcher'), quietLogger);
    await again.start();
    running.push(again);
    await produce(topic, [{ key: 'k3', value: '3', partition: 0 }]);
    await eventually(
      () => target.received,
      (r) => r.length >= 4,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(target.received.map((r) => r.body)).toEqual(['0', '1', '2', '3']);
    await target.close();
  });
});

describe('unordered delivery', () => {
  it('holds no other record back for one in a long backoff, even on its partition', async () => {
    const target = await sink((headers, attempt) => ({
      status: headers['ce-key'] === 'slow' && attempt < 5 ? 503 : 200,
    }));
    const config = await source({
      sinkUrl: target.url,
      ordering: 'unordered',
      delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.3S' },
    });
    const topic = config.topics[0] ?? '';
    await produce(topic, [{ key: 'slow', value: 'slow', partition: 0 }]);
    await eventually(
      () => target.received,
      (r) => r.length > 0,
      10_000,
    );
    // Produced once 'slow' is retrying: a later fetch, which must not wait for it.
    await produce(
      topic,
      ['fast-1', 'fast-2'].map((key) => ({ key, value: key, partition: 0 })),
    );
    const received = await eventually(
      () => target.received,
      (r) => r.filter((x) => x.headers['ce-key'] === 'slow').length === 5,
      10_000,
    );
    const slowSucceeded = received.filter((r) => r.headers['ce-key'] === 'slow')[4]?.at ?? 0;
    for (const key of ['fast-1', 'fast-2'])
      expect(received.find((r) => r.headers['ce-key'] === key)?.at).toBeLessThan(slowSucceeded);
    await target.close();
  });

  it('commits no further than the first record not yet settled', async () => {
    const { topic, consumer, committed, close } = await directConsumer('unordered-commit');
    const settled: string[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queued = await runQueuedDelivery(
      consumer,
      'unordered',
      async (_topic, _partition, message) => {
        const value = message.value?.toString() ?? '';
        if (value === 'first') await held;
        settled.push(value);
      },
      100,
      quietLogger,
    );
    try {
      await produce(
        topic,
        ['first', 'second', 'third'].map((value) => ({ value, partition: 0 })),
      );
      await eventually(
        () => settled,
        (s) => s.length === 2,
        10_000,
      );
      await new Promise((r) => setTimeout(r, 400)); // several commit intervals
      expect(settled).toEqual(['second', 'third']);
      expect(await committed()).toBe('0'); // a restart resumes at offset 0, the record still in delivery
      release();
      await eventually(committed, (offset) => offset === '3', 10_000);
    } finally {
      release();
      await queued.stop();
      await close();
    }
  });
});

describe('ordered delivery, when a delivery faults', () => {
  it('fetches the record again from where it faulted: nothing skipped, nothing committed past it', async () => {
    const { topic, consumer, committed, close } = await directConsumer('ordered-fault');
    const delivered: string[] = [];
    let faulted = false;
    // A throw here stands for a fault in the dispatcher itself, not a sink's answer (those are retried by policy).
    const ordered = await runQueuedDelivery(
      consumer,
      'ordered',
      (_topic, _partition, message) => {
        const value = message.value?.toString() ?? '';
        if (value === 'b' && !faulted) {
          faulted = true;
          return Promise.reject(new Error('fault'));
        }
        delivered.push(value);
        return Promise.resolve();
      },
      60_000,
      quietLogger,
    );
    try {
      await produce(
        topic,
        ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })),
      );
      await eventually(
        () => delivered,
        (d) => d.length >= 3,
        10_000,
      );
      expect(delivered).toEqual(['a', 'b', 'c']);
      await ordered.stop();
      expect(await committed()).toBe('3');
    } finally {
      await close();
    }
  });
});

describe('the delivery policy', () => {
  it("has Knative's defaults and backoff arithmetic", () => {
    expect(resolveDelivery(undefined)).toEqual({
      retry: 10,
      backoffPolicy: 'exponential',
      backoffDelayMs: 300,
      timeoutMs: 600_000,
    });
    expect(resolveDelivery({})).toEqual({
      retry: 0,
      backoffPolicy: 'exponential',
      backoffDelayMs: 200,
      timeoutMs: 600_000,
    });
    const exponential = resolveDelivery(undefined);
    expect([1, 2, 3, 10].map((n) => retryDelayMs(exponential, n))).toEqual([600, 1200, 2400, 307_200]);
    expect(
      [1, 2, 3].map((n) =>
        retryDelayMs(resolveDelivery({ retry: 3, backoffPolicy: 'linear', backoffDelay: 'PT0.5S' }), n),
      ),
    ).toEqual([500, 1000, 1500]);
    expect([isoDurationMs('PT0.3S'), isoDurationMs('PT10M'), isoDurationMs('P1DT2H')]).toEqual([
      300, 600_000, 93_600_000,
    ]);
    expect(() => isoDurationMs('3s')).toThrow();
  });
});
