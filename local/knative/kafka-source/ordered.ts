import type { Consumer, IMemberAssignment, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';

/** Records of one topic-partition, delivered one at a time, in offset order. */
interface PartitionQueue {
  topic: string;
  partition: number;
  waiting: KafkaMessage[];
  /** The offset after the last record queued: a record fetched again after a rejoin is skipped. */
  nextOffset: bigint;
  /** The offset after the last settled record: what the next commit records. */
  settledOffset?: bigint;
  committedOffset?: bigint;
  delivering?: Promise<void>;
  paused: boolean;
}

export type DeliverRecord = (topic: string, partition: number, message: KafkaMessage) => Promise<void>;

/**
 * A partition's records held before delivery, at most: beyond it the partition's fetching pauses
 * until half of them are delivered, so one blocked partition holds bounded memory.
 */
const MAX_WAITING = 500;

/**
 * Ordered delivery as Knative's data plane does it (knative-anchors.md §3, OrderedConsumerVerticle):
 * one queue per topic-partition, each delivering its next record only when the previous one is settled,
 * independently of the others and of fetching. kafkajs's own loop fetches again only once every batch
 * of the last fetch is processed, so one partition in a retry backoff would stop all the others: this
 * takes each batch into its partition's queue and returns at once. The fetch position moves on as
 * records are queued; commits (kafkajs's auto-commit off) record only settled offsets, every
 * `commitIntervalMs` and on stop, as Knative's OffsetManager does.
 */
export class OrderedDelivery {
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly commitTimer: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly deliver: DeliverRecord,
    commitIntervalMs: number,
    private readonly log: Logger,
  ) {
    this.commitTimer = setInterval(() => { void this.commit(); }, commitIntervalMs).unref();
  }

  /** Queues a fetched batch's new records and gives back the offset fetching may move past. */
  accept(topic: string, partition: number, messages: KafkaMessage[]): string | undefined {
    if (this.stopping) return undefined;
    const queue = this.queueOf(topic, partition);
    for (const message of messages) {
      const offset = BigInt(message.offset);
      if (offset < queue.nextOffset) continue;
      queue.waiting.push(message);
      queue.nextOffset = offset + 1n;
    }
    if (queue.waiting.length >= MAX_WAITING && !queue.paused) this.setPaused(queue, true);
    queue.delivering ??= this.drain(queue);
    return messages.at(-1)?.offset;
  }

  /** After a rebalance: partitions no longer assigned are forgotten (their new owner starts from the last commit). */
  assigned(assignment: IMemberAssignment): void {
    for (const [key, queue] of this.queues) {
      if (assignment[queue.topic]?.includes(queue.partition)) continue;
      queue.waiting.length = 0;
      this.queues.delete(key);
    }
  }

  /** Delivers nothing more, lets the records being delivered settle, and commits. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.commitTimer);
    for (const queue of this.queues.values()) queue.waiting.length = 0;
    await Promise.all([...this.queues.values()].flatMap((queue) => (queue.delivering ? [queue.delivering] : [])));
    await this.commit();
  }

  private queueOf(topic: string, partition: number): PartitionQueue {
    const key = `${topic}/${String(partition)}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { topic, partition, waiting: [], nextOffset: -1n, paused: false };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private async drain(queue: PartitionQueue): Promise<void> {
    for (let message = queue.waiting.shift(); message !== undefined; message = queue.waiting.shift()) {
      await this.deliver(queue.topic, queue.partition, message);
      queue.settledOffset = BigInt(message.offset) + 1n;
      if (queue.paused && queue.waiting.length <= MAX_WAITING / 2 && !this.stopping) this.setPaused(queue, false);
    }
    queue.delivering = undefined;
  }

  private setPaused(queue: PartitionQueue, paused: boolean): void {
    const partitions = [{ topic: queue.topic, partitions: [queue.partition] }];
    if (paused) this.consumer.pause(partitions);
    else this.consumer.resume(partitions);
    queue.paused = paused;
  }

  private async commit(): Promise<void> {
    const due = [...this.queues.values()].flatMap((queue) => {
      const offset = queue.settledOffset;
      return offset === undefined || offset === queue.committedOffset ? [] : [{ queue, offset }];
    });
    if (due.length === 0) return;
    try {
      await this.consumer.commitOffsets(due.map(({ queue, offset }) => ({ topic: queue.topic, partition: queue.partition, offset: offset.toString() })));
      for (const { queue, offset } of due) queue.committedOffset = offset;
    } catch (error) {
      // A rebalance in progress, say: the next interval tries again; until then a restart redelivers more.
      this.log.warn({ err: { message: (error as Error).message } }, 'offset commit failed: retried at the next interval');
    }
  }
}
