import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createMerchant, issueApiKey } from '../functions/admin/queries/merchants';
import { createInvoiceExamples } from '../functions/core/api/schemas';
import { scopes } from '../shared/auth/api-keys';
import { closeDb, createDb } from '../shared/db';
import { createLogger } from '../shared/logging/logger';
import { devDataDir, requireDevState, type DevState } from './dev-state';
import { answerHelp } from '../shared/cli/help';

/**
 * `make demo`, beside a running `make dev`: seeds a merchant with an API key in the dev database,
 * creates an invoice through the merchant API with the curl line it prints, and prints the line that
 * pays it on the local chain and the ones that show it settle and the balance it credits.
 */
async function main(): Promise<void> {
  answerHelp('usage: make demo   (beside a running make dev) a merchant, its API key, an invoice, and how to pay it');
  const state = await requireDevState(devDataDir());
  const db = createDb({
    url: state.databaseUrl,
    poolSize: 1,
    connectTimeoutMs: 5_000,
    log: createLogger({ level: 'warn' }),
  });
  try {
    const merchantId = await createMerchant(db, { name: 'Demo shop', email: 'shop@example.com' });
    const key = await issueApiKey(db, merchantId, 'demo', [...scopes]);
    const auth = `-H 'Authorization: Bearer ${key.secret}'`;
    const example = createInvoiceExamples()[0];
    const orderId = `demo-${String(Date.now())}`;
    const body = JSON.stringify({ ...example, metadata: { orderId } });
    console.log(`merchant ${merchantId}\nAPI key  ${key.secret}   (shown once)\n`);
    console.log('1. Create an invoice of 0.01 ETH needing 2 confirmations (done for you just now):');
    console.log(
      `  curl -s -X POST ${state.coreUrl}/v1/invoices ${auth} -H 'Content-Type: application/json' ` +
        `-H 'Idempotency-Key: ${orderId}' -d '${body}'`,
    );
    const created = await fetch(`${state.coreUrl}/v1/invoices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key.secret}`,
        'content-type': 'application/json',
        'idempotency-key': orderId,
      },
      body,
    });
    const invoice = (await created.json()) as { id?: string; depositAddress?: string; checkoutUrl?: string };
    if (created.status !== 201 || !invoice.id)
      throw new Error(`The API answered ${String(created.status)}: ${JSON.stringify(invoice)}`);
    console.log(`  → invoice ${invoice.id}, deposit address ${invoice.depositAddress ?? ''}\n`);
    await pointWebhooksAtReceiver(state, key.secret);
    console.log("   The buyer's page (open it now: it follows the payment live):");
    console.log(`  ${invoice.checkoutUrl ?? ''}\n`);
    console.log('2. Pay it from a funded dev account:');
    console.log(`  make pay INVOICE=${invoice.id}\n`);
    console.log('3. Watch it go Processing, then Settled a few blocks later:');
    console.log(`  curl -s ${state.coreUrl}/v1/invoices/${invoice.id} ${auth}\n`);
    console.log('4. See the balance it credited:');
    console.log(`  curl -s ${state.coreUrl}/v1/balances ${auth}`);
  } finally {
    await closeDb(db);
  }
}

/**
 * A webhook endpoint at make dev's receiver, its secret kept where the receiver checks signatures with
 * it: the invoice's webhooks show up in make dev's log, each one verified.
 */
async function pointWebhooksAtReceiver(state: DevState, apiKey: string): Promise<void> {
  const path = randomUUID();
  const created = await fetch(`${state.coreUrl}/v1/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${state.webhookReceiverUrl}/${path}`, description: 'make dev receiver' }),
  });
  const endpoint = (await created.json()) as { id?: string; secret?: string };
  if (created.status !== 201 || !endpoint.secret) {
    console.log(`  (no webhook endpoint: the API answered ${String(created.status)})\n`);
    return;
  }
  const dir = resolve(devDataDir(), 'webhook-secrets');
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, path), endpoint.secret, { mode: 0o600 });
  console.log(
    `  webhooks: endpoint ${endpoint.id ?? ''} → make dev's receiver; its log shows each one, signature checked\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
