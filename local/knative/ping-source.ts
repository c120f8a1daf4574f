import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import type { OutgoingCloudEvent } from './kafka-source/record-to-event';
import { sendEvent } from './send';

export interface PingSourceConfig {
  name: string;
  namespace: string;
  /** Cron, with an optional leading seconds field; Knative rejects @every. */
  schedule: string;
  timezone?: string;
  contentType?: string;
  data?: string;
  dataBase64?: string;
  sinkUrl: string;
  ceOverrides?: Record<string, string>;
  /** Sent with every tick: the platform's credential for cluster-local sinks (cluster-network.ts). */
  platformHeaders?: Record<string, string>;
}

export interface PingSourceClock {
  now(): Date;
  /** Knative's adapter sleeps a random 0-499 ms before each tick; tests set 0. */
  jitterMs: number;
}

const RETRIES = 5;
const FIRST_BACKOFF_MS = 50;

/** The next firing strictly after `after`, in the source's timezone (Knative applies CRON_TZ). */
export function nextFire(schedule: string, timezone: string | undefined, after: Date): Date {
  if (schedule.trim().startsWith('@every')) throw new Error('PingSource schedules do not accept @every');
  return CronExpressionParser.parse(schedule, { tz: timezone ?? 'Etc/UTC', currentDate: after })
    .next()
    .toDate();
}

/** The event of one tick, as Knative's mtping adapter makes it (knative/eventing,
 * pkg/adapter/mtping/runner.go). */
export function pingEvent(config: PingSourceConfig, now: Date): OutgoingCloudEvent {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: randomUUID(),
    source: `/apis/v1/namespaces/${config.namespace}/pingsources/${config.name}`,
    type: 'dev.knative.sources.ping',
    time: now.toISOString(),
    ...(config.contentType ? { datacontenttype: config.contentType } : {}),
    ...config.ceOverrides,
  };
  const data =
    config.dataBase64 !== undefined
      ? Buffer.from(config.dataBase64, 'base64')
      : config.data !== undefined
        ? Buffer.from(config.data)
        : null;
  return { attributes, data };
}

/**
 * A PingSource: fires on its schedule, sends the tick to its sink, retries 5 times with exponential
 * backoff from 50 ms, and then gives up with a log line (a PingSource has no dead-letter sink).
 */
export class PingSourceEmulator {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: PingSourceConfig,
    private readonly log: Logger,
    private readonly clock: PingSourceClock = { now: () => new Date(), jitterMs: 500 },
  ) {
    nextFire(config.schedule, config.timezone, clock.now()); // refuse a bad schedule at start
  }

  start(): void {
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const at = nextFire(this.config.schedule, this.config.timezone, now);
    this.timer = setTimeout(
      () => {
        void this.tick().finally(() => {
          this.scheduleNext();
        });
      },
      Math.max(0, at.getTime() - now.getTime()),
    );
  }

  private async tick(): Promise<void> {
    if (this.clock.jitterMs > 0)
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * this.clock.jitterMs)));
    const event = pingEvent(this.config, this.clock.now());
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
      const result = await sendEvent(
        this.config.sinkUrl,
        event,
        30_000,
        this.config.namespace,
        this.config.platformHeaders,
      );
      if (result.status !== null && result.status < 300) return;
    }
    this.log.warn(
      { source: this.config.name, id: event.attributes['id'] },
      'ping not delivered after retries: dropped',
    );
  }
}
