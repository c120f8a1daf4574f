import { CompressionTypes } from 'kafkajs';
import type { RunningBroker } from '../../local/broker';
import { eventually, kafkaClient, producerFor, startTestBroker } from './helpers';

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker({ partitions: 3 });
});
afterAll(async () => {
  await broker.close();
});

describe('kafkajs against the dev broker', () => {
  it('creates topics and reports them in metadata', async () => {
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'created', numPartitions: 4 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'created', numPartitions: 4 }] })).toBe(false);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['created'] });
    expect(topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
    await admin.disconnect();
  });

  it('round-trips keys, values and headers, gzip included, in order per partition', async () => {
    const kafka = kafkaClient(broker.address);
    const producer = producerFor(kafka);
    await producer.connect();
    const messages = Array.from({ length: 40 }, (_, i) => ({
      key: `key-${String(i % 5)}`,
      value: `value-${String(i)}`,
      headers: { seq: String(i), 'x-trace': 'abc' },
    }));
    await producer.send({ topic: 'roundtrip', acks: -1, messages: messages.slice(0, 20) });
    await producer.send({
      topic: 'roundtrip',
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: messages.slice(20),
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'roundtrip-reader', sessionTimeout: 6000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'roundtrip', fromBeginning: true });
    const seen: { partition: number; key: string; value: string; seq: string; trace: string }[] = [];
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        seen.push({
          partition,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          seq: message.headers?.['seq']?.toString() ?? '',
          trace: message.headers?.['x-trace']?.toString() ?? '',
        });
        return Promise.resolve();
      },
    });
    await eventually(
      () => seen.length,
      (n) => n >= 40,
    );
    await consumer.disconnect();

    expect(seen).toHaveLength(40);
    expect(new Set(seen.map((m) => m.value))).toEqual(new Set(messages.map((m) => m.value)));
    expect(seen.every((m) => m.value === `value-${m.seq}` && m.trace === 'abc')).toBe(true);
    // One key, one partition, in the order produced.
    for (const key of new Set(seen.map((m) => m.key))) {
      const ofKey = seen.filter((m) => m.key === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.map((m) => Number(m.seq))).toEqual([...ofKey.map((m) => Number(m.seq))].sort((a, b) => a - b));
    }
  });

  it('lists earliest, latest and by-timestamp offsets', async () => {
    const kafka = kafkaClient(broker.address);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const producer = producerFor(kafka);
    await producer.connect();
    await producer.send({ topic: 'timed', messages: [{ value: 'old', timestamp: '1000' }] });
    await producer.send({ topic: 'timed', messages: [{ value: 'new', timestamp: '5000' }] });
    await producer.disconnect();
    expect(await admin.fetchTopicOffsets('timed')).toEqual([{ partition: 0, offset: '2', high: '2', low: '0' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 3000)).toEqual([{ partition: 0, offset: '1' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp('timed', 9000)).toEqual([{ partition: 0, offset: '2' }]);
    await admin.disconnect();
  });

  it('wakes a waiting fetch as soon as a record arrives', async () => {
    const kafka = kafkaClient(broker.address);
    const consumer = kafka.consumer({
      groupId: 'waker',
      maxWaitTimeInMs: 5000,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'wake', fromBeginning: true });
    let receivedAt = 0;
    await consumer.run({
      eachMessage: () => {
        receivedAt = Date.now();
        return Promise.resolve();
      },
    });
    await new Promise((r) => setTimeout(r, 1500)); // joined and long-polling
    const producer = producerFor(kafka);
    await producer.connect();
    const sentAt = Date.now();
    await producer.send({ topic: 'wake', messages: [{ value: 'now' }] });
    await eventually(
      () => receivedAt,
      (t) => t > 0,
    );
    expect(receivedAt - sentAt).toBeLessThan(1000);
    await producer.disconnect();
    await consumer.disconnect();
  });
});
