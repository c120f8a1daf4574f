import { userInfo } from 'node:os';
import { z } from 'zod';
import { env, loadConfig } from '../../../shared/config';
import { closeDb, createDb, type Db } from '../../../shared/db';
import { createLogger } from '../../../shared/logging/logger';
import type { Actor } from '../services/audited';

/** The operator's commands run against $DATABASE_URL, one connection, closed when the work is done. */
export async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig(z.object({ DATABASE_URL: env.postgresUrl() }));
  const db = createDb({
    url: config.DATABASE_URL,
    poolSize: 1,
    connectTimeoutMs: 5_000,
    log: createLogger({ level: 'warn' }),
  });
  try {
    return await work(db);
  } finally {
    await closeDb(db);
  }
}

/** A command's changes are audited as the machine's user, with no token (it had the database's URL). */
export const cliActor = (): Actor => ({ tokenId: null, name: `cli:${userInfo().username}`, requestId: null });
