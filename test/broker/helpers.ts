import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startBroker, type BrokerOptions, type RunningBroker } from '../../local/broker';
import { createLogger } from '../../shared/logging/logger';

export const quietLogger = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

export function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<RunningBroker> {
  return startBroker({ dataDir: null, logger: quietLogger, ...options });
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `knpay-${prefix}-`));
}

export function kafkaClient(address: string, clientId = 'test'): Kafka {
  return new Kafka({
    brokers: [address],
    clientId,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
}

export function producerFor(kafka: Kafka) {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
}

export async function eventually<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${String(timeoutMs)} ms; last value: ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
