import { PrismaPg } from '@prisma/adapter-pg';
import type { Logger } from 'pino';
import { PrismaClient } from '../../prisma/generated/client';

export type Db = PrismaClient;

export interface DbOptions {
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
  log: Logger;
}

/**
 * The one Prisma client (and so the one pg pool) of a process. Connections are opened lazily, so a
 * process starts even while the database is down; readiness says when it is reachable.
 */
export function createDb({ url, poolSize, connectTimeoutMs, log }: DbOptions): Db {
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
      // A broken idle connection is normal during a database restart: log it, the pool replaces it.
      onPoolError: (err) => { log.warn({ err: { message: err.message } }, 'database pool connection error'); },
      onConnectionError: (err) => { log.warn({ err: { message: err.message } }, 'database connection error'); },
    },
  );
  return new PrismaClient({ adapter });
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
