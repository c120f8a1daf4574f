import { Client } from 'pg';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../local/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env['KNPAY_TEST_ADMIN_URL'];
  if (!url) throw new Error('KNPAY_TEST_ADMIN_URL is unset: run the tests through jest (test/setup/global-setup.ts)');
  return url;
}

/** A migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueDatabaseName(`${process.env['KNPAY_TEST_RUN'] ?? 'knpay_test'}_db`);
  const url = await cloneTemplate(name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    query: async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await client.query<R>(sql, params)).rows,
    drop: async () => {
      await client.end();
      await dropDatabase(adminUrl(), name);
    },
  };
}

// Two clones of one template at the same instant can collide ("being accessed by other users"): retry.
async function cloneTemplate(name: string, attempt = 1): Promise<string> {
  try {
    return await createDatabase(adminUrl(), name, process.env['KNPAY_TEST_TEMPLATE']);
  } catch (error) {
    if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
    await new Promise((r) => setTimeout(r, 100 * attempt));
    return cloneTemplate(name, attempt + 1);
  }
}
