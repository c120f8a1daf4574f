import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { portInUse } from '../../local/net';
import { loadManifests } from '../../local/knative/manifests';
import { databaseExists, findPostgres, uniqueDatabaseName } from '../../local/postgres';
import { toKafkaMessage } from '../../shared/kafka/binding';
import { ROOT, spawnProcess, type SpawnedProcess } from '../helpers/process';

// The README's walk-through, run line by line as a newcomer would (make dev in the background, the
// rest one after another), on ports, a data folder and a database of its own. Then what a newcomer
// does next: a token invoice, Ctrl-C while a delivery is being retried, a second make dev on the same
// data, and make dev-reset.
const run = promisify(execFile);
const walkthrough = (() => {
  const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
  const block = /<!-- walkthrough -->\s*```sh\n([\s\S]*?)```\s*<!-- \/walkthrough -->/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
})();

let env: Record<string, string>;
let dataDir: string;
let coreUrl: string;
let adminUrl: string;
let dev: SpawnedProcess | undefined;
const found: Record<string, string> = {};

/** A README line with what earlier lines printed put in its placeholders, on this test's own port. */
const filled = (line: string) =>
  line
    .replaceAll('<invoice id>', found['invoice'] ?? '?')
    .replaceAll('<API key>', found['key'] ?? '?')
    .replaceAll('http://127.0.0.1:8081', coreUrl);
const sh = async (line: string) =>
  (await run('sh', ['-c', line], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 120_000 }))
    .stdout;
const startDev = async (line: string) => {
  const started = spawnProcess('sh', ['-c', line], env, { group: true });
  await started.waitFor(/Running \(Ctrl-C stops everything\)/, 180_000);
  return started;
};
/** Ctrl-C in the terminal: SIGINT to the whole foreground process group. */
const interrupt = async (process_: SpawnedProcess) => {
  const started = Date.now();
  if (process_.child.pid) process.kill(-process_.child.pid, 'SIGINT');
  await process_.exited;
  return Date.now() - started;
};
const api = async (path: string, init: RequestInit = {}) =>
  (await fetch(`${coreUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${found['key'] ?? ''}`, 'content-type': 'application/json' },
  }).then((r) => r.json())) as Record<string, unknown>;
/** The settlement's notice in make dev's MailDev inbox (its REST API), once it arrives. */
const paidMail = async (invoiceId = '') => {
  for (let i = 0; i < 120; i++) {
    const mails = (await (await fetch(`http://127.0.0.1:${env['MAIL_INBOX_PORT'] ?? ''}/email`)).json()) as {
      subject: string;
      text: string;
    }[];
    const mail = mails.find((m) => m.subject.startsWith('Paid:') && m.text.includes(invoiceId));
    if (mail) return mail;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`no e-mail about invoice ${invoiceId} in MailDev`);
};
const settles = async (invoiceId: string) => {
  for (let i = 0; i < 120; i++) {
    const invoice = await api(`/v1/invoices/${invoiceId}`);
    if (invoice['status'] === 'Settled') return invoice;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`invoice ${invoiceId} did not settle`);
};

beforeAll(async () => {
  // One block of ports for make dev's services and its helpers, below Linux's ephemeral range (32768
  // up): a port the kernel handed out to find it free could be any process's outgoing connection's by
  // the time make dev binds it (a parallel test's, say).
  // knative/base's Services, each on its own port from DEV_FIRST_PORT.
  const SERVICES = loadManifests(join(ROOT, 'knative/base')).filter((m) => m.kind === 'Service').length;
  const PORTS = SERVICES + 5;
  let first = 10_000 + Math.floor(Math.random() * 20_000);
  const allFree = async (base: number) => {
    for (let port = base; port < base + PORTS; port++) if (await portInUse(port)) return false;
    return true;
  };
  while (!(await allFree(first))) first += PORTS;
  dataDir = await mkdtemp(join(tmpdir(), 'knpay-walkthrough-'));
  adminUrl = (await findPostgres()).adminUrl;
  env = {
    HOME: process.env['HOME'] ?? ROOT,
    DEV_DATA_DIR: dataDir,
    DEV_DATABASE: uniqueDatabaseName('knpay_walkthrough'),
    DEV_FIRST_PORT: String(first),
    CHAIN_PORT: String(first + SERVICES + 0),
    KAFKA_PORT: String(first + SERVICES + 1),
    SMTP_PORT: String(first + SERVICES + 2),
    MAIL_INBOX_PORT: String(first + SERVICES + 3),
    WEBHOOK_RECEIVER_PORT: String(first + SERVICES + 4),
    DEV_BLOCK_MS: '500',
    LOG_LEVEL: 'warn',
  };
  coreUrl = `http://127.0.0.1:${String(first)}`;
});
afterAll(async () => {
  if (dev && dev.child.exitCode === null && dev.child.signalCode === null) await interrupt(dev);
  await rm(dataDir, { recursive: true, force: true });
});

