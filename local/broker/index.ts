import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../../shared/logging/logger';
import { OffsetStore } from './groups/offset-store';
import { TopicStore } from './log/topics';
import { Connection } from './server';
import { BrokerState } from './state';

export interface BrokerOptions {
  port?: number;
  host?: string;
  advertisedHost?: string;
  /** Where logs and committed offsets live; null keeps everything in memory (`--memory`). */
  dataDir: string | null;
  partitions?: number;
  autoCreateTopics?: boolean;
  maxFrameBytes?: number;
  segmentBytes?: number;
  retentionBytes?: number | null;
  retentionMs?: number | null;
  logger?: Logger;
}

export interface RunningBroker {
  host: string;
  port: number;
  /** "host:port", what KAFKA_BROKERS takes. */
  address: string;
  close(): Promise<void>;
}

/**
 * The dev broker: a single-node server speaking enough of the Kafka wire protocol for unmodified
 * kafkajs and librdkafka (kcat) clients. No Kafka broker installs from the registries this project
 * reaches, and the tests and `make dev` must run the real Kafka code paths; production uses real Kafka.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const log = options.logger ?? createLogger({ level: 'info', bindings: { service: 'dev-broker' } });
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const state = new BrokerState(
    {
      nodeId: 0,
      advertisedHost: options.advertisedHost ?? host,
      advertisedPort: options.port ?? 0, // the real port once listening
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions: options.partitions ?? 3,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
    },
    new TopicStore(options.dataDir, {
      segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
      retentionBytes: options.retentionBytes ?? null,
      retentionMs: options.retentionMs ?? null,
    }),
    new OffsetStore(options.dataDir),
    log,
  );
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    new Connection(socket, state);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  state.config.advertisedPort = port;
  const advertisedHost = state.config.advertisedHost;
  log.info({ host, port, advertisedHost, dataDir: options.dataDir ?? '(memory)' }, 'dev broker listening');
  return {
    host: advertisedHost,
    port,
    address: `${advertisedHost}:${String(port)}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      state.close();
    },
  };
}
