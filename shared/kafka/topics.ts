import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { topics } from '../events';

export interface ShortTopic {
  name: string;
  declared: number;
  actual: number;
}

/**
 * Creates the declared topics (shared/events/topics.ts) that the cluster lacks. Existing ones are left
 * alone, but one with fewer partitions than declared is reported: ordered delivery runs one record at a
 * time per partition, so it caps that topic's rate (raising a topic's partitions moves keys between
 * them, an operator's decision; `make dev-reset` recreates the local ones).
 */
export async function ensureTopics(
  admin: Admin,
  log: Logger,
  replicationFactor = -1,
): Promise<{ created: string[]; short: ShortTopic[] }> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics).filter((t) => !existing.has(t.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })),
    });
    log.info({ topics: missing.map((t) => t.name) }, 'topics created');
  }
  const short = await shortTopics(
    admin,
    Object.values(topics).filter((t) => existing.has(t.name)),
  );
  for (const topic of short)
    log.warn(topic, 'topic has fewer partitions than declared: ordered delivery on it is capped accordingly');
  return { created: missing.map((t) => t.name), short };
}

async function shortTopics(admin: Admin, declared: { name: string; partitions: number }[]): Promise<ShortTopic[]> {
  if (declared.length === 0) return [];
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: declared.map((t) => t.name) });
  return declared.flatMap((t) => {
    const actual = metadata.find((m) => m.name === t.name)?.partitions.length ?? 0;
    return actual < t.partitions ? [{ name: t.name, declared: t.partitions, actual }] : [];
  });
}
