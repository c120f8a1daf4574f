import { defineConfig } from 'prisma/config';

// The Prisma CLI reads this for `prisma generate` / `prisma validate`; in production `prisma migrate deploy`
// takes DATABASE_URL from the environment. The connection string never lives in a file.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://localhost/unset' },
});
