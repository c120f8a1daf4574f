import { resolve } from 'node:path';
import { z } from 'zod';
import { env, loadConfig } from '../shared/config';
import { applyMigrations } from '../shared/db/migrations/apply';
import { answerHelp } from '../shared/cli/help';

/** `make migrate` and the production migration Job: apply prisma/migrations to $DATABASE_URL. */
async function main(): Promise<void> {
  answerHelp(
    'usage: make migrate (npx tsx bin/migrate.ts): applies prisma/migrations to $DATABASE_URL, in order, once each\n' +
      '  MIGRATIONS_DIR   another folder of migrations (default prisma/migrations)',
  );
  const config = loadConfig(
    z.object({ DATABASE_URL: env.postgresUrl(), MIGRATIONS_DIR: z.string().default('prisma/migrations') }),
  );
  const applied = await applyMigrations(config.DATABASE_URL, resolve(config.MIGRATIONS_DIR));
  console.log(applied.length === 0 ? 'Database is up to date.' : `Applied: ${applied.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
