import { resolve } from 'node:path';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { createMerchant, issueApiKey } from '../functions/admin/queries/merchants';
import { closeDb, createDb } from '../shared/db';
import { createLogger } from '../shared/logging/logger';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { closedLoop, type LoadResult } from './lib/load';
import { ROOT, spawnServer, type Server } from './lib/process';
import { median, percentile } from './lib/stats';

/**
 * Invoices created per second through the merchant API (the core function as production runs it:
 * the bundle, API key check, zod validation, a deposit address derived from the xpub, the
 * Idempotency-Key claim, the invoice and its invoice.created outbox event in one transaction),
 * against the floor: a bare express route inserting one invoice row through Prisma. Both run as
 * their own process with the same pool size against the same database, in alternating rounds, under
 * the same closed-loop load from this process.
 * Usage: npm run bench:invoices [-- rounds seconds concurrency]
 */
const ROUNDS = Number(process.argv[2] ?? '3');
const SECONDS = Number(process.argv[3] ?? '10');
const CONCURRENCY = Number(process.argv[4] ?? '16');
const POOL_SIZE = '10';

function post(url: string, headers: Record<string, string>, body: unknown): Promise<boolean> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(
    async (res) => {
      await res.arrayBuffer();
      return res.status === 201;
    },
    () => false,
  );
}

async function measure(server: Server, headers: () => Record<string, string>): Promise<LoadResult> {
  const url = `${server.url}/v1/invoices`;
  const body = { asset: 'ETH', amount: '1000000000000000', metadata: { orderId: 'bench' } };
  await closedLoop(CONCURRENCY, 1_000, () => post(url, headers(), body)); // warm-up: pool, JIT
  return closedLoop(CONCURRENCY, SECONDS * 1_000, () => post(url, headers(), body));
}

async function main(): Promise<void> {
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_bench');
  const url = await createDatabase(pg.adminUrl, name);
  const admin = createDb({ url, poolSize: 1, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
  try {
    await applyMigrations(url, resolve(ROOT, 'prisma/migrations'));
    const merchantId = await createMerchant(admin, { name: 'Bench shop' });
    const { secret } = await issueApiKey(admin, merchantId, 'bench', ['invoices:write']);
    const env = {
      DATABASE_URL: url,
      DB_POOL_SIZE: POOL_SIZE,
      MALLOC_ARENA_MAX: '1',
      MALLOC_MMAP_THRESHOLD_: '262144',
      LOG_LEVEL: 'info',
    };
    const core = await spawnServer(['--v8-pool-size=1', 'bin/launch.js', 'core'], {
      ...env,
      DEPOSIT_XPUB: accountXpub(MERCHANT_MNEMONIC),
    });
    const floor = await spawnServer(['--import', 'tsx', 'bench/invoice-floor.ts'], { ...env, MERCHANT_ID: merchantId });
    let n = 0;
    const api: LoadResult[] = [];
    const bare: LoadResult[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(await measure(floor, () => ({})));
        // Every request carries its own Idempotency-Key, as a careful merchant's client sends.
        api.push(
          await measure(core, () => ({ authorization: `Bearer ${secret}`, 'idempotency-key': `bench-${String(n++)}` })),
        );
      }
    } finally {
      await core.stop();
      await floor.stop();
    }
    const row = (label: string, results: LoadResult[]) => {
      const latencies = results.flatMap((r) => r.latenciesMs);
      const failed = results.reduce((sum, r) => sum + r.failed, 0);
      return `| ${label} | ${median(results.map((r) => r.perSecond)).toFixed(0)}/s | ${results.map((r) => r.perSecond.toFixed(0)).join(', ')} | ${percentile(latencies, 50).toFixed(1)} ms | ${percentile(latencies, 99).toFixed(1)} ms | ${String(failed)} |`;
    };
    console.log(
      `${String(ROUNDS)} rounds of ${String(SECONDS)} s each, alternating; ${String(CONCURRENCY)} concurrent requests; pool ${POOL_SIZE}; node ${process.version}; PostgreSQL: ${pg.origin}`,
    );
    console.log('| server | median rate | rounds | p50 | p99 | failed |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(row('merchant API: POST /v1/invoices (core function)', api));
    console.log(row('floor: express + one Prisma insert', bare));
    console.log(
      `ratio (API / floor, median rates): ${(median(api.map((r) => r.perSecond)) / median(bare.map((r) => r.perSecond))).toFixed(2)}`,
    );
  } finally {
    await closeDb(admin);
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
