import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CommittedOffset {
  offset: bigint;
  metadata: string | null;
}

/**
 * Committed offsets of every group: a map in memory and, with a data directory, a JSON-lines file
 * appended before each commit is acknowledged (compacted on start-up). A line torn by a kill is the
 * last one, never acknowledged, and is dropped when read back.
 */
export class OffsetStore {
  private readonly offsets = new Map<string, CommittedOffset>();
  private readonly file: string | null;

  constructor(dataDir: string | null) {
    this.file = dataDir === null ? null : join(dataDir, '__consumer_offsets.jsonl');
    if (dataDir !== null && this.file !== null) {
      mkdirSync(dataDir, { recursive: true });
      this.recover(this.file);
    }
  }

  commit(group: string, topic: string, partition: number, value: CommittedOffset): void {
    if (this.file !== null) {
      appendFileSync(
        this.file,
        `${JSON.stringify({ group, topic, partition, offset: value.offset.toString(), metadata: value.metadata })}\n`,
      );
    }
    this.offsets.set(key(group, topic, partition), value);
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(key(group, topic, partition));
  }

  /** Every committed (topic, partition) of a group. */
  partitionsOf(group: string): { topic: string; partition: number }[] {
    const prefix = `${group}\u0000`;
    return [...this.offsets.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => {
        const [, topic = '', partition = '0'] = k.split('\u0000');
        return { topic, partition: Number(partition) };
      });
  }

  groups(): string[] {
    return [...new Set([...this.offsets.keys()].map((k) => k.split('\u0000')[0] ?? ''))];
  }

  private recover(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      try {
        const entry = JSON.parse(line) as {
          group: string;
          topic: string;
          partition: number;
          offset: string;
          metadata: string | null;
        };
        this.offsets.set(key(entry.group, entry.topic, entry.partition), {
          offset: BigInt(entry.offset),
          metadata: entry.metadata,
        });
      } catch {
        // an empty or torn line
      }
    }
    const compacted = [...this.offsets.entries()].map(([k, v]) => {
      const [group, topic, partition] = k.split('\u0000');
      return JSON.stringify({
        group,
        topic,
        partition: Number(partition),
        offset: v.offset.toString(),
        metadata: v.metadata,
      });
    });
    // Written aside and renamed over the old file, so a kill during compaction loses nothing.
    writeFileSync(`${file}.compacting`, compacted.length > 0 ? `${compacted.join('\n')}\n` : '');
    renameSync(`${file}.compacting`, file);
  }
}

function key(group: string, topic: string, partition: number): string {
  return `${group}\u0000${topic}\u0000${String(partition)}`;
}
