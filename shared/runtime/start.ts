import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeConfig } from '../config';
import {
  closeDb,
  createDb,
  createOutboxTransaction,
  createStatementRunner,
  createTransactionRunner,
  type Db,
} from '../db';
import { createLogger, type Logger } from '../logging/logger';
import { Lifecycle } from './lifecycle';
import { createMetrics } from './metrics';
import { createServer } from './server';
import type { FunctionModule } from './types';

export interface RunningFunction {
  name: string;
  port: number;
  url: string;
  db: Db;
  log: Logger;
  /** Graceful stop: refuse new work, let in-flight work finish within SHUTDOWN_TIMEOUT_MS, close the pool. */
  stop(): Promise<{ drained: boolean }>;
}

/** Starts one function: its pool, its server on PORT, ready for events once it answers. */
export async function startFunction(
  name: string,
  module: FunctionModule,
  config: RuntimeConfig,
  host = '0.0.0.0',
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningFunction> {
  const service = config.K_SERVICE ?? name;
  const log = createLogger({
    level: config.LOG_LEVEL,
    bindings: { service, ...(config.K_REVISION ? { revision: config.K_REVISION } : {}) },
  });
  const db = createDb({
    url: config.DATABASE_URL,
    poolSize: config.DB_POOL_SIZE,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    preparedStatements: config.DB_PREPARED_STATEMENTS,
    log,
  });
  // Open one pooled connection, so the first event does not pay for it, while the rest of the start
  // goes on (most of a connection's time is the server's). A database that is down does not stop the
  // start: readiness reports it.
  const connected = db.sql.pool.query('SELECT 1').then(
    () => undefined,
    (err: unknown) => {
      log.warn({ err: { message: (err as Error).message } }, 'database not reachable at start');
    },
  );
  const lifecycle = new Lifecycle();
  const metrics = createMetrics({ service, ...(config.K_REVISION ? { revision: config.K_REVISION } : {}) });
  const transactionOptions = { source: `/knpay/${name}`, timeoutMs: config.HANDLER_TIMEOUT_MS };
  const inTransaction = createTransactionRunner(db, transactionOptions);
  const inStatement = createStatementRunner(db, transactionOptions);
  const transaction = createOutboxTransaction(db, transactionOptions);
  const serviceContext = { name, log, db, config, env, transaction };

  await module.init?.(serviceContext);
  const server = await listen(
    createServer({ module, metrics, lifecycle, inTransaction, inStatement, service: serviceContext }),
    config.PORT,
    host,
  );
  server.requestTimeout = config.HANDLER_TIMEOUT_MS + 5_000;
  const port = (server.address() as AddressInfo).port;
  await connected;
  // Time since the process began: the cold start Knative's activator makes a first request wait for.
  log.info({ port, handles: module.handle.types, startupMs: Math.round(performance.now()) }, 'function started');
  const prismaWarmup = warmPrismaWhenIdle(db, lifecycle);

  let stopping: Promise<{ drained: boolean }> | undefined;
  const stop = async () => {
    clearTimeout(prismaWarmup.timer);
    log.info({ inflight: lifecycle.inflightCount }, 'shutting down');
    const closed = new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    server.closeIdleConnections();
    const drained = await lifecycle.drain(config.SHUTDOWN_TIMEOUT_MS);
    // Idle keep-alive sockets would hold close() open; in-flight replies have been written by now.
    server.closeAllConnections();
    await closed;
    await module.shutdown?.();
    await closeDb(db);
    log.info({ drained }, 'stopped');
    return { drained };
  };
  return { name, port, url: `http://127.0.0.1:${String(port)}`, db, log, stop: () => (stopping ??= stop()) };
}

/** When launch.js writes its code cache (WRITE_CACHE_AFTER_MS there): the warm-up comes before it. */
const PRISMA_WARMUP_AFTER_MS = 1_000;
const IDLE_RETRY_MS = 100;

/**
 * Prisma is loaded and its engine (the query compiler, ~40 ms) started at the first use of the client
 * (shared/db/client.ts), not on the way to the first event. Once the function has started and is idle,
 * it is done here: a later first query does not pay for it, and the code cache launch.js writes holds
 * Prisma's code for the next cold start. A database that is down only delays it to the first query.
 */
function warmPrismaWhenIdle(db: Db, lifecycle: Lifecycle): { timer: NodeJS.Timeout | undefined } {
  const warmup: { timer: NodeJS.Timeout | undefined } = { timer: undefined };
  const attempt = () => {
    if (lifecycle.shuttingDown) return;
    if (lifecycle.inflightCount > 0) warmup.timer = setTimeout(attempt, IDLE_RETRY_MS).unref();
    else db.$connect().catch(() => undefined);
  };
  warmup.timer = setTimeout(attempt, PRISMA_WARMUP_AFTER_MS).unref();
  return warmup;
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => {
      resolve(server);
    });
    server.once('error', reject);
    server.listen(port, host);
  });
}
