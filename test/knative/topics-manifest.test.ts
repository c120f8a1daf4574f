import { resolve } from 'node:path';
import { topics } from '../../shared/events';
import { loadManifests } from '../../local/knative/manifests';
import { ROOT } from '../helpers/process';

// The Strimzi KafkaTopics production creates are the topics the code declares, no more, no fewer, with
// the same partitions and retention (their schema is checked against Strimzi's CRD in manifests.test.ts).
const kafkaTopics = loadManifests(resolve(ROOT, 'knative/topics')).filter((m) => m.kind === 'KafkaTopic');
const DAY_MS = 86_400_000;

it('has one KafkaTopic per declared topic, with its partitions and retention', () => {
  const declared = Object.values(topics).map((t) => ({
    topicName: t.name,
    partitions: t.partitions,
    retentionMs: t.retentionDays * DAY_MS,
  }));
  const manifested = kafkaTopics.map((m) => {
    const spec = m.spec as { topicName: string; partitions: number; config: Record<string, number> };
    return { topicName: spec.topicName, partitions: spec.partitions, retentionMs: spec.config['retention.ms'] };
  });
  expect(manifested.sort((a, b) => a.topicName.localeCompare(b.topicName))).toEqual(
    declared.sort((a, b) => a.topicName.localeCompare(b.topicName)),
  );
});

it('puts each on the cluster, replicated so that losing a broker loses no record', () => {
  for (const topic of kafkaTopics) {
    expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe('kafka');
    expect(topic.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
  }
});