it('the README walk-through: make dev, make demo, make pay, the invoice settles, the balance shows it', async () => {
  expect(walkthrough.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
    'make dev',
    'make demo',
    'make pay',
    'curl -s',
    'curl -s',
  ]);
  const [makeDev = '', makeDemo = '', makePay = '', seeInvoice = '', seeBalance = ''] = walkthrough;
  dev = await startDev(makeDev);
  // make dev's own lines are as readable as the functions': no raw JSON among them.
  expect(dev.output()).not.toMatch(/^\{"level"/m);
  // A second make dev while this one runs says so plainly, naming the ports, and starts nothing.
  const second = await sh(`${makeDev} 2>&1 || true`);
  expect(second).toMatch(/Another make dev is probably running: ports in use: .*DEV_FIRST_PORT/);
  expect(second).not.toMatch(/EADDRINUSE|\n\s+at /);

  const demo = await sh(makeDemo);
  found['key'] = /API key\s+(\S+)/.exec(demo)?.[1] ?? '';
  found['invoice'] = /make pay INVOICE=(\S+)/.exec(demo)?.[1] ?? '';
  expect(found).toEqual({ key: expect.stringMatching(/^knp_/) as string, invoice: expect.any(String) as string });
  // make demo prints the buyer's page, served by core under make dev.
  const page = /^\s+(http\S+\/checkout\/\S+)$/m.exec(demo)?.[1] ?? '';
  expect(page).toBe(`${coreUrl}/checkout/${found['invoice']}`);
  expect(await (await fetch(page)).text()).toContain('Waiting for your payment');

  expect(await sh(filled(makePay))).toContain('paid 10000000000000000 base units of ETH');
  let invoice: Record<string, unknown> = {};
  for (let i = 0; i < 120 && invoice['status'] !== 'Settled'; i++) {
    invoice = JSON.parse(await sh(filled(seeInvoice))) as Record<string, unknown>;
    if (invoice['status'] !== 'Settled') await new Promise((done) => setTimeout(done, 250));
  }
  expect(invoice).toMatchObject({ status: 'Settled', amountPaid: '10000000000000000' });
  // The page shows what the shared poll last read: at most CHECKOUT_POLL_MS (1 s) behind the API.
  let shown = '';
  for (let i = 0; i < 20 && !shown.includes('Paid. Thank you!'); i++) {
    if (i > 0) await new Promise((done) => setTimeout(done, 250));
    shown = await (await fetch(page)).text();
  }
  expect(shown).toContain('Paid. Thank you!');
  // make demo pointed a webhook endpoint at make dev's receiver: the settlement arrives there, signed.
  await dev.waitFor(/webhook invoice\.settled invoice .* Settled .*signature ok/, 60_000);
  // The demo merchant's address has every notice by default: the settlement's e-mail is in MailDev.
  expect(await paidMail(found['invoice'])).toMatchObject({
    to: [{ address: 'shop@example.com' }],
    subject: expect.stringMatching(/^Paid: invoice /) as string,
  });
  expect(JSON.parse(await sh(filled(seeBalance)))).toEqual({
    data: [{ chainId: 31337, asset: 'ETH', assetAddress: 'native', decimals: 18, available: '10000000000000000' }],
  });
}, 240_000);

it('pays a token invoice in the test USDT with make pay alone: confirmations come from the chain itself', async () => {
  const invoice = await api('/v1/invoices', {
    method: 'POST',
    body: JSON.stringify({ asset: 'USDT', price: { amount: 1999, currency: 'USD' }, confirmations: 3 }),
  });
  expect(invoice).toMatchObject({ asset: 'USDT', decimals: 6, amount: '19990000' });
  expect(await sh(`make -s pay INVOICE=${String(invoice['id'])}`)).toContain('paid 19990000 base units of USDT');
  expect(await settles(String(invoice['id']))).toMatchObject({ amountPaid: '19990000' });
}, 60_000);

it('stops within 5 s on Ctrl-C while a delivery is being retried', async () => {
  if (!dev) throw new Error('make dev is not running');
  // The chain goes away, then a block event arrives: the payment function's scan fails (5xx) and the
  // KafkaSource retries it with backoff.
  await run('pkill', ['-f', `hardhat.*--port ${env['CHAIN_PORT'] ?? ''}`]);
  const kafka = new Kafka({ brokers: [`127.0.0.1:${env['KAFKA_PORT'] ?? ''}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const attributes = {
    specversion: '1.0',
    id: `walkthrough-${randomUUID()}`,
    type: 'io.knpay.chain.block.seen.v1',
    source: '/knpay/chain-source',
    datacontenttype: 'application/json',
  };
  const data = { chainId: 31337, number: 1, hash: `0x${'ab'.repeat(32)}`, parentHash: `0x${'cd'.repeat(32)}` };
  await producer.send({
    topic: 'knpay.chain',
    messages: [
      toKafkaMessage({ attributes, data: JSON.stringify({ ...data, timestamp: new Date().toISOString() }), key: null }),
    ],
  });
  await producer.disconnect();
  await dev.waitFor(/payment.*(error|warn)/, 30_000);
  await new Promise((done) => setTimeout(done, 1_000));
  expect(await interrupt(dev)).toBeLessThan(5_000);
}, 60_000);

it('starts again on the same data: the new local chain is a new chain, and a payment on it settles', async () => {
  dev = await startDev(walkthrough[0] ?? '');
  expect(dev.output()).toMatch(/the local chain started again from genesis/);
  const invoice = await api('/v1/invoices', { method: 'POST', body: JSON.stringify({ asset: 'ETH', amount: '5000' }) });
  await sh(`make -s pay INVOICE=${String(invoice['id'])}`);
  expect(await settles(String(invoice['id']))).toMatchObject({ amountPaid: '5000' });
  expect(await interrupt(dev)).toBeLessThan(5_000);
}, 240_000);

it('make dev-reset removes everything make dev made, and says what', async () => {
  const said = await sh('make -s dev-reset');
  expect(said).toContain(`Removed:\n  ${dataDir}`);
  expect(said).toContain(`database ${env['DEV_DATABASE'] ?? ''}`);
  expect(await stat(dataDir).catch(() => null)).toBeNull();
  expect(await databaseExists(adminUrl, env['DEV_DATABASE'] ?? '')).toBe(false);
}, 60_000);
