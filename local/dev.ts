import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { applyMigrations } from '../shared/db/migrations/apply';
import { createLogger } from '../shared/logging/logger';
import { formatLogLine } from './dev-log';
import { createDatabase, databaseExists, databaseUrl, findPostgres } from './postgres';
import { startMailInbox } from './mail/inbox';
import { startStack } from './stack';
import { accountXpub, MERCHANT_MNEMONIC } from './chain/accounts';

/**
 * `make dev`: the system on this machine, from the same manifests that go to Knative.
 * - PostgreSQL: $DATABASE_URL, else 127.0.0.1:5432 (database knpay_dev), else embedded (.dev-data/postgres).
 * - Kafka: $KAFKA_BROKERS, else the dev broker (.dev-data/kafka).
 * - The outbox relay, and knative/base on the Knative emulator: every function from zero on 8081+.
 * - The chain: $CHAIN_RPC_URL, else a hardhat node on 8545 (chain 31337), followed by the chain source.
 * - Mail: $SMTP_URL, else MailDev (SMTP on 1025, its web inbox on 1080, messages in .dev-data/mail).
 * Data stays in .dev-data/ between runs (`make dev-reset` clears it).
 */
/**
 * The dev merchant wallet: the account xpub of a public test phrase. Anyone can spend from it: set
 * DEPOSIT_XPUB to your own wallet's for anything but a local chain.
 */
const DEV_DEPOSIT_XPUB = accountXpub(MERCHANT_MNEMONIC);
const FIRST_PORT = Number(process.env['DEV_FIRST_PORT'] ?? '8081');
const DATA_DIR = resolve(process.env['DEV_DATA_DIR'] ?? '.dev-data');

async function main(): Promise<void> {
  const log = createLogger({ level: process.env['LOG_LEVEL'] ?? 'info', bindings: { service: 'dev' } });
  const print = (name: string, line: string) => {
    console.log(formatLogLine(name, line, 12));
  };
  const server = await findPostgres(process.env, {
    dataDir: resolve(DATA_DIR, 'postgres'),
    port: Number(process.env['DEV_PG_PORT'] ?? '54329'),
    password: 'knpay-dev',
  });
  const url =
    server.origin === 'DATABASE_URL'
      ? server.adminUrl
      : (await databaseExists(server.adminUrl, 'knpay_dev'))
        ? databaseUrl(server.adminUrl, 'knpay_dev')
        : await createDatabase(server.adminUrl, 'knpay_dev');
  const applied = await applyMigrations(url, resolve('prisma/migrations'));
  console.log(
    `PostgreSQL: ${server.origin}; ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema up to date'}`,
  );
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });

  const inbox = process.env['SMTP_URL']
    ? undefined
    : await startMailInbox({
        dir: resolve(DATA_DIR, 'mail'),
        smtpPort: Number(process.env['SMTP_PORT'] ?? '1025'),
        webPort: Number(process.env['MAIL_INBOX_PORT'] ?? '1080'),
      });
  const smtpUrl = process.env['SMTP_URL'] ?? inbox?.smtpUrl ?? '';
  const stack = await startStack({
    databaseUrl: url,
    kafkaBrokers: process.env['KAFKA_BROKERS'],
    brokerPort: Number(process.env['KAFKA_PORT'] ?? '9092'),
    brokerDataDir: resolve(DATA_DIR, 'kafka'),
    chainRpcUrl: process.env['CHAIN_RPC_URL'],
    chainPort: Number(process.env['CHAIN_PORT'] ?? '8545'),
    depositXpub: process.env['DEPOSIT_XPUB'] ?? DEV_DEPOSIT_XPUB,
    smtpUrl,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' },
    idleMs: Number(process.env['DEV_IDLE_MS'] ?? '60000'),
    firstPort: FIRST_PORT,
    log,
    onLine: print,
  });
  const { platform, brokers, broker, chainRpcUrl, chainNode } = stack;
  console.log('\nRunning (Ctrl-C stops everything):');
  for (const [name, service] of platform.services) {
    const reach = service.clusterLocal ? 'cluster-local: events from the platform only' : 'public';
    console.log(`  ${name.padEnd(12)}  ${service.url}   (${reach}; starts on its first request)`);
  }
  console.log(`  ${'kafka'.padEnd(12)}  ${brokers}${broker ? '   (dev broker)' : ''}`);
  console.log(`  ${'chain RPC'.padEnd(12)}  ${chainRpcUrl}${chainNode ? '   (hardhat node, chain 31337)' : ''}`);
  console.log(`  ${'SMTP'.padEnd(12)}  ${inbox ? `${inbox.smtpUrl}   (MailDev: every message kept)` : '$SMTP_URL'}`);
  if (inbox) console.log(`  ${'mail inbox'.padEnd(12)}  ${inbox.webUrl}`);
  console.log(
    `\n  merchant API  ${platform.services.get('core')?.url ?? ''}/v1/invoices   (make demo prints a key and a curl line)`,
  );
  console.log('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    await inbox?.stop();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
