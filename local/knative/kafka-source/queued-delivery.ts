import type { Consumer, IMemberAssignment, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';

/** One topic-partition's records between their fetch and their settling. */
interface PartitionQueue {
  topic: string;
  partition: number;
  /** Fetched, not yet handed to delivery. */
  waiting: KafkaMessage[];
  /** Offsets fetched and not settled yet, ascending: the first is as far as a commit may go. */
  pending: bigint[];
  /** The offset after the last record taken: a record fetched again after a rejoin is skipped. */
  nextOffset: bigint;
  committedOffset?: bigint;
  delivering: number;
  paused: boolean;
  /** Set while a faulted record waits to be fetched again: nothing is taken meanwhile. */
  refetching: boolean;
}

export type DeliverRecord = (topic: string, partition: number, message: KafkaMessage) => Promise<void>;

/**
 * How many records may be in delivery at once (eventing-kafka-broker's data-plane
 * dispatcher, impl/consumer/): ordered, one per partition and
 * partitions independent (OrderedConsumerVerticle); unordered, any record of any partition, at most
 * max.poll.records (50 in the source data plane) in all (UnorderedConsumerVerticle).
 */
const LIMITS = {
  ordered: { perPartition: 1, total: Infinity },
  unordered: { perPartition: Infinity, total: 50 },
} as const;

/**
 * A partition's records held before delivery, at most: beyond it the partition's fetching pauses
 * until half of them are taken, so one blocked partition holds bounded memory.
 */
const MAX_WAITING = 500;

/** After a delivery that threw (a fault here, not an answer of the sink's), the wait before it is fetched again. */
const REFETCH_AFTER_FAULT_MS = 1_000;

/** Runs a connected, subscribed consumer: each fetched batch goes to its partition's queue. */
export async function runQueuedDelivery(
  consumer: Consumer,
  ordering: keyof typeof LIMITS,
  deliver: DeliverRecord,
  commitIntervalMs: number,
  log: Logger,
): Promise<QueuedDelivery> {
  const queued = new QueuedDelivery(consumer, LIMITS[ordering], deliver, commitIntervalMs, log);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    queued.assigned(payload.memberAssignment);
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => {
      const { batch } = payload;
      if (payload.isStale()) return Promise.resolve();
      const fetchedTo = queued.accept(batch.topic, batch.partition, batch.messages);
      if (fetchedTo !== undefined) payload.resolveOffset(fetchedTo);
      return Promise.resolve();
    },
  });
  return queued;
}

/**
 * Delivery as Knative's data plane does it, beside kafkajs's fetch loop rather than inside it: kafkajs
 * fetches again only once every batch of the last fetch is processed, so one record in a retry backoff
 * would hold back every other. Each batch goes to its partition's queue and the loop moves on; records
 * are taken from the queues up to the ordering's limits. The fetch position moves on as records are
 * queued; commits (kafkajs's auto-commit off) go only as far as the first unsettled record of each
 * partition, every `commitIntervalMs` and on stop, as Knative's OffsetManager does.
 */
