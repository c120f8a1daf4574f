import { resolve } from 'node:path';
import { createMigration } from '../shared/db/migrations/create';
import { findPostgres } from './postgres';

/** `make migration NAME=x`: the next migration, from the schema diff (see shared/db/migrations/create.ts). */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) throw new Error('usage: make migration NAME=<lower_snake_name>');
  const server = await findPostgres();
  try {
    const folder = await createMigration({
      name,
      migrationsDir: resolve('prisma/migrations'),
      schemaFile: resolve('prisma/schema.prisma'),
      databaseUrl: server.adminUrl,
    });
    console.log(folder ? `Created prisma/migrations/${folder}/migration.sql` : 'The schema has not changed: no migration written.');
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
