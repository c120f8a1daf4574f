import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { newSecretKey } from '../shared/crypto/secret-box';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createLogger } from '../shared/logging/logger';
import { accountXpub, MERCHANT_MNEMONIC } from './chain/accounts';
import { startDevChain } from './chain/dev-chain';
import { printBanner } from './dev-banner';
import { devLogLines, formatLogLine } from './dev-log';
import { devDatabaseName, devDataDir, removeDevState, writeDevState } from './dev-state';
import { startMailInbox } from './mail/inbox';
import { startWebhookReceiver } from './webhook-receiver';
import { portInUse } from './net';
import { createDatabase, databaseExists, databaseUrl, findPostgres } from './postgres';
import { startStack } from './stack';
import { answerHelp } from '../shared/cli/help';

/**
 * `make dev`: the system on this machine, from the same manifests that go to Knative.
 * - PostgreSQL: $DATABASE_URL, else 127.0.0.1:5432 (database knpay_dev), else embedded (.dev-data/postgres).
 * - Kafka: $KAFKA_BROKERS, else the dev broker (.dev-data/kafka).
 * - knative/base on the Knative emulator: every function from zero on 8081+, listening on the loopback
 *   only; the outbox relay's two replicas and the chain source as processes of their own.
 * - The chain: $CHAIN_RPC_URL, else a hardhat node on 8545 (chain 31337) mining a block every
 *   DEV_BLOCK_MS (2000), with a test USDT; followed by the chain source.
 * - Mail: $SMTP_URL, else MailDev (SMTP on 1025, its web inbox on 1080, messages in .dev-data/mail).
 * - A webhook receiver on 1090 that logs, signature checked, what make demo's endpoint is sent.
 * Data stays in .dev-data/ and the database between runs (`make dev-reset` clears both).
 */
const env = process.env;
/** The dev merchant wallet, a public test phrase's: set DEPOSIT_XPUB to your own for anything but a local chain. */
const DEV_DEPOSIT_XPUB = accountXpub(MERCHANT_MNEMONIC);
const FIRST_PORT = Number(env['DEV_FIRST_PORT'] ?? '8081');
const SERVICES = 9;
const ports = {
  functions: Array.from({ length: SERVICES }, (_, i) => FIRST_PORT + i),
  chain: Number(env['CHAIN_PORT'] ?? '8545'),
  kafka: Number(env['KAFKA_PORT'] ?? '9092'),
  smtp: Number(env['SMTP_PORT'] ?? '1025'),
  inbox: Number(env['MAIL_INBOX_PORT'] ?? '1080'),
  webhooks: Number(env['WEBHOOK_RECEIVER_PORT'] ?? '1090'),
};
const BLOCK_MS = Number(env['DEV_BLOCK_MS'] ?? '2000');

