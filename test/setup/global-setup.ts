import { resolve } from 'node:path';
import { applyMigrations } from '../../shared/db/migrations/apply';
import { createDatabase, findPostgres, uniqueDatabaseName } from '../../local/postgres';
import { testServer } from './state';

/**
 * Finds a PostgreSQL server ($DATABASE_URL, else 127.0.0.1:5432, else an embedded one) and migrates a
 * template database once; each test file clones it (CREATE DATABASE … TEMPLATE) and drops its clone,
 * so runs never collide.
 */
export default async function globalSetup(): Promise<void> {
  const server = await findPostgres();
  // Every database of this run starts with `run`, so the teardown can sweep them all, even those a
  // failed test file left behind.
  const run = uniqueDatabaseName('knpay_test');
  const template = `${run}_template`;
  const url = await createDatabase(server.adminUrl, template);
  await applyMigrations(url, resolve(__dirname, '../../prisma/migrations'));
  process.env['KNPAY_TEST_ADMIN_URL'] = server.adminUrl;
  process.env['KNPAY_TEST_TEMPLATE'] = template;
  process.env['KNPAY_TEST_RUN'] = run;
  testServer.set(server, run);
}
