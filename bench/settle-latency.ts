import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMerchant, issueApiKey } from '../functions/admin/queries/merchants';
import { createDatabase, dropDatabase, findPostgres, uniqueDatabaseName } from '../local/postgres';
import { startStack } from '../local/stack';
import { closeDb, createDb } from '../shared/db';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createLogger } from '../shared/logging/logger';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { chainClient, payers } from '../local/chain/wallet';
import { ROOT } from './lib/process';
import { percentile } from './lib/stats';
import { newSecretKey } from '../shared/crypto/secret-box';

/**
 * From the block that gives a payment its last required confirmation to the invoice.settled event
 * leaving the outbox (published to Kafka by the relay), over many invoices, on the whole local system
 * as `make dev` runs it: knative/base on the emulator, the chain source polling a hardhat node every
 * CHAIN_POLL_MS (1 s, from the manifest) into the KafkaSink, the dev broker, the payment function fed
 * by its KafkaSource, the relay. Each invoice needs 2 confirmations and is paid in its own block, one
 * payment every PACE_MS, so the next payment's block is the previous invoice's threshold block.
 * Usage: npm run bench:settle [-- invoices paceMs]
 */
const INVOICES = Number(process.argv[2] ?? '120');
const PACE_MS = Number(process.argv[3] ?? '500');
const AMOUNT = 10n ** 15n;

async function main(): Promise<void> {
  const pg = await findPostgres();
  const name = uniqueDatabaseName('knpay_bench');
  const url = await createDatabase(pg.adminUrl, name);
  const db = createDb({ url, poolSize: 2, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
  const log = createLogger({ level: 'warn', bindings: { service: 'bench' } });
  await applyMigrations(url, resolve(ROOT, 'prisma/migrations'));
  const stack = await startStack({
    databaseUrl: url,
    depositXpub: accountXpub(MERCHANT_MNEMONIC),
    smtpUrl: 'smtp://127.0.0.1:9', // no mail in this path
    webhookSecretKey: newSecretKey('bench'),
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' },
    idleMs: 600_000,
    firstPort: 0,
    log,
    onLine: () => undefined,
  });
  try {
    const merchantId = await createMerchant(db, { name: 'Bench shop' });
    const { secret } = await issueApiKey(db, merchantId, 'bench', ['invoices:write']);
    const core = stack.platform.services.get('core')?.url ?? '';
    const chain = chainClient(stack.chainRpcUrl);
    const invoices: { id: string; depositAddress: string }[] = [];
    for (let i = 0; i <= INVOICES; i++) {
      const res = await fetch(`${core}/v1/invoices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          asset: 'ETH',
          amount: AMOUNT.toString(),
          speedPolicy: 'HighSpeed',
          expiresInSeconds: 3600,
        }),
      });
      if (res.status !== 201) throw new Error(`invoice not created: ${String(res.status)} ${await res.text()}`);
      invoices.push((await res.json()) as { id: string; depositAddress: string });
    }
    // When each block was mined, on this clock: automine mines inside eth_sendTransaction.
    const minedAt = new Map<bigint, number>();
    const mine = async (to: string) => {
      const hash = await chain.sendTransaction({
        account: payers.alice,
        to: to as `0x${string}`,
        value: AMOUNT,
        chain: chain.chain,
      });
      const at = Date.now();
      const receipt = await chain.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      minedAt.set(receipt.blockNumber, at);
      return receipt.blockNumber;
    };
    // Invoice 0 warms the path up (the payment function's cold start) and is not counted.
    const paidIn = new Map<string, bigint>();
    for (const invoice of invoices) {
      const started = performance.now();
      paidIn.set(invoice.id, await mine(invoice.depositAddress));
      await sleep(Math.max(0, PACE_MS - (performance.now() - started)));
    }
    await mine(payers.bob); // the last invoice's second confirmation
    const counted = invoices.slice(1);
    const published = await waitForSettlements(
      db,
      counted.map((i) => i.id),
      60_000,
    );
    const latencies = counted.map((invoice) => {
      const threshold = (paidIn.get(invoice.id) ?? 0n) + 1n;
      return (published.get(invoice.id) ?? Number.NaN) - (minedAt.get(threshold) ?? Number.NaN);
    });
    console.log(
      `${String(counted.length)} invoices, one payment every ${String(PACE_MS)} ms, 2 confirmations; chain source polling every 1 s; node ${process.version}`,
    );
    console.log('| threshold block mined → invoice.settled published | p50 | p99 | min | max |');
    console.log('| --- | --- | --- | --- | --- |');
    console.log(
      `| whole local system (make dev) | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${ms(Math.min(...latencies))} | ${ms(Math.max(...latencies))} |`,
    );
  } finally {
    await stack.stop();
    await closeDb(db);
    await dropDatabase(pg.adminUrl, name);
    await pg.stop();
  }
}

/** published_at of each invoice's invoice.settled outbox row, once all are published. */
async function waitForSettlements(
  db: ReturnType<typeof createDb>,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.$queryRaw<{ subject: string; published_at: Date | null }[]>`
      SELECT subject, published_at FROM outbox_events WHERE type = 'io.knpay.invoice.settled.v1' AND subject = ANY(${ids}::text[])`;
    const published = rows.filter((r) => r.published_at !== null);
    if (published.length === ids.length)
      return new Map(published.map((r) => [r.subject, r.published_at?.getTime() ?? 0]));
    if (Date.now() > deadline)
      throw new Error(
        `only ${String(published.length)} of ${String(ids.length)} invoices settled and published in time`,
      );
    await sleep(200);
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
