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
  /** Set while a faulted record waits to be fetched again: nothing is queued meanwhile. */
  refetching: boolean;
}

export type DeliverRecord = (topic: string, partition: number, message: KafkaMessage) => Promise<void>;

/** Runs a connected, subscribed consumer in ordered mode: each fetched batch goes to its partition's queue. */
export async function runOrdered(consumer: Consumer, deliver: DeliverRecord, commitIntervalMs: number, log: Logger): Promise<OrderedDelivery> {
  const ordered = new OrderedDelivery(consumer, deliver, commitIntervalMs, log);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => { ordered.assigned(payload.memberAssignment); });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => {
      const { batch } = payload;
      if (payload.isStale()) return Promise.resolve();
      const fetchedTo = ordered.accept(batch.topic, batch.partition, batch.messages);
      if (fetchedTo !== undefined) payload.resolveOffset(fetchedTo);
      return Promise.resolve();
    },
  });
  return ordered;
}

/**
 * A partition's records held before delivery, at most: beyond it the partition's fetching pauses
 * until half of them are delivered, so one blocked partition holds bounded memory.
 */
const MAX_WAITING = 500;

/** After a delivery that threw (a fault here, not an answer of the sink's), the wait before it is fetched again. */
const REFETCH_AFTER_FAULT_MS = 1_000;

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
    if (queue.refetching) return messages.at(-1)?.offset;
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
      if (queue.paused) this.setPaused(queue, false); // else it would stay paused if it came back
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
      queue = { topic, partition, waiting: [], nextOffset: -1n, paused: false, refetching: false };
      this.queues.set(key, queue);
    }
    return queue;
  }

  private async drain(queue: PartitionQueue): Promise<void> {
    for (let message = queue.waiting.shift(); message !== undefined; message = queue.waiting.shift()) {
      try {
        await this.deliver(queue.topic, queue.partition, message);
      } catch (error) {
        await this.refetchFrom(queue, message, error);
        break;
      }
      queue.settledOffset = BigInt(message.offset) + 1n;
      if (queue.paused && queue.waiting.length <= MAX_WAITING / 2 && !this.stopping) this.setPaused(queue, false);
    }
    queue.delivering = undefined;
  }

  /** Unsettled, so neither committed nor skipped: the partition is fetched again from this record. */
  private async refetchFrom(queue: PartitionQueue, message: KafkaMessage, error: unknown): Promise<void> {
    this.log.error({ topic: queue.topic, partition: queue.partition, offset: message.offset, err: { message: (error as Error).message } }, 'delivery failed unexpectedly: the record is fetched again');
    queue.refetching = true;
    queue.waiting.length = 0;
    await new Promise((resolve) => setTimeout(resolve, REFETCH_AFTER_FAULT_MS));
    queue.waiting.length = 0;
    queue.nextOffset = BigInt(message.offset);
    queue.refetching = false;
    // Batches fetched before the seek are stale to kafkajs, and not taken (isStale in runOrdered).
    if (!this.stopping) this.consumer.seek({ topic: queue.topic, partition: queue.partition, offset: message.offset });
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
