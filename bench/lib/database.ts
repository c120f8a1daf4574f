import { resolve } from 'node:path';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../../local/postgres';
import { closeDb, createDb, type Db } from '../../shared/db';
import { applyMigrations } from '../../shared/db/migrations/apply';
import { createLogger } from '../../shared/logging/logger';
import { ROOT } from './process';

/** A migrated database of the bench's own, a handle on it, and `drop` for the end of the run. */
export async function benchDatabase(): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_bench');
  const url = await createDatabase(pg.adminUrl, name);
  const db = createDb({ url, poolSize: 4, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
  await applyMigrations(url, resolve(ROOT, 'prisma/migrations'));
  return {
    url,
    db,
    drop: async () => {
      await closeDb(db);
      await dropDatabase(pg.adminUrl, name);
      await pg.stop();
    },
  };
}
