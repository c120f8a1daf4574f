import type { Admin } from 'kafkajs';
import { topics } from '../events';

/** Creates the declared topics (shared/events/topics.ts) that the cluster lacks; existing ones are left alone. */
export async function ensureTopics(admin: Admin, replicationFactor = -1): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics).filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })),
  });
  return missing.map((t) => t.name);
}
