import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { isRetryable, resolveDelivery, retryDelayMs, type DeliveryPolicy, type DeliverySpec } from './delivery';
import { runQueuedDelivery, type QueuedDelivery } from './queued-delivery';
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
  /** The sink's address for one delivery, when it is a Service of the emulator (ServiceEmulator.open). */
  openSink?: OpenSink;
  deadLetterUrl?: string;
  ceOverrides?: Record<string, string>;
  /** Sent with every delivery: the platform's credential for cluster-local sinks (cluster-network.ts). */
  platformHeaders?: Record<string, string>;
}

/**
 * Knative's data plane commits the highest contiguous settled offset every auto.commit.interval.ms
 * (5 s) and when a partition is revoked or the consumer closes, not after each record: after a crash,
 * up to 5 s of settled records are delivered again, which idempotent consumers absorb.
 */
const COMMIT_INTERVAL_MS = 5_000;

export type OpenSink = () => { url: string; release: () => void };

const fixedUrl =
  (url: string): OpenSink =>
  () => ({ url, release: () => undefined });

/**
 * One KafkaSource, run as Knative's dispatcher runs it: a consumer group reading its topics, each record
 * delivered to the sink with the delivery policy (retries with backoff, then the dead-letter sink, else
 * dropped), and its offset committed only once that is settled (periodically, as Knative does).
 * Ordered: one record at a time per partition, partitions in parallel and independent; unordered: up to
 * 50 records at once, of any partition (queued-delivery.ts).
 */
export class KafkaSourceDispatcher {
  private consumer: Consumer | undefined;
  private queued: QueuedDelivery | undefined;
  private readonly policy: DeliveryPolicy;
  private readonly sink: OpenSink;
  /** Aborted by stop: no new attempt, no backoff waited out, the request in flight given up. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: KafkaSourceConfig,
    private readonly kafka: Kafka,
    private readonly log: Logger,
  ) {
    this.policy = resolveDelivery(config.delivery);
    // Every delivery in flight (up to 50 unordered) listens for the stop: not a leak.
    setMaxListeners(0, this.stopping.signal);
    this.sink = config.openSink ?? fixedUrl(config.sinkUrl);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.config.consumerGroup,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.config.topics)
      await consumer.subscribe({ topic, fromBeginning: this.config.initialOffset === 'earliest' });
    const deliver = (topic: string, partition: number, message: KafkaMessage) =>
      this.dispatch(topic, partition, message);
    this.queued = await runQueuedDelivery(consumer, this.config.ordering, deliver, COMMIT_INTERVAL_MS, this.log);
  }

  /**
   * Stops within moments even while a record is being retried: its delivery is abandoned, not settled,
   * so its offset is not committed and the record is delivered again at the next start.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.queued?.stop();
    await this.consumer?.disconnect();
  }

  private async dispatch(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const event = recordToEvent(
      message,
      { namespace: this.config.namespace, sourceName: this.config.name, topic, partition },
      this.config.ceOverrides,
    );
    const result = await this.deliver(this.sink, event);
    if (result.status !== null && result.status < 300) return;
    this.stopping.signal.throwIfAborted();
    const log = this.log.child({
      source: this.config.name,
      ce: { id: event.attributes['id'], type: event.attributes['type'] },
      status: result.status,
    });
    if (!this.config.deadLetterUrl) {
      log.warn('delivery failed and no dead-letter sink is set: the event is dropped');
      return;
    }
    const dead = await this.deliver(fixedUrl(this.config.deadLetterUrl), {
      ...event,
      attributes: { ...event.attributes, ...errorExtensions(this.config.sinkUrl, result) },
    });
    if (dead.status === null || dead.status >= 300)
      log.error({ deadLetterStatus: dead.status }, 'dead-letter sink failed too: the event is dropped');
    else log.warn('event dead-lettered');
  }

  /**
   * 1 + retry attempts while the answer is retryable, waiting the policy's backoff between them. Long
   * backoffs cost no group membership: kafkajs's fetch loop, which heartbeats, never waits on delivery.
   */
  private async deliver(open: OpenSink, event: OutgoingCloudEvent): Promise<SendResult> {
    const { signal } = this.stopping;
    signal.throwIfAborted();
    let result = await this.send(open, event);
    for (
      let n = 1;
      n <= this.policy.retry && (result.status === null || result.status >= 300) && isRetryable(result.status);
      n++
    ) {
      await sleep(retryDelayMs(this.policy, n), undefined, { signal });
      result = await this.send(open, event);
    }
    return result;
  }

  private async send(open: OpenSink, event: OutgoingCloudEvent): Promise<SendResult> {
    const sink = open();
    try {
      return await sendEvent(
        sink.url,
        event,
        this.policy.timeoutMs,
        this.config.namespace,
        this.config.platformHeaders,
        this.stopping.signal,
      );
    } finally {
      sink.release();
    }
  }
}
