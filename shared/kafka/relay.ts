import { Client } from 'pg';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { toKafkaMessage, type KafkaCloudEvent } from './binding';
import { OUTBOX_CHANNEL } from './channel';

// The lease: one advisory lock per slot, held by the relay's own session. A relay that dies loses its
// session and so its lease; a standby takes it over. hashtext('knpay-outbox-relay') as the class id.
const LEASE_CLASS_SQL = "hashtext('knpay-outbox-relay')";
export const RELAY_APPLICATION_NAME = 'knpay-outbox-relay';

export interface RelayOptions {
  databaseUrl: string;
  producer: Producer;
  log: Logger;
  batchSize?: number;
  /** The safety-net poll when no notification comes (and the lease retry of a standby). */
  pollMs?: number;
  /**
   * How long a wake waits before reading the outbox, so commits close together share one batch: one
   * read, one produce request and one update for many rows instead of each (Kafka's producers call it
   * linger.ms and wait 5 ms by default since Kafka 4.0). 0: read at once.
   */
  lingerMs?: number;
}

interface OutboxRow {
  id: string;
  event_id: string;
  type: string;
  source: string;
  subject: string;
  topic: string;
  time: Date;
  data: unknown;
  traceparent: string | null;
}

/**
 * Publishes outbox rows to Kafka in id order, which per aggregate is commit order (writes to one
 * aggregate are serialised by its row lock), and marks them published. Published first, marked
 * second: a crash in between republishes (consumers are idempotent), never loses. Only the holder of
 * the lease publishes, so several relays never reorder an aggregate's events; a standby takes over
 * within pollMs when the holder's session ends. Wakes on NOTIFY, and polls as a safety net.
 */
export class OutboxRelay {
  private client: Client | undefined;
  /** Advisory locks are re-entrant: taken once per connection, not once per loop. */
  private leaseHeld = false;
  private wake: (() => void) | undefined;
  /** A commit was announced since the outbox was last read: sleep must not wait for the poll. */
  private notified = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly lingerMs: number;
  /** When the loop last went round or published a batch: a relay stuck longer is not alive. */
  private activeAt = Date.now();
  private publishedCount = 0;

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 1_000;
    this.lingerMs = options.lingerMs ?? 0;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** What the relay's probes and metrics report (bin/relay.ts). */
  get status(): { connected: boolean; leaseHeld: boolean; activeAt: number; published: number } {
    return {
      connected: this.client !== undefined,
      leaseHeld: this.leaseHeld,
      activeAt: this.activeAt,
      published: this.publishedCount,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.activeAt = Date.now();
      try {
        const client = await this.connect();
        if (await this.holdsLease(client)) await this.drain(client);
        await this.sleep();
      } catch (error) {
        this.options.log.warn({ err: { message: (error as Error).message } }, 'outbox relay: retrying after an error');
        await this.disconnect();
        await this.sleep();
      }
    }
    await this.disconnect();
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    // Named, so an operator can tell the relay's sessions apart in pg_stat_activity.
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: RELAY_APPLICATION_NAME });
    client.on('error', () => {
      void this.disconnect();
    });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  /**
   * Takes the lease if it is free, and only then listens for commits: a standby waits for the lease on
   * its poll, so it is not woken (nor is its database session) by every commit the holder publishes.
   */
  private async holdsLease(client: Client): Promise<boolean> {
    if (!this.leaseHeld) {
      const { rows } = await client.query<{ held: boolean }>(
        `SELECT pg_try_advisory_lock(${LEASE_CLASS_SQL}, 0) AS held`,
      );
      if (rows[0]?.held !== true) return false;
      // Listening before the first read: a commit after it is announced, one before it is read.
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.leaseHeld = true;
    }
    return true;
  }

  /** Publishes until the outbox is empty. */
  private async drain(client: Client): Promise<void> {
    for (;;) {
      this.notified = false;
      // Named: prepared once per session, so PostgreSQL does not parse and plan them for every batch.
      const { rows } = await client.query<OutboxRow>({
        name: 'relay-read',
        text: `SELECT id, event_id, type, source, subject, topic, time, data, traceparent
                 FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        values: [this.batchSize],
      });
      if (rows.length === 0) return;
      await this.publish(rows);
      await client.query({
        name: 'relay-mark',
        text: 'UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])',
        values: [rows.map((r) => r.id)],
      });
      this.activeAt = Date.now();
      this.publishedCount += rows.length;
      this.options.log.debug({ published: rows.length }, 'outbox relay: published');
      // A short batch was all there was when read; a commit since then has been announced.
      if (rows.length < this.batchSize && !this.announcedSinceRead()) return;
    }
  }

  /** Read through a method: the flag changes while drain awaits, which its own narrowing cannot see. */
  private announcedSinceRead(): boolean {
    return this.notified;
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    // One request, acks from every replica; kafkajs keeps the messages' order within a partition.
    await this.options.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((row) => toKafkaMessage(toOutgoing(row))),
      })),
    });
  }

  /** Until the poll interval passes or a commit is announced (then lingerMs more); at once when stopped. */
  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.pollMs);
      this.wake = () => {
        this.wake = undefined;
        clearTimeout(timer);
        if (this.stopped || this.lingerMs === 0) resolve();
        else setTimeout(resolve, this.lingerMs);
      };
      // Announced while the last batch was being published, after its read: no need to wait.
      if (this.notified) this.wake();
    });
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leaseHeld = false;
    await client?.end().catch(() => undefined);
  }
}

/** An outbox row as a CloudEvent keyed by its subject, so one aggregate's events share a partition. */
function toOutgoing(row: OutboxRow): KafkaCloudEvent {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: row.event_id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.time.toISOString(),
    datacontenttype: 'application/json',
  };
  if (row.traceparent) attributes['traceparent'] = row.traceparent;
  return { attributes, data: JSON.stringify(row.data), key: row.subject };
}
