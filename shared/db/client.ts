import { PrismaPg } from '@prisma/adapter-pg';
import type { Logger } from 'pino';
import { PrismaClient } from '../../prisma/generated/client';

export type Db = PrismaClient;

export interface DbOptions {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  /** Prepare each distinct statement once per connection (default), or send every one unnamed. */
  preparedStatements?: boolean;
  log: Logger;
}

/**
 * The one Prisma client (and so the one pg pool) of a process. Connections are opened lazily, so a
 * process starts even while the database is down; readiness says when it is reachable.
 */
export function createDb({ url, poolSize, connectTimeoutMs, preparedStatements = true, log }: DbOptions): Db {
  const adapter = new PrismaPg(
    {
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      // The isolation the transactions are written for, whatever the server's default.
      options: '-c default_transaction_isolation=read\\ committed',
    },
    {
      ...(preparedStatements ? { statementNameGenerator: preparedStatementName } : {}),
      // A broken idle connection is normal during a database restart: log it, the pool replaces it.
      onPoolError: (err) => { log.warn({ err: { message: err.message } }, 'database pool connection error'); },
      onConnectionError: (err) => { log.warn({ err: { message: err.message } }, 'database connection error'); },
    },
  );
  return new PrismaClient({ adapter });
}

/**
 * Past this many distinct statements a process sends new ones as the protocol's unnamed statement ('',
 * parsed and planned each time): a named statement stays prepared on its connection for its life.
 */
const MAX_PREPARED_STATEMENTS = 256;
const statementNames = new Map<string, string>();

/**
 * Names each distinct SQL text so node-postgres prepares it once per connection and then only binds
 * and executes it, as pgbench's prepared mode does: PostgreSQL no longer parses and plans the hot
 * statements on every call.
 */
function preparedStatementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED_STATEMENTS) return '';
    name = `knpay_${String(statementNames.size)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** Resolves true when the database answers a trivial query within the deadline. */
export async function pingDb(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => { resolve(false); }, timeoutMs); });
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
