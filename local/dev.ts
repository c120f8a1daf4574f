import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { functions, type FunctionName } from '../functions/registry';
import { applyMigrations } from '../shared/db/migrations/apply';
import { formatLogLine } from './dev-log';
import { createDatabase, databaseExists, databaseUrl, findPostgres } from './postgres';

/**
 * `make dev`: every function as its own process on localhost, against $DATABASE_URL, else a local
 * PostgreSQL at 127.0.0.1:5432 (database knpay_dev), else an embedded PostgreSQL keeping its data in
 * .dev-data/ (`make dev-reset` clears it). The Kafka broker, the Knative emulator, the chain node and
 * the SMTP inbox join this with the local platform issue.
 */
const FIRST_PORT = Number(process.env['DEV_FIRST_PORT'] ?? '8081');
const DEV_DATABASE = 'knpay_dev';

async function main(): Promise<void> {
  const server = await findPostgres(process.env, {
    dataDir: resolve(process.env['DEV_DATA_DIR'] ?? '.dev-data', 'postgres'),
    port: Number(process.env['DEV_PG_PORT'] ?? '54329'),
    password: 'knpay-dev',
  });
  let url = server.adminUrl;
  if (server.origin !== 'DATABASE_URL') {
    url = (await databaseExists(server.adminUrl, DEV_DATABASE)) ? databaseUrl(server.adminUrl, DEV_DATABASE) : await createDatabase(server.adminUrl, DEV_DATABASE);
  }
  const applied = await applyMigrations(url, resolve('prisma/migrations'));
  console.log(`PostgreSQL: ${server.origin}, ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });

  const names = Object.keys(functions) as FunctionName[];
  const width = Math.max(...names.map((n) => n.length));
  const children = names.map((name, i) => startFunction(name, FIRST_PORT + i, url, width));
  console.log('\nRunning (Ctrl-C stops everything):');
  names.forEach((name, i) => { console.log(`  ${name.padEnd(width)}  http://127.0.0.1:${String(FIRST_PORT + i)}   (POST / for CloudEvents, /health/readiness, /metrics)`); });
  console.log('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await Promise.all(children.map((child) => new Promise<void>((done) => {
      if (child.exitCode !== null) { done(); return; }
      child.once('exit', () => { done(); });
      child.kill('SIGTERM');
    })));
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function startFunction(name: string, port: number, url: string, width: number): ChildProcess {
  // The production entry (shared/runtime/launch.js), as `npm run serve` runs it.
  const child = spawn(process.execPath, ['shared/runtime/launch.js', name], {
    env: { ...process.env, MALLOC_ARENA_MAX: '1', DATABASE_URL: url, PORT: String(port), LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => { console.log(formatLogLine(name, line, width)); });
  }
  child.on('exit', (code, signal) => { if (code !== 0) console.log(formatLogLine(name, `exited (${String(code ?? signal)})`, width)); });
  return child;
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
