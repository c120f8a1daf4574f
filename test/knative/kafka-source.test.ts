import { isoDurationMs, resolveDelivery, retryDelayMs } from '../../local/knative/kafka-source/delivery';
import { eventually } from '../broker/helpers';
import { kafkaSourceHarness, sink } from '../helpers/kafka-source-harness';

// The emulator's KafkaSource on the dev broker: what it sends, its retries and dead letters
// (test/helpers/kafka-source-harness.ts). Ordering and commits: kafka-source-ordering.test.ts.
const { source, produce } = kafkaSourceHarness();

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
