import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readMigrations } from './folder';

// Prisma's own lock key (prisma-engines, postgres flavour): our runner and `prisma migrate deploy`
// never run at the same time against one database.
const PRISMA_ADVISORY_LOCK = 72707369;

// The table exactly as Prisma's CLI creates it, so `prisma migrate deploy` takes over in production.
const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations of `dir` that the database has not seen, each in its own transaction with
 * its bookkeeping row, so a failed migration leaves nothing behind. Refuses to go on when the history
 * holds a failed migration or an applied migration's file has changed since (as `migrate deploy` does).
 */
export async function applyMigrations(databaseUrl: string, dir: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_BOOKKEEPING);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const failed = rows.find((row) => row.finished_at === null);
    if (failed)
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier; resolve it before migrating (prisma migrate resolve)`,
      );

    const done: string[] = [];
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        if (row.checksum !== migration.checksum)
          throw new MigrationError(`Migration ${migration.name} was modified after it was applied`);
        continue;
      }
      await applyOne(client, migration.name, migration.sql, migration.checksum);
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.end();
  }
}

async function applyOne(client: Client, name: string, sql: string, checksum: string): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), checksum, name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new MigrationError(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
  }
}
