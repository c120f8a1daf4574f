import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { functions } from '../functions/registry';
import { createOperatorToken } from '../functions/admin/queries/operator-tokens';
import { invoiceSearchSql, type InvoiceSearch } from '../functions/admin/queries/invoices';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { loadConfig, runtimeConfigSchema } from '../shared/config';
import { closeDb, createDb } from '../shared/db';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createLogger } from '../shared/logging/logger';
import { startFunction } from '../shared/runtime';
import { median, percentile } from './lib/stats';

/**
 * `npm run bench:admin-search -- [invoices] [runs]`: the operators' invoice search on a seeded dataset
 * (1,000,000 invoices across 1,000 merchants by default, 30 % paid with a payment each, their events in
 * the event log), seeded with generate_series, not the API. Each query type through the HTTP API `runs`
 * times with varying values: median and p99 (targets 50 ms and 200 ms), and its plan (EXPLAIN ANALYZE).
 */
const INVOICES = Number(process.argv[2] ?? '1000000');
const RUNS = Number(process.argv[3] ?? '40');
const MERCHANTS = 1000;
const TOKEN_ASSET = `0x${'5f'.repeat(20)}`;

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;
const day = (n: number) => new Date(Date.now() - n * 86_400_000);

/** Each query type: the search (for the plan) and its query string, from a varying number. */
const queries: { name: string; search: (n: number) => Omit<InvoiceSearch, 'limit'> }[] = [
  { name: 'by merchant', search: (n) => ({ merchantId: merchantUuid(n % MERCHANTS) }) },
  { name: 'by status', search: (n) => ({ status: ['New', 'Processing', 'Expired', 'Invalid'][n % 4] }) },
  { name: 'by additional status', search: () => ({ additionalStatus: 'PaidPartial' }) },
  { name: 'by asset', search: () => ({ asset: TOKEN_ASSET }) },
  {
    name: 'by amount range',
    search: (n) => ({ amountMin: String((n % 90) * 100_000), amountMax: String((n % 90) * 100_000 + 50_000) }),
  },
  { name: 'by date range', search: (n) => ({ createdFrom: day((n % 300) + 2), createdTo: day((n % 300) + 1) }) },
  {
    name: 'merchant + status + dates',
    // A merchant with Settled invoices: the seed's status follows n mod 10, its merchant n mod 1000.
    search: (n) => ({ merchantId: merchantUuid((n * 10 + 2) % MERCHANTS), status: 'Settled', createdFrom: day(200) }),
  },
  { name: 'by order id', search: (n) => ({ orderId: `ORD-${String(((n * 7919) % INVOICES) + 1)}` }) },
  {
    name: 'by tx hash',
    search: (n) => ({ txHash: hex(((n * 7919) % INVOICES) - (((n * 7919) % INVOICES) % 10) + 1, 64) }),
  },
  { name: 'by deposit address', search: (n) => ({ depositAddress: hex(((n * 7919) % INVOICES) + 1, 40) }) },
];

/** Merchant k's id: fixed, so the seed and the queries agree without a lookup. */
function merchantUuid(k: number): string {
  return `00000000-0000-4000-8000-${(k + 1).toString(16).padStart(12, '0')}`;
}

function queryString(search: Omit<InvoiceSearch, 'limit'>): string {
  const params = new URLSearchParams({ limit: '50' });
  for (const [key, value] of Object.entries(search as Record<string, string | Date | undefined>))
    if (value !== undefined) params.set(key, value instanceof Date ? value.toISOString() : value);
  return params.toString();
}

