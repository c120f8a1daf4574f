import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountXpub, MERCHANT_MNEMONIC } from '../../local/chain/accounts';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../../local/postgres';
import { spawnProcess } from '../helpers/process';
import { codeCacheStep, dockerfileLayout, layOutImage } from '../../ops/image-layout';

// No Docker engine runs here: the image is checked by laying a folder out as the Dockerfile's last
// stage does (its COPY lines, from what make test built) and starting the bundle from it, with no
// node_modules and nothing of the sources.
const { dockerfile, lastStage, copies } = dockerfileLayout();

let image: string;
let database: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  image = mkdtempSync(join(tmpdir(), 'knpay-image-'));
  layOutImage(image);
  // make test's own runs may have left a code cache beside the bundle: the image starts without one.
  for (const file of readdirSync(join(image, 'dist/bin')))
    if (file.endsWith('.cache')) rmSync(join(image, 'dist/bin', file));
  // An empty database, as a new environment's first migration Job finds it.
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_image');
  database = {
    url: await createDatabase(pg.adminUrl, name),
    drop: async () => {
      await dropDatabase(pg.adminUrl, name);
      await pg.stop();
    },
  };
});
afterAll(async () => {
  rmSync(image, { recursive: true, force: true });
  await database.drop();
});

it('is built on Node 24, runs as a user, and copies what the manifests run', () => {
  expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, base]) => base)).toEqual([
    'node:24-bookworm-slim',
    'node:24-bookworm-slim',
  ]);
  expect(lastStage).toMatch(/^USER 1000$/m);
  expect(copies.map((c) => c.to)).toEqual(['dist', 'bin/launch.js', 'prisma/migrations']);
  const scripts = ['bin/launch.js', 'dist/bin/serve.js', 'dist/bin/relay.js', 'dist/bin/migrate.js'];
  for (const script of [...scripts, 'dist/functions/payment/chain-source/main.js'])
    expect(existsSync(join(image, script))).toBe(true);
  expect(existsSync(join(image, 'node_modules'))).toBe(false);
});

it('installs with the fixes the project carries for its dependencies, before bundling them', () => {
  const build = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
  const step = (pattern: RegExp) => build.search(pattern);
  expect(step(/^COPY patches \.\/patches$/m)).toBeGreaterThan(-1);
  expect(step(/^COPY patches \.\/patches$/m)).toBeLessThan(step(/^RUN npm ci\b/m));
  expect(step(/^RUN npm ci\b/m)).toBeLessThan(step(/node build\.mjs/m));
});

it('migrates a database and serves core from that folder alone', async () => {
  const env = { DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'info' };
  const migrate = spawnProcess(process.execPath, ['dist/bin/migrate.js'], env, { cwd: image });
  expect((await migrate.exited).code).toBe(0);
  expect(migrate.output()).toMatch(/Applied: 20261125020818_init/);
  const core = spawnProcess(
    process.execPath,
    ['--v8-pool-size=1', 'bin/launch.js', 'core'],
    { ...env, DEPOSIT_XPUB: accountXpub(MERCHANT_MNEMONIC) },
    { cwd: image },
  );
  try {
    const line = await core.waitFor(/"function started"/, 20_000);
    const url = `http://127.0.0.1:${String((JSON.parse(line) as { port: number }).port)}`;
    expect((await fetch(`${url}/health/readiness`)).status).toBe(200);
    // The checkout page's assets are read from beside the bundle.
    expect(await (await fetch(`${url}/checkout/nope`)).text()).toContain('Invoice not found');
  } finally {
    core.child.kill('SIGTERM');
    await core.exited;
  }
}, 60_000);

it('carries the code cache the build stage writes, and starts from it without writing', async () => {
  // The build stage's line, run as it is written there.
  const { env, args } = codeCacheStep();
  const write = spawnProcess(process.execPath, args, env, { cwd: image });
  expect((await write.exited).code).toBe(0);
  const [cache] = readdirSync(join(image, 'dist/bin')).filter((file) => file.endsWith('.cache'));
  expect(cache).toBeDefined();
  const written = statSync(join(image, 'dist/bin', cache ?? '')).mtimeMs;

  // A function started from it: V8 takes the cache (launch.js would write a new one after warm-up if V8
  // rejected it), so nothing is written and a read-only root file system loses nothing.
  const cron = spawnProcess(
    process.execPath,
    ['--v8-pool-size=1', 'bin/launch.js', 'cron'],
    { DATABASE_URL: database.url, PORT: '0' },
    { cwd: image },
  );
  try {
    await cron.waitFor(/"function started"/, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(readdirSync(join(image, 'dist/bin')).filter((file) => file.endsWith('.cache'))).toEqual([cache]);
    expect(statSync(join(image, 'dist/bin', cache ?? '')).mtimeMs).toBe(written);
  } finally {
    cron.child.kill('SIGTERM');
    await cron.exited;
  }
}, 60_000);