async function main(): Promise<void> {
  answerHelp(
    'usage: make dev   runs everything on this machine (README: Try it). Variables: DATABASE_URL, KAFKA_BROKERS,\n' +
      '  CHAIN_RPC_URL, CHAIN_TOKENS, DEPOSIT_XPUB, SMTP_URL (use yours instead of the local ones); DEV_FIRST_PORT,\n' +
      '  CHAIN_PORT, KAFKA_PORT, SMTP_PORT, MAIL_INBOX_PORT, DEV_PG_PORT; DEV_BLOCK_MS, DEV_IDLE_MS, DEV_DATA_DIR,\n' +
      '  DEV_DATABASE, LOG_LEVEL',
  );
  const dataDir = devDataDir();
  await refuseBusyPorts();
  const log = createLogger({ level: env['LOG_LEVEL'] ?? 'info', bindings: { service: 'dev' } }, devLogLines);
  const server = await findPostgres(env, {
    dataDir: resolve(dataDir, 'postgres'),
    port: Number(env['DEV_PG_PORT'] ?? '54329'),
    password: 'knpay-dev',
  });
  const name = devDatabaseName();
  const url =
    server.origin === 'DATABASE_URL'
      ? server.adminUrl
      : (await databaseExists(server.adminUrl, name))
        ? databaseUrl(server.adminUrl, name)
        : await createDatabase(server.adminUrl, name);
  const applied = await applyMigrations(url, resolve('prisma/migrations'));
  console.log(
    `PostgreSQL: ${server.origin}; ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema up to date'}`,
  );
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });

  const inbox = env['SMTP_URL']
    ? undefined
    : await startMailInbox({ dir: resolve(dataDir, 'mail'), smtpPort: ports.smtp, webPort: ports.inbox });
  const receiver = await startWebhookReceiver({
    port: ports.webhooks,
    secretsDir: resolve(dataDir, 'webhook-secrets'),
    print: (line) => {
      console.log(
        formatLogLine('receiver', JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: line }), 12),
      );
    },
  });
  const chain = env['CHAIN_RPC_URL']
    ? undefined
    : await startDevChain({ port: ports.chain, blockMs: BLOCK_MS, databaseUrl: url, log });
  const chainTokens =
    env['CHAIN_TOKENS'] ?? (chain ? `USDT=${chain.token.address}:${String(chain.token.decimals)}` : '');
  const stack = await startStack({
    databaseUrl: url,
    kafkaBrokers: env['KAFKA_BROKERS'],
    brokerPort: ports.kafka,
    brokerDataDir: resolve(dataDir, 'kafka'),
    chainRpcUrl: env['CHAIN_RPC_URL'] ?? chain?.node.url,
    depositXpub: env['DEPOSIT_XPUB'] ?? DEV_DEPOSIT_XPUB,
    smtpUrl: env['SMTP_URL'] ?? inbox?.smtpUrl ?? '',
    webhookSecretKey: env['WEBHOOK_SECRET_KEY'] ?? (await devWebhookSecretKey(dataDir)),
    env: {
      PATH: env['PATH'] ?? '',
      LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
      // Locally the functions listen on the loopback only (a pod listens on every interface), and
      // their stack traces point at the TypeScript sources, not the minified bundle.
      HOST: '127.0.0.1',
      NODE_OPTIONS: '--enable-source-maps',
      // Webhooks to a receiver on this machine (make dev's receiver, or yours on localhost).
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE: 'loopback',
      ...(chainTokens === '' ? {} : { CHAIN_TOKENS: chainTokens }),
    },
    // knative/base's ConfigMap, with this machine's values: every invoice's checkoutUrl, and the links
    // in e-mail notices, open its page on core, the first Service.
    configMaps: {
      'knpay-config/checkout-base-url': env['CHECKOUT_BASE_URL'] ?? `http://127.0.0.1:${String(FIRST_PORT)}`,
      'knpay-config/mail-from': env['MAIL_FROM'] ?? 'notifications@knpay.localhost',
    },
    idleMs: Number(env['DEV_IDLE_MS'] ?? '60000'),
    firstPort: FIRST_PORT,
    log,
    onLine: (service, line) => {
      console.log(formatLogLine(service, line, 12));
    },
  });
  await writeDevState(dataDir, {
    pid: process.pid,
    databaseUrl: url,
    coreUrl: stack.platform.services.get('core')?.url ?? '',
    chainRpcUrl: stack.chainRpcUrl,
    tokens: chain ? { USDT: { address: chain.token.address, decimals: chain.token.decimals } } : {},
    webhookReceiverUrl: receiver.url,
  });
  printBanner({ stack, chain, blockMs: BLOCK_MS, databaseUrl: url, inbox, receiverUrl: receiver.url });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await removeDevState(dataDir);
    await stack.stop();
    await chain?.node.stop();
    await inbox?.stop();
    await receiver.stop();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** The key that seals webhook secrets, made at the first run and kept in .dev-data (a dev key only). */
async function devWebhookSecretKey(dataDir: string): Promise<string> {
  const file = resolve(dataDir, 'webhook-secret-key');
  const kept = await readFile(file, 'utf8').catch(() => null);
  if (kept) return kept.trim();
  const key = newSecretKey('dev');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** A second make dev (or anything else on its ports) is named plainly, before anything starts. */
async function refuseBusyPorts(): Promise<void> {
  const wanted: [what: string, ports: number[]][] = [
    ['the functions, DEV_FIRST_PORT', ports.functions],
    ...(env['CHAIN_RPC_URL'] ? [] : [['the hardhat node, CHAIN_PORT', [ports.chain]] as [string, number[]]]),
    ...(env['KAFKA_BROKERS'] ? [] : [['the dev broker, KAFKA_PORT', [ports.kafka]] as [string, number[]]]),
    ...(env['SMTP_URL']
      ? []
      : [['MailDev, SMTP_PORT and MAIL_INBOX_PORT', [ports.smtp, ports.inbox]] as [string, number[]]]),
    ['the webhook receiver, WEBHOOK_RECEIVER_PORT', [ports.webhooks]],
  ];
  const busy: string[] = [];
  for (const [what, group] of wanted) {
    const taken: number[] = [];
    for (const port of group) if (await portInUse(port)) taken.push(port);
    if (taken.length > 0) busy.push(`${taken.join(', ')} (${what})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `Another make dev is probably running: ports in use: ${busy.join('; ')}. ` +
        'Stop it first, or move this one with the variables named.',
    );
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