async function main(): Promise<void> {
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_admin_search');
  const url = await createDatabase(pg.adminUrl, name);
  const db = createDb({ url, poolSize: 4, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
  try {
    await applyMigrations(url, resolve(__dirname, '../prisma/migrations'));
    const seeded = performance.now();
    await seed(db);
    console.log(
      `seeded ${String(INVOICES)} invoices in ${((performance.now() - seeded) / 1000).toFixed(1)} s (generate_series, then ANALYZE)`,
    );
    const env = { PORT: '0', DATABASE_URL: url, LOG_LEVEL: 'silent', SERVE: 'api' };
    const admin = await startFunction(
      'admin',
      await functions.admin(),
      loadConfig(runtimeConfigSchema, env),
      '127.0.0.1',
      env,
    );
    const token = (await createOperatorToken(db, 'bench', 'viewer')).secret;
    try {
      console.log(`\n| query | median | p99 | rows (first run) |\n| --- | --- | --- | --- |`);
      const plans: string[] = [];
      for (const query of queries) {
        const times: number[] = [];
        let rows = 0;
        for (let n = 0; n < RUNS; n++) {
          const started = performance.now();
          const res = await fetch(`${admin.url}/admin/v1/invoices?${queryString(query.search(n))}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await res.json()) as { data?: unknown[] };
          times.push(performance.now() - started);
          if (res.status !== 200) throw new Error(`${query.name}: ${String(res.status)} ${JSON.stringify(body)}`);
          if (n === 0) rows = body.data?.length ?? 0;
        }
        console.log(
          `| ${query.name} | ${median(times).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms | ${String(rows)} |`,
        );
        const sql = invoiceSearchSql({ ...query.search(1), limit: 50 });
        const plan = await db.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ANALYZE ${sql.text}`, ...sql.values);
        plans.push(`${query.name}:\n${plan.map((line) => `    ${line['QUERY PLAN']}`).join('\n')}`);
      }
      console.log(`\nplans (EXPLAIN ANALYZE, second value of each query):\n${plans.join('\n\n')}`);
    } finally {
      await admin.stop();
    }
  } finally {
    await closeDb(db);
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}

async function seed(db: ReturnType<typeof createDb>): Promise<void> {
  await db.$executeRawUnsafe(`
    INSERT INTO merchants (id, name, created_at, updated_at)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid, 'Shop ' || k, now(), now()
    FROM generate_series(1, ${String(MERCHANTS)}) k`);
  // Spread over a year, newest last; statuses and assets in fixed proportions; every tenth invoice's
  // n ends in 1 .. 3: paid, with a payment whose hash is n's.
  await db.$executeRawUnsafe(`
    INSERT INTO invoices (id, merchant_id, status, additional_status, chain_id, asset, amount, amount_paid,
                          deposit_address, address_index, confirmations_required, metadata, expires_at,
                          monitoring_until, created_at, updated_at)
    SELECT gen_random_uuid(),
           ('00000000-0000-4000-8000-' || lpad(to_hex(n % ${String(MERCHANTS)} + 1), 12, '0'))::uuid,
           (ARRAY['New','Processing','Settled','Settled','Settled','Expired','Expired','Invalid','New','Settled'])[n % 10 + 1]::invoice_status,
           (CASE WHEN n % 97 = 0 THEN 'PaidPartial' WHEN n % 89 = 0 THEN 'PaidOver' ELSE 'None' END)::invoice_additional_status,
           31337,
           CASE WHEN n % 5 = 0 THEN '${TOKEN_ASSET}' ELSE 'native' END,
           (n::bigint * 7919) % 9000000 + 1000, 0,
           '0x' || lpad(to_hex(n), 40, '0'), n, 1,
           jsonb_build_object('orderId', 'ORD-' || n),
           now() - make_interval(secs => (${String(INVOICES)} - n) * 31.5) + interval '15 minutes',
           now() - make_interval(secs => (${String(INVOICES)} - n) * 31.5) + interval '1 day',
           now() - make_interval(secs => (${String(INVOICES)} - n) * 31.5),
           now()
    FROM generate_series(1, ${String(INVOICES)}) n`);
  await db.$executeRawUnsafe(`
    INSERT INTO payments (id, invoice_id, chain_id, asset, tx_hash, log_index, block_number, block_hash, block_time,
                          from_address, to_address, amount, status, confirmations, updated_at)
    SELECT gen_random_uuid(), i.id, 31337, i.asset, '0x' || lpad(to_hex(i.address_index), 64, '0'), -1,
           i.address_index, '0x' || repeat('0', 64), i.created_at, '0x' || repeat('1', 40), i.deposit_address,
           i.amount, 'Confirmed', 1, now()
    FROM invoices i WHERE i.address_index % 10 IN (1, 2, 3)`);
  await db.$executeRawUnsafe(`
    INSERT INTO event_log (source, event_id, type, subject, time, data, topic, received_at)
    SELECT '/knpay/core', gen_random_uuid()::text, 'io.knpay.invoice.created.v1', i.id::text, i.created_at, '{}',
           'knpay.invoices', i.created_at
    FROM invoices i`);
  await db.$executeRawUnsafe(`
    INSERT INTO event_log (source, event_id, type, subject, time, data, topic, received_at)
    SELECT '/knpay/payment', gen_random_uuid()::text, 'io.knpay.invoice.settled.v1', i.id::text,
           i.created_at + interval '5 minutes', '{}', 'knpay.invoices', i.created_at + interval '5 minutes'
    FROM invoices i WHERE i.status = 'Settled'`);
  await db.$executeRawUnsafe('ANALYZE');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
