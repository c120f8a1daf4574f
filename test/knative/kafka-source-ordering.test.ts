import { runQueuedDelivery } from '../../local/knative/kafka-source/queued-delivery';
import { eventually, quietLogger } from '../broker/helpers';
import { kafkaSourceHarness, sink } from '../helpers/kafka-source-harness';

// The emulator's KafkaSource, ordered and unordered: which records wait for which, and how far it
// commits (test/helpers/kafka-source-harness.ts).
const { source, startSource, stopSources, committedOffsets, produce, directConsumer } = kafkaSourceHarness();

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
    await stopSources();
    const committed = await committedOffsets(config.consumerGroup, topic);
    expect(committed.find((p) => p.partition === 0)?.offset).toBe('3');

    await startSource(config);
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
