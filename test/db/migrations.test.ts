import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyMigrations } from '../../shared/db/migrations/apply';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../local/postgres';
import { ROOT, spawnTs } from '../helpers/process';

const MIGRATIONS = resolve(ROOT, 'prisma/migrations');
const admin = () => process.env['KNPAY_TEST_ADMIN_URL'] ?? '';

async function withEmptyDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const name = uniqueDatabaseName('knpay_migrate');
  const url = await createDatabase(admin(), name);
  try {
    await fn(url);
  } finally {
    await dropDatabase(admin(), name);
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'knpay-migrations-'));
  await cp(MIGRATIONS, dir, { recursive: true });
  return dir;
}

describe('the migration runner', () => {
  it('applies every migration once, with the bookkeeping prisma migrate deploy reads', async () => {
    await withEmptyDatabase(async (url) => {
      const first = await applyMigrations(url, MIGRATIONS);
      expect(first.length).toBeGreaterThan(0);
      expect(await applyMigrations(url, MIGRATIONS)).toEqual([]);
      const { Client } = await import('pg');
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        applied_steps_count: number;
        finished_at: Date | null;
      }>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM _prisma_migrations ORDER BY migration_name',
      );
      await client.end();
      expect(rows.map((r) => r.migration_name)).toEqual(first);
      for (const row of rows) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.applied_steps_count).toBe(1);
        expect(row.finished_at).toBeInstanceOf(Date);
      }
    });
  });

  it('leaves nothing behind when a migration fails, and applies it once fixed', async () => {
    const dir = await copyOfMigrations();
    await mkdir(join(dir, '29991231000000_broken'));
    await writeFile(
      join(dir, '29991231000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();',
    );
    await withEmptyDatabase(async (url) => {
      await expect(applyMigrations(url, dir)).rejects.toThrow(/29991231000000_broken failed/);
      await writeFile(join(dir, '29991231000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);');
      expect(await applyMigrations(url, dir)).toEqual(['29991231000000_broken']);
    });
  });

  it('refuses to go on when an applied migration was edited', async () => {
    const dir = await copyOfMigrations();
    await withEmptyDatabase(async (url) => {
      const [name] = await applyMigrations(url, dir);
      await writeFile(join(dir, String(name), 'migration.sql'), '-- edited\n');
      await expect(applyMigrations(url, dir)).rejects.toThrow(/was modified after it was applied/);
    });
  });
});

describe('schema and migrations', () => {
  // In a process of its own: the schema engine is an ES module with WebAssembly, which jest's VM cannot load.
  it('agree: prisma/schema.prisma has no change that lacks a migration (run make migration NAME=…)', async () => {
    const check = spawnTs('local/new-migration.ts', ['--check'], { DATABASE_URL: admin() });
    const { code } = await check.exited;
    expect([code, check.output()]).toEqual([0, 'Schema and migrations agree.\n']);
  });
});
