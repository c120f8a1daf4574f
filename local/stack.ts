import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { ensureTopics } from '../shared/kafka/topics';
import { startBroker, type RunningBroker } from './broker';
import { startChainNode, type ChainNode } from './chain/node';
import { startPlatform } from './knative/platform';

export interface StackOptions {
  databaseUrl: string;
  /** Kafka to use; else a dev broker is started (on brokerPort, writing to brokerDataDir). */
  kafkaBrokers?: string | undefined;
  brokerPort?: number;
  brokerDataDir?: string | null;
  /** A chain to follow; else a hardhat node is started on chainPort. */
  chainRpcUrl?: string | undefined;
  chainPort?: number;
  depositXpub: string;
  /** Where the notification function sends mail (make dev: its MailDev inbox). */
  smtpUrl: string;
  /** Seals webhook endpoints' secrets (WEBHOOK_SECRET_KEY): make dev keeps one in .dev-data. */
  webhookSecretKey: string;
  manifestsDir?: string;
  /** Environment every function and source process gets (PATH, LOG_LEVEL, …). */
  env: Record<string, string>;
  /** Values in place of knative/base's ConfigMaps, by "<configmap>/<key>" (the checkout origin, …). */
  configMaps?: Record<string, string>;
  idleMs: number;
  /** 0: every service on a free port. */
  firstPort: number;
  log: Logger;
  onLine?: (service: string, line: string) => void;
}

/**
 * The whole system on this machine, from knative/base: Kafka (the dev broker unless given), the
 * chain (hardhat unless given), and the Knative emulator with every function, source and Deployment
 * (the outbox relay's replicas, processes of their own as in production). What `make dev` runs, and
 * what the end-to-end benchmarks measure.
 */
export async function startStack(options: StackOptions) {
  const chainNode: ChainNode | undefined = options.chainRpcUrl
    ? undefined
    : await startChainNode({ ...(options.chainPort === undefined ? {} : { port: options.chainPort }) });
  const chainRpcUrl = options.chainRpcUrl ?? chainNode?.url ?? '';
  const broker: RunningBroker | undefined = options.kafkaBrokers
    ? undefined
    : await startBroker({
        port: options.brokerPort ?? 0,
        dataDir: options.brokerDataDir ?? null,
        logger: options.log.child({ component: 'dev-broker' }),
      });
  const brokers = options.kafkaBrokers ?? broker?.address ?? '';
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'knpay-local', logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, options.log);
  await admin.disconnect();
  const platform = await startPlatform({
    manifestsDir: options.manifestsDir ?? resolve(__dirname, '../knative/base'),
    secrets: {
      'knpay-database/url': options.databaseUrl,
      'knpay-chain/rpc-url': chainRpcUrl,
      'knpay-wallet/xpub': options.depositXpub,
      'knpay-smtp/url': options.smtpUrl,
      'knpay-webhooks/secret-key': options.webhookSecretKey,
    },
    env: { ...options.env, KAFKA_BROKERS: brokers },
    ...(options.configMaps ? { configMaps: options.configMaps } : {}),
    idleMs: options.idleMs,
    firstPort: options.firstPort,
    log: options.log.child({ component: 'knative' }),
    kafka,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  return {
    platform,
    brokers,
    broker,
    chainRpcUrl,
    chainNode,
    kafka,
    stop: async () => {
      await platform.stop();
      await broker?.close();
      await chainNode?.stop();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
