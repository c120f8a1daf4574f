import { Decimal, sql, type Sql } from '@prisma/client-runtime-utils';
import type * as PrismaAdapter from '@prisma/adapter-pg';
import pg from 'pg';
import type { Logger } from 'pino';
import type * as GeneratedClient from '../../prisma/generated/client';
import type { PrismaClient } from '../../prisma/generated/client';

/**
 * The one Prisma client of a process, with `sql`: the same pool, for the statements the runtime writes
 * itself in SQL (inStatement, the readiness ping).
 */
export type Db = PrismaClient & { readonly sql: SqlRunner };

export interface SqlRunner {
  readonly pool: pg.Pool;
  /** Runs one statement and gives back its rows, as node-postgres parses them. */
  query<Row extends pg.QueryResultRow>(statement: Sql): Promise<Row[]>;
}

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
 * process starts even while the database is down; readiness says when it is reachable. Close it with
 * closeDb: the pool is ours, and Prisma's $disconnect leaves it open.
 *
 * Prisma itself (its runtime, the generated client, the adapter) is loaded and built at the first use
 * of the client, not at start: ~15 ms of a cold start that a function whose events are single
 * statements (db.sql) never needs. Its query compiler loads at its first query, as Prisma does anyway.
 */
export function createDb({ url, poolSize, connectTimeoutMs, preparedStatements = true, log }: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    // The isolation the transactions are written for, whatever the server's default.
    options: '-c default_transaction_isolation=read\\ committed',
  });
  // A broken idle connection is normal during a database restart: log it, the pool replaces it.
  pool.on('error', (err) => {
    log.warn({ err: { message: err.message } }, 'database pool connection error');
  });
  const statementName = preparedStatements ? preparedStatementName : () => undefined;
  const sqlRunner: SqlRunner = {
    pool,
    query: async <Row extends pg.QueryResultRow>(statement: Sql) => {
      const { text } = statement;
      const result = await pool.query<Row>({
        text,
        values: statement.values.map(toParameter),
        name: statementName(text),
      });
      return result.rows;
    },
  };
  let client: PrismaClient | undefined;
  const prisma = () => (client ??= createPrismaClient(pool, preparedStatements, log));
  return new Proxy({} as Db, {
    get(_target, property) {
      if (property === 'sql') return sqlRunner;
      if (property === '$disconnect' && client === undefined) return () => Promise.resolve();
      const target = prisma();
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function createPrismaClient(pool: pg.Pool, preparedStatements: boolean, log: Logger): PrismaClient {
  /* eslint-disable @typescript-eslint/no-require-imports -- required here, at first use (createDb says why) */
  const { PrismaPg } = require('@prisma/adapter-pg') as typeof PrismaAdapter;
  const { PrismaClient } = require('../../prisma/generated/client') as typeof GeneratedClient;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const adapter = new PrismaPg(pool, {
    ...(preparedStatements
      ? { statementNameGenerator: (query: { sql: string }) => preparedStatementName(query.sql) ?? '' }
      : {}),
    onConnectionError: (err) => {
      log.warn({ err: { message: err.message } }, 'database connection error');
    },
  });
  return new PrismaClient({ adapter });
}

/** Closes what createDb opened: Prisma's engine, when a query started it, and the pool. */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect();
  if (!db.sql.pool.ended) await db.sql.pool.end();
}

// node-postgres writes strings, numbers, bigints, Dates, arrays and JSON as Prisma's raw queries do,
// but a Decimal would be written as JSON (a quoted string), so it goes as its digits.
function toParameter(value: unknown): unknown {
  return Decimal.isDecimal(value) ? value.toFixed() : value;
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
function preparedStatementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED_STATEMENTS) return undefined;
    name = `knpay_${String(statementNames.size)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Resolves true when the database answers a trivial query within the deadline. */
export async function pingDb(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([db.sql.query(sql`SELECT 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
