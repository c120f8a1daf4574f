import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { isRetryable, resolveDelivery, retryDelayMs, type DeliveryPolicy, type DeliverySpec } from './delivery';
import { runOrdered, type OrderedDelivery } from './ordered';
import { recordToEvent, type OutgoingCloudEvent } from './record-to-event';
import { errorExtensions, sendEvent, type SendResult } from '../send';

export interface KafkaSourceConfig {
  name: string;
  namespace: string;
  topics: string[];
  consumerGroup: string;
  initialOffset: 'earliest' | 'latest';
  ordering: 'ordered' | 'unordered';
  delivery?: DeliverySpec;
  sinkUrl: string;
  deadLetterUrl?: string;
  ceOverrides?: Record<string, string>;
}

/**
 * Knative's data plane commits the highest contiguous settled offset every auto.commit.interval.ms
 * (5 s) and when a partition is revoked or the consumer closes, not after each record: after a crash,
 * up to 5 s of settled records are delivered again, which idempotent consumers absorb.
 */
const COMMIT_INTERVAL_MS = 5_000;

/** In-flight cap of unordered delivery: the source data plane's max.poll.records. */
const UNORDERED_IN_FLIGHT = 50;

/**
 * One KafkaSource, run as Knative's dispatcher runs it: a consumer group reading its topics, each record
 * delivered to the sink with the delivery policy (retries with backoff, then the dead-letter sink, else
 * dropped), and its offset committed only once that is settled (periodically, as Knative does).
 * Ordered: one record at a time per partition, partitions in parallel and independent (ordered.ts).
 * Unordered: a batch's records at once, up to 50. Unlike Knative's, a slice of 50 waits for its slowest
 * record and fetching waits for the slice, so one record in a long backoff holds the others back; no
 * source in knative/base is unordered.
 */
export class KafkaSourceDispatcher {
  private consumer: Consumer | undefined;
  private ordered: OrderedDelivery | undefined;
  private readonly policy: DeliveryPolicy;

  constructor(private readonly config: KafkaSourceConfig, private readonly kafka: Kafka, private readonly log: Logger) {
    this.policy = resolveDelivery(config.delivery);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.config.consumerGroup, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.config.topics) await consumer.subscribe({ topic, fromBeginning: this.config.initialOffset === 'earliest' });
    if (this.config.ordering === 'ordered') {
      const deliver = (topic: string, partition: number, message: KafkaMessage) => this.dispatch(topic, partition, message, noHeartbeat);
      this.ordered = await runOrdered(consumer, deliver, COMMIT_INTERVAL_MS, this.log);
    } else {
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          for (let i = 0; i < batch.messages.length; i += UNORDERED_IN_FLIGHT) {
            const slice = batch.messages.slice(i, i + UNORDERED_IN_FLIGHT);
            await Promise.all(slice.map((message) => this.dispatch(batch.topic, batch.partition, message, () => payload.heartbeat())));
            // Offsets advance contiguously, in order, even though delivery was concurrent.
            for (const message of slice) payload.resolveOffset(message.offset);
            await payload.commitOffsetsIfNecessary();
          }
        },
        autoCommitInterval: COMMIT_INTERVAL_MS,
      });
    }
  }

  async stop(): Promise<void> {
    await this.ordered?.stop();
    await this.consumer?.disconnect();
  }

  private async dispatch(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const event = recordToEvent(message, { namespace: this.config.namespace, sourceName: this.config.name, topic, partition }, this.config.ceOverrides);
    const result = await this.deliver(this.config.sinkUrl, event, heartbeat);
    if (result.status !== null && result.status < 300) return;
    const log = this.log.child({ source: this.config.name, ce: { id: event.attributes['id'], type: event.attributes['type'] }, status: result.status });
    if (!this.config.deadLetterUrl) {
      log.warn('delivery failed and no dead-letter sink is set: the event is dropped');
      return;
    }
    const dead = await this.deliver(this.config.deadLetterUrl, { ...event, attributes: { ...event.attributes, ...errorExtensions(this.config.sinkUrl, result) } }, heartbeat);
    if (dead.status === null || dead.status >= 300) log.error({ deadLetterStatus: dead.status }, 'dead-letter sink failed too: the event is dropped');
    else log.warn('event dead-lettered');
  }

  /** 1 + retry attempts while the answer is retryable, waiting the policy's backoff between them. */
  private async deliver(url: string, event: OutgoingCloudEvent, heartbeat: () => Promise<void>): Promise<SendResult> {
    let result = await sendEvent(url, event, this.policy.timeoutMs, this.config.namespace);
    for (let n = 1; n <= this.policy.retry && (result.status === null || result.status >= 300) && isRetryable(result.status); n++) {
      await waitWithHeartbeats(retryDelayMs(this.policy, n), heartbeat);
      result = await sendEvent(url, event, this.policy.timeoutMs, this.config.namespace);
    }
    return result;
  }
}

/** Ordered delivery runs beside kafkajs's fetch loop, which keeps the membership alive by itself. */
const noHeartbeat = () => Promise.resolve();

/** Long backoffs must not cost the consumer its group membership. */
async function waitWithHeartbeats(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(1_000, end - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}
