import type { RunningBroker } from '../../local/broker';
import { topics } from '../../shared/events';
import { ensureTopics } from '../../shared/kafka/topics';
import { kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.close();
});

describe('ensureTopics', () => {
  it('creates the declared topics once, and reports one left with fewer partitions than declared', async () => {
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    try {
      // As a data directory from before knpay.invoices went to 12 partitions holds it.
      await admin.createTopics({ topics: [{ topic: topics.invoices.name, numPartitions: 6 }] });
      const first = await ensureTopics(admin, quietLogger);
      expect(first.created.sort()).toEqual(
        Object.values(topics)
          .map((t) => t.name)
          .filter((name) => name !== topics.invoices.name)
          .sort(),
      );
      expect(first.short).toEqual([{ name: topics.invoices.name, declared: topics.invoices.partitions, actual: 6 }]);
      const again = await ensureTopics(admin, quietLogger);
      expect(again.created).toEqual([]);
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [topics.payments.name] });
      expect(metadata[0]?.partitions).toHaveLength(topics.payments.partitions);
    } finally {
      await admin.disconnect();
    }
  });
});
