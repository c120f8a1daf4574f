import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { ROOT, spawnServer } from './lib/process';
import { median } from './lib/stats';

/**
 * Cold start of one function (cron, whose tick handler writes inbox + outbox rows in one statement)
 * against the floor, a bare node:http server answering the same request, alternating in one run so a
 * noisy machine weighs on both alike. Time = process spawn → first answered CloudEvent (the pool's
 * first connection is open before the function says it started); then idle RSS after IDLE_MS, by
 * when the function has also started Prisma's engine (start.ts, 1 s). Usage: npm run bench:cold-start [-- runs]
 */
const RUNS = Number(process.argv[2] ?? '15');
const IDLE_MS = 2_000;

interface Sample {
  ms: number;
  rssMb: number;
}

async function coldStart(
  args: string[],
  env: Record<string, string>,
  request: (id: number) => RequestInit,
  id: number,
): Promise<Sample> {
  const started = performance.now();
  const server = await spawnServer(args, env);
  const res = await fetch(`${server.url}/`, request(id));
  const ms = performance.now() - started;
  if (res.status !== 204) {
    server.child.kill('SIGKILL');
    throw new Error(`answered ${String(res.status)}: ${await res.text()}`);
  }
  await sleep(IDLE_MS);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(server.child.pid)}/status`, 'utf8'))?.[1]);
  await server.stop();
  return { ms, rssMb: rssKb / 1024 };
}

const tick = (id: number): RequestInit => ({
  method: 'POST',
  headers: {
    'ce-specversion': '1.0',
    'ce-id': `bench-${String(id)}-${String(Date.now())}`,
    'ce-source': '/apis/v1/namespaces/bench/pingsources/scan-chain',
    'ce-type': 'dev.knative.sources.ping',
    'content-type': 'application/json',
  },
  body: JSON.stringify({ job: 'scan-chain', chainId: 31337 }),
});

async function main(): Promise<void> {
  const server = await findPostgres();
  const name = uniqueDatabaseName('knpay_bench');
  const url = await createDatabase(server.adminUrl, name);
  try {
    await applyMigrations(url, resolve(ROOT, 'prisma/migrations'));
    const fn: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      floor.push(await coldStart(['bench/floor-server.js'], {}, tick, i));
      // As `npm run serve` (the container's entry) starts it.
      fn.push(
        await coldStart(
          ['--v8-pool-size=1', 'bin/launch.js', 'cron'],
          { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '262144', DATABASE_URL: url, LOG_LEVEL: 'info' },
          tick,
          i,
        ),
      );
    }
    const row = (label: string, s: Sample[]) =>
      `| ${label} | ${median(s.map((x) => x.ms)).toFixed(0)} ms | ${Math.min(...s.map((x) => x.ms)).toFixed(0)}–${Math.max(...s.map((x) => x.ms)).toFixed(0)} ms | ${median(s.map((x) => x.rssMb)).toFixed(1)} MB |`;
    console.log(`runs: ${String(RUNS)} each, alternating; node ${process.version}; PostgreSQL: ${server.origin}`);
    console.log('| process | median spawn → first answered CloudEvent | range | median idle RSS |');
    console.log('| --- | --- | --- | --- |');
    console.log(row('cron function (bundle, pool connected, inbox + outbox rows in one statement)', fn));
    console.log(row('floor: bare node:http server', floor));
    console.log(
      `ratio (function / floor, medians): ${(median(fn.map((x) => x.ms)) / median(floor.map((x) => x.ms))).toFixed(2)}x`,
    );
  } finally {
    await dropDatabase(server.adminUrl, name);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
