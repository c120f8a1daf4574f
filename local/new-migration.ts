import { resolve } from 'node:path';
import { createMigration, diffSchema } from './db/create-migration';
import { findPostgres } from './postgres';
import { answerHelp } from '../shared/cli/help';

/**
 * `make migration NAME=x`: the next migration, from the schema diff (see local/db/create-migration.ts).
 * `--check`: exit 1 when prisma/schema.prisma has changes no migration holds yet.
 */
async function main(): Promise<void> {
  answerHelp(
    'usage: make migration NAME=<lower_snake_name>   the next migration, from the schema diff\n' +
      '       make migration-check                  exit 1 when the schema has changes no migration holds',
  );
  const name = process.argv[2];
  if (!name) throw new Error('usage: make migration NAME=<lower_snake_name>   (or --check)');
  const server = await findPostgres();
  try {
    if (name === '--check') {
      const pending = await diffSchema(server.adminUrl, resolve('prisma/migrations'), resolve('prisma/schema.prisma'));
      if (pending !== '') {
        console.error(
          `prisma/schema.prisma has changes without a migration (run make migration NAME=...):\n${pending}`,
        );
        process.exitCode = 1;
      } else console.log('Schema and migrations agree.');
      return;
    }
    const folder = await createMigration({
      name,
      migrationsDir: resolve('prisma/migrations'),
      schemaFile: resolve('prisma/schema.prisma'),
      databaseUrl: server.adminUrl,
    });
    console.log(
      folder
        ? `Created prisma/migrations/${folder}/migration.sql`
        : 'The schema has not changed: no migration written.',
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
