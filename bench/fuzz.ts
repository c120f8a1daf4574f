import fc from 'fast-check';
import { functions } from '../functions/registry';
import { issueApiKey, createMerchant } from '../functions/admin/queries/merchants';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { createOperatorToken } from '../functions/admin/queries/operator-tokens';
import { apiRequests } from '../local/fuzz/api-requests';
import { openApiRequests } from '../local/fuzz/openapi-requests';
import { eventRequests } from '../local/fuzz/event-requests';
import { runFuzz } from '../local/fuzz/run';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { applyMigrations } from '../shared/db/migrations/apply';
import { closeDb, createDb } from '../shared/db';
import { loadConfig, runtimeConfigSchema } from '../shared/config';
import { createLogger } from '../shared/logging/logger';
import { startFunction } from '../shared/runtime';
import { resolve } from 'node:path';

/**
 * `npm run bench:fuzz -- [requests] [seed] [core|admin]`: generated hostile requests (local/fuzz) on a
 * throwaway database. core: the merchant API and the CloudEvents endpoint of a core function serving
 * both (SERVE=all); admin: the operators' API, requests generated from its /admin/openapi.json with an
 * owner token. Prints the figures bench/RESULTS.md records: requests, answers by status, 5xx (must be
 * 0) and 4xx without a problem body (must be 0).
 */
const REQUESTS = Number(process.argv[2] ?? '12000');
const SEED = Number(process.argv[3] ?? '42');
const TARGET = process.argv[4] === 'admin' ? 'admin' : 'core';
const XPUB = accountXpub(MERCHANT_MNEMONIC);

async function main(): Promise<void> {
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_fuzz');
  const url = await createDatabase(pg.adminUrl, name);
  await applyMigrations(url, resolve(__dirname, '../prisma/migrations'));
  const env = {
    PORT: '0',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    DEPOSIT_XPUB: XPUB,
    CHAIN_TOKENS: `USDT=0x${'5f'.repeat(20)}:6`,
  };
  const server = await startFunction(
    TARGET,
    await functions[TARGET](),
    loadConfig(runtimeConfigSchema, env),
    '127.0.0.1',
    env,
  );
  const db = createDb({ url, poolSize: 2, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
  try {
    const merchantId = await createMerchant(db, { name: 'Fuzz shop' });
    const { secret } = await issueApiKey(db, merchantId, 'fuzz', ['invoices:read', 'invoices:write', 'balances:read']);
    const half = Math.ceil(REQUESTS / 2);
    const requests =
      TARGET === 'admin'
        ? fc.sample(
            openApiRequests(
              await (await fetch(`${server.url}/admin/openapi.json`)).json(),
              (await createOperatorToken(db, 'fuzz', 'owner')).secret,
            ),
            { numRuns: REQUESTS, seed: SEED },
          )
        : [
            ...fc.sample(apiRequests(secret), { numRuns: half, seed: SEED }),
            ...fc.sample(eventRequests(), { numRuns: REQUESTS - half, seed: SEED }),
          ];
    const started = performance.now();
    const report = await runFuzz(requests, { api: server.url, events: server.url });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `| target | requests | API | event endpoint | 5xx | 4xx without a problem body | unanswered | seed | time |`,
    );
    console.log(
      `| ${TARGET} | ${String(report.requests)} | ${TARGET === 'admin' ? String(REQUESTS) : String(half)} | ${TARGET === 'admin' ? '0' : String(REQUESTS - half)} | ${String(report.serverErrors.length)} | ${String(report.bare4xx.length)} | ${String(report.unanswered)} | ${String(SEED)} | ${seconds.toFixed(1)} s |`,
    );
    console.log(`answers by status: ${JSON.stringify(report.byStatus)}`);
    for (const failure of report.serverErrors.slice(0, 5)) console.log('5xx:', JSON.stringify(failure).slice(0, 600));
    for (const failure of report.bare4xx.slice(0, 5)) console.log('bare 4xx:', JSON.stringify(failure).slice(0, 600));
    if (report.serverErrors.length > 0 || report.bare4xx.length > 0 || report.unanswered > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    await closeDb(db);
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
