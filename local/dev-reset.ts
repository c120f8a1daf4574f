import { rm, stat } from 'node:fs/promises';
import { Client } from 'pg';
import { devDatabaseName, devDataDir, readDevState } from './dev-state';
import { answerHelp } from '../shared/cli/help';

/**
 * `make dev-reset`: removes everything make dev made, saying what: .dev-data/ (the dev broker's log,
 * the embedded PostgreSQL if one was used, the mail inbox) and the dev database on the local
 * PostgreSQL. A database given by $DATABASE_URL is the caller's and is left alone.
 */
const LOCAL_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  answerHelp('usage: make dev-reset   removes .dev-data/ and the dev database (make dev must be stopped)');
  const dataDir = devDataDir();
  if (await readDevState(dataDir)) throw new Error('make dev is running: stop it (Ctrl-C) before resetting');
  const removed: string[] = [];
  if (await stat(dataDir).catch(() => null)) {
    await rm(dataDir, { recursive: true, force: true });
    removed.push(`${dataDir} (dev broker data, embedded PostgreSQL, mail)`);
  }
  const name = devDatabaseName();
  if (process.env['DATABASE_URL']) console.log(`DATABASE_URL is set: its database is yours, left as it is`);
  else if (await dropIfExists(LOCAL_ADMIN_URL, name)) removed.push(`database ${name} on 127.0.0.1:5432`);
  console.log(
    removed.length > 0 ? `Removed:\n  ${removed.join('\n  ')}` : 'Nothing to remove: make dev left nothing here',
  );
}

async function dropIfExists(adminUrl: string, name: string): Promise<boolean> {
  const db = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  const reachable = await db.connect().then(
    () => true,
    () => false,
  );
  try {
    if (!reachable) return false;
    const { rowCount } = await db.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) return false;
    await db.query(`DROP DATABASE ${JSON.stringify(name)} WITH (FORCE)`);
    return true;
  } finally {
    await db.end().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
