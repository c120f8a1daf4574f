import { resolve } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../../shared/db/migrations/apply';
import { createDatabase, findPostgres, startEmbeddedPostgres } from '../../local/postgres';
import { ROOT } from '../helpers/process';

// The path `make test` and `make dev` take on a fresh machine with no PostgreSQL: this machine has one
// at 127.0.0.1:5432, so the embedded server is started directly here.
describe('embedded PostgreSQL (the fallback when no server answers)', () => {
  it('starts a real server we can create, migrate and query a database on, then stops it', async () => {
    const server = await startEmbeddedPostgres();
    try {
      const url = await createDatabase(server.adminUrl, 'knpay_embedded');
      expect(await applyMigrations(url, resolve(ROOT, 'prisma/migrations'))).not.toHaveLength(0);
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      await client.end();
      expect(Number(rows[0]?.server_version.split('.')[0])).toBeGreaterThanOrEqual(15);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('prefers $DATABASE_URL over anything else', async () => {
    const server = await findPostgres({ DATABASE_URL: 'postgresql://someone@db.example/prod' });
    expect(server.origin).toBe('DATABASE_URL');
    expect(server.adminUrl).toBe('postgresql://someone@db.example/prod');
  });
});
