import { z } from 'zod';
import { env } from './fields';

export const serveModes = ['all', 'events', 'api'] as const;

/** What the function runtime reads from the environment; Knative sets PORT, K_SERVICE and K_REVISION. */
export const runtimeConfigSchema = z.object({
  PORT: env.port().default(8080),
  /** The interface to listen on: every one in a pod (Knative), the loopback under make dev. */
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: env.postgresUrl(),
  DB_POOL_SIZE: env.integer(1, 100).default(5),
  DB_CONNECT_TIMEOUT_MS: env.integer(100, 60_000).default(5_000),
  /** false behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21). */
  DB_PREPARED_STATEMENTS: env.flag().default(true),
  LOG_LEVEL: env.logLevel().default('info'),
  /** Per event (and per HTTP request); below the KafkaSource delivery timeout so our answer arrives first. */
  HANDLER_TIMEOUT_MS: env.integer(10, 600_000).default(30_000),
  BODY_LIMIT_BYTES: env.integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** How long SIGTERM waits for in-flight work; below Kubernetes' default 30 s grace period. */
  SHUTDOWN_TIMEOUT_MS: env.integer(0, 600_000).default(20_000),
  /**
   * What this process serves: `events` (POST / for the platform's sources, and the probes), `api` (the
   * function's public routes, and no event endpoint at all), or `all` (both: a developer's `npm run
   * serve`, tests). In production a function's events arrive on a cluster-local Service set to
   * `events`, its public origin is another Service of the same image set to `api` (docs/security.md).
   */
  SERVE: z.enum(serveModes).default('all'),
  K_SERVICE: z.string().optional(),
  K_REVISION: z.string().optional(),
});

export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