export class QueuedDelivery {
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly inDelivery = new Set<Promise<void>>();
  private readonly commitTimer: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly limits: { perPartition: number; total: number },
    private readonly deliver: DeliverRecord,
    commitIntervalMs: number,
    private readonly log: Logger,
  ) {
    this.commitTimer = setInterval(() => {
      void this.commit();
    }, commitIntervalMs).unref();
  }

  /** Queues a fetched batch's new records and gives back the offset fetching may move past. */
  accept(topic: string, partition: number, messages: KafkaMessage[]): string | undefined {
    if (this.stopping) return undefined;
    const queue = this.queueOf(topic, partition);
    if (!queue.refetching) {
      for (const message of messages) {
        const offset = BigInt(message.offset);
        if (offset < queue.nextOffset) continue;
        queue.waiting.push(message);
        queue.pending.push(offset);
        queue.nextOffset = offset + 1n;
      }
      if (queue.waiting.length >= MAX_WAITING && !queue.paused) this.setPaused(queue, true);
      this.take();
    }
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

  /** Takes nothing more, lets the records in delivery settle, and commits. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.commitTimer);
    for (const queue of this.queues.values()) queue.waiting.length = 0;
    await Promise.all(this.inDelivery);
    await this.commit();
  }

  private queueOf(topic: string, partition: number): PartitionQueue {
    const key = `${topic}/${String(partition)}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = {
        topic,
        partition,
        waiting: [],
        pending: [],
        nextOffset: -1n,
        delivering: 0,
        paused: false,
        refetching: false,
      };
      this.queues.set(key, queue);
    }
    return queue;
  }

  /** Starts deliveries up to the limits, a record from each queue in turn. */
  private take(): void {
    for (let took = true; took && this.inDelivery.size < this.limits.total;) {
      took = false;
      for (const queue of this.queues.values()) {
        if (this.inDelivery.size >= this.limits.total) return;
        if (queue.refetching || queue.delivering >= this.limits.perPartition) continue;
        const message = queue.waiting.shift();
        if (message === undefined) continue;
        this.start(queue, message);
        took = true;
      }
    }
  }

  private start(queue: PartitionQueue, message: KafkaMessage): void {
    queue.delivering += 1;
    if (queue.paused && queue.waiting.length <= MAX_WAITING / 2) this.setPaused(queue, false);
    const delivery = this.deliver(queue.topic, queue.partition, message)
      .then(
        () => {
          this.settle(queue, BigInt(message.offset));
        },
        // A delivery abandoned by stop stays unsettled: its offset is not committed, it comes again.
        (error: unknown) => (this.stopping ? undefined : this.refetchFrom(queue, message, error)),
      )
      .finally(() => {
        queue.delivering -= 1;
        this.inDelivery.delete(delivery);
        if (!this.stopping) this.take();
      });
    this.inDelivery.add(delivery);
  }

  private settle(queue: PartitionQueue, offset: bigint): void {
    const index = queue.pending.indexOf(offset);
    if (index >= 0) queue.pending.splice(index, 1);
  }

  /** Unsettled, so neither committed past nor skipped: the partition is fetched again from this record. */
  private async refetchFrom(queue: PartitionQueue, message: KafkaMessage, error: unknown): Promise<void> {
    this.log.error(
      {
        topic: queue.topic,
        partition: queue.partition,
        offset: message.offset,
        err: { message: (error as Error).message },
      },
      'delivery failed unexpectedly: the record is fetched again',
    );
    const offset = BigInt(message.offset);
    queue.refetching = true;
    queue.waiting.length = 0;
    await new Promise((resolve) => setTimeout(resolve, REFETCH_AFTER_FAULT_MS));
    queue.waiting.length = 0;
    // Records before it still in delivery settle as usual; those after it come again with the refetch.
    queue.pending = queue.pending.filter((pending) => pending < offset);
    queue.nextOffset = offset;
    queue.refetching = false;
    if (queue.paused) this.setPaused(queue, false);
    // Batches fetched before the seek are stale to kafkajs, and not taken (isStale in runQueuedDelivery).
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
      if (queue.nextOffset < 0n) return [];
      const offset = queue.pending[0] ?? queue.nextOffset;
      return offset === queue.committedOffset ? [] : [{ queue, offset }];
    });
    if (due.length === 0) return;
    try {
      await this.consumer.commitOffsets(
        due.map(({ queue, offset }) => ({ topic: queue.topic, partition: queue.partition, offset: offset.toString() })),
      );
      for (const { queue, offset } of due) queue.committedOffset = offset;
    } catch (error) {
      // A rebalance in progress, say: the next interval tries again; until then a restart redelivers more.
      this.log.warn(
        { err: { message: (error as Error).message } },
        'offset commit failed: retried at the next interval',
      );
    }
  }
}
