import { Client } from 'pg';
import { createMerchant, issueApiKey } from '../functions/admin/queries/merchants';
import { createInvoiceExamples } from '../functions/core/api/schemas';
import { scopes } from '../shared/auth/api-keys';
import { closeDb, createDb } from '../shared/db';
import { createLogger } from '../shared/logging/logger';

/**
 * `make demo`, beside a running `make dev`: seeds a merchant with an API key in the dev database and
 * prints a curl line that creates an invoice, and the line that pays it on the local chain.
 */
async function main(): Promise<void> {
  const url = await devDatabaseUrl();
  const db = createDb({ url, poolSize: 1, connectTimeoutMs: 5_000, log: createLogger({ level: 'warn' }) });
  try {
    const merchantId = await createMerchant(db, { name: 'Demo shop', email: 'shop@example.com' });
    const key = await issueApiKey(db, merchantId, 'demo', [...scopes]);
    const core = `http://127.0.0.1:${process.env['DEV_FIRST_PORT'] ?? '8081'}`;
    console.log(`merchant ${merchantId}\nAPI key  ${key.secret}   (shown once)\n`);
    const example = createInvoiceExamples()[0];
    console.log('Create an invoice of 0.01 ETH (2 confirmations):');
    console.log(
      `  curl -s -X POST ${core}/v1/invoices -H 'Authorization: Bearer ${key.secret}' ` +
        `-H 'Content-Type: application/json' -H 'Idempotency-Key: demo-1' -d '${JSON.stringify(example)}'`,
    );
    console.log('\nThen see it:');
    console.log(`  curl -s ${core}/v1/invoices -H 'Authorization: Bearer ${key.secret}'`);
  } finally {
    await closeDb(db);
  }
}

/** Where `make dev` keeps its data: $DATABASE_URL, else knpay_dev on 127.0.0.1:5432, else on its embedded server. */
async function devDatabaseUrl(): Promise<string> {
  const candidates = [
    process.env['DATABASE_URL'],
    'postgres://postgres@127.0.0.1:5432/knpay_dev',
    `postgres://postgres:knpay-dev@127.0.0.1:${process.env['DEV_PG_PORT'] ?? '54329'}/knpay_dev`,
  ];
  for (const url of candidates) {
    if (url === undefined) continue;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
    const reachable = await client.connect().then(
      () => true,
      () => false,
    );
    await client.end().catch(() => undefined);
    if (reachable) return url;
  }
  throw new Error('No dev database answers: start `make dev` first (or set DATABASE_URL)');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
