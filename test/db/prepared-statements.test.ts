import { closeDb, createDb, type Db } from '../../shared/db';
import { runtimeConfigSchema } from '../../shared/config';
import { ConfigError, loadConfig } from '../../shared/config/load';
import { createLogger } from '../../shared/logging/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
const clients: Db[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(clients.map(closeDb));
  await database.drop();
});

/** One connection, so the session that prepared a statement is the one asked about it. */
function oneConnection(preparedStatements: boolean): Db {
  const db = createDb({
    url: database.url,
    poolSize: 1,
    connectTimeoutMs: 5_000,
    preparedStatements,
    log: createLogger({ level: 'silent' }),
  });
  clients.push(db);
  return db;
}

async function preparedOnSession(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<
    { statement: string }[]
  >`SELECT statement FROM pg_prepared_statements ORDER BY prepare_time`;
  return rows.map((row) => row.statement);
}

describe('prepared statements', () => {
  it('prepares each distinct statement once per connection, and answers the same through it', async () => {
    const db = oneConnection(true);
    const answers = [];
    for (const n of [1, 2, 3]) answers.push(await db.$queryRaw<{ n: number }[]>`SELECT ${n}::int + 1 AS n`);
    expect(answers).toEqual([[{ n: 2 }], [{ n: 3 }], [{ n: 4 }]]);
    const prepared = await preparedOnSession(db);
    expect(prepared.filter((sql) => sql.includes('+ 1 AS n'))).toHaveLength(1);
  });

  it('prepares nothing when turned off (a transaction-mode pooler)', async () => {
    const db = oneConnection(false);
    await db.$queryRaw`SELECT 1 AS one`;
    expect(await preparedOnSession(db)).toEqual([]);
  });

  it('is turned off by DB_PREPARED_STATEMENTS=false, and a bad value names the variable', () => {
    const base = { DATABASE_URL: database.url };
    expect(loadConfig(runtimeConfigSchema, base).DB_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig(runtimeConfigSchema, { ...base, DB_PREPARED_STATEMENTS: 'false' }).DB_PREPARED_STATEMENTS).toBe(
      false,
    );
    expect(() => loadConfig(runtimeConfigSchema, { ...base, DB_PREPARED_STATEMENTS: 'off' })).toThrow(ConfigError);
    expect(() => loadConfig(runtimeConfigSchema, { ...base, DB_PREPARED_STATEMENTS: 'off' })).toThrow(
      /DB_PREPARED_STATEMENTS/,
    );
  });
});
