import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionLog, type LogOptions } from './partition-log';

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

/** Every topic and its partitions' logs, under `<dataDir>/<topic>-<partition>/` as Kafka lays them out. */
export class TopicStore {
  private readonly topics = new Map<string, PartitionLog[]>();

  constructor(
    private readonly dataDir: string | null,
    private readonly logOptions: Omit<LogOptions, 'dir'>,
  ) {
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true });
      this.recover(dataDir);
    }
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  get(topic: string): PartitionLog[] | undefined {
    return this.topics.get(topic);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.[partition];
  }

  create(topic: string, partitions: number): PartitionLog[] {
    const existing = this.topics.get(topic);
    if (existing) return existing;
    const logs = Array.from({ length: partitions }, (_, p) => this.openLog(topic, p));
    this.topics.set(topic, logs);
    return logs;
  }

  close(): void {
    for (const logs of this.topics.values()) for (const log of logs) log.close();
  }

  private openLog(topic: string, partition: number): PartitionLog {
    return new PartitionLog({
      ...this.logOptions,
      dir: this.dataDir === null ? null : join(this.dataDir, `${topic}-${String(partition)}`),
    });
  }

  private recover(dataDir: string): void {
    const found = new Map<string, number>();
    for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
      const match = /^(.+)-(\d+)$/.exec(entry.name);
      if (!entry.isDirectory() || !match?.[1] || !isValidTopicName(match[1])) continue;
      found.set(match[1], Math.max(found.get(match[1]) ?? 0, Number(match[2]) + 1));
    }
    for (const [topic, partitions] of found) this.create(topic, partitions);
  }
}
