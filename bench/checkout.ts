import { createMerchant, issueApiKey } from '../functions/admin/queries/merchants';
import { accountXpub, MERCHANT_MNEMONIC } from '../local/chain/accounts';
import { benchDatabase } from './lib/database';
import { cpuSeconds, spawnServer, type Server } from './lib/process';
import { median, percentile } from './lib/stats';

/**
 * `npm run bench:checkout [-- pages]`: 1,000 open checkout pages (server-sent event streams) on one
 * invoice, through one core process (the bundle, as production runs it):
 * - the database queries per second they cause, beside the same pages each polling the merchant API
 *   once a second (what pages that do not share a poll would cost);
 * - the time from the settlement's commit to the last page showing it (target: p99 under 2 s).
 * Queries are PostgreSQL's own count of the database's transactions (pg_stat_database.xact_commit).
 */
const PAGES = Number(process.argv[2] ?? '1000');
const ROUNDS = 3;
const WINDOW_MS = 10_000;

interface Load {
  commits: number;
  reads: number;
  cpu: number;
}

interface Stream {
  settledAt: Promise<number>;
  close(): void;
}

/** One page's event stream; resolves `settledAt` when it is told the invoice is settled. */
async function openStream(url: string, opened: () => void): Promise<Stream> {
  const controller = new AbortController();
  let settled: (at: number) => void = () => undefined;
  const settledAt = new Promise<number>((done) => (settled = done));
  const res = await fetch(url, { signal: controller.signal });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let first = true;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          if (!block.startsWith('event: status')) continue;
          if (first) opened();
          first = false;
          if (block.includes('"state":"settled"')) settled(Date.now());
        }
      }
    } catch {
      // closed by the bench
    }
  })();
  return {
    settledAt,
    close: () => {
      controller.abort();
    },
  };
}

async function main() {
  const database = await benchDatabase();
  const { db } = database;
  const merchantId = await createMerchant(db, { name: 'Bench shop' });
  const { secret } = await issueApiKey(db, merchantId, 'bench', ['invoices:read', 'invoices:write']);
  const core = await spawnServer(['--v8-pool-size=1', 'bin/launch.js', 'core'], {
    DATABASE_URL: database.url,
    DEPOSIT_XPUB: accountXpub(MERCHANT_MNEMONIC),
    LOG_LEVEL: 'info',
  });
  const auth = { authorization: `Bearer ${secret}` };
  /**
   * PostgreSQL's own counts: transactions committed in the database (every statement of core's, and
   * also background work such as autovacuum), and reads of the invoices table (index or sequential
   * scans: what a page's status costs, whoever asks).
   */
  const counts = async () => {
    const [row] = await db.$queryRaw<{ commits: bigint; reads: bigint }[]>`
      SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
             (SELECT idx_scan + seq_scan FROM pg_stat_user_tables WHERE relname = 'invoices') AS reads`;
    return { commits: Number(row?.commits ?? 0), reads: Number(row?.reads ?? 0) };
  };
  /** Per second over the window: commits, invoice reads, and core's CPU share. */
  const load = async (): Promise<Load> => {
    const [before, cpu] = [await counts(), cpuSeconds(core.child.pid ?? 0)];
    await new Promise((done) => setTimeout(done, WINDOW_MS));
    const after = await counts();
    const seconds = WINDOW_MS / 1000;
    return {
      commits: (after.commits - before.commits - 1) / seconds,
      reads: (after.reads - before.reads) / seconds,
      cpu: (cpuSeconds(core.child.pid ?? 0) - cpu) / seconds,
    };
  };
  const newInvoice = async () => {
    const res = await fetch(`${core.url}/v1/invoices`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ asset: 'ETH', amount: '10000000000000000' }),
    });
    return ((await res.json()) as { id: string }).id;
  };

  const shared: Load[] = [];
  const polled: Load[] = [];
  const idle: Load[] = [];
  const delays: number[] = [];
  const lastPage: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await newInvoice();
      idle.push(await load());
      let open = 0;
      const streams = await Promise.all(
        Array.from({ length: PAGES }, () => openStream(`${core.url}/checkout/${id}/events`, () => open++)),
      );
      while (open < PAGES) await new Promise((done) => setTimeout(done, 50));
      // PostgreSQL publishes a connection's counts when it goes idle, up to 10 s late: the openings' reads land first.
      await new Promise((done) => setTimeout(done, 11_000));
      shared.push(await load());
      const settledAt = Date.now();
      await db.$executeRaw`UPDATE invoices SET status = 'Settled', amount_paid = amount, amount_settled = amount
                           WHERE id = ${id}::uuid`;
      const seen = await Promise.all(streams.map((s) => s.settledAt));
      const round_ = seen.map((at) => at - settledAt);
      delays.push(...round_);
      lastPage.push(Math.max(...round_));
      for (const s of streams) s.close();
    }
    // The peer last: its ~20,000 writes (API keys' last use) set autovacuum going, which would count.
    for (let round = 0; round < ROUNDS; round++) polled.push(await pollingPeer(core, await newInvoice(), auth, load));
  } finally {
    await core.stop();
    await database.drop();
  }
  const figure = (r: Load[], of: (x: Load) => number) =>
    `${median(r.map(of)).toFixed(1)}/s (${r.map((x) => of(x).toFixed(1)).join(', ')})`;
  const row = (label: string, r: Load[]) =>
    `| ${label} | ${figure(r, (x) => x.reads)} | ${figure(r, (x) => x.commits)} | ${(100 * median(r.map((x) => x.cpu))).toFixed(0)} % |`;
  console.log(
    `${String(PAGES)} pages on one invoice, ${String(ROUNDS)} rounds, ${String(WINDOW_MS / 1000)} s windows; node ${process.version}`,
  );
  console.log('| pages | invoice reads | transactions | core CPU |\n| --- | --- | --- | --- |');
  console.log(row('no page open (what the database does anyway: autovacuum, statistics)', idle));
  console.log(row(`${String(PAGES)} SSE streams, one shared poll (CHECKOUT_POLL_MS 1000)`, shared));
  console.log(row(`${String(PAGES)} pages each polling GET /v1/invoices/:id every second`, polled));
  console.log(
    `settlement → page: p50 ${percentile(delays, 50).toFixed(0)} ms, p99 ${percentile(delays, 99).toFixed(0)} ms, ` +
      `last page per round ${lastPage.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
  );
}

/** The peer: the same number of pages, each asking the API once a second, staggered over the second. */
async function pollingPeer(core: Server, id: string, auth: Record<string, string>, load: () => Promise<Load>) {
  let running = true;
  const pages = Array.from({ length: PAGES }, async (_, i) => {
    await new Promise((done) => setTimeout(done, (1000 * i) / PAGES));
    while (running) {
      const started = Date.now();
      await (await fetch(`${core.url}/v1/invoices/${id}`, { headers: auth })).arrayBuffer();
      await new Promise((done) => setTimeout(done, Math.max(0, 1000 - (Date.now() - started))));
    }
  });
  await new Promise((done) => setTimeout(done, 2_000));
  const measured = await load();
  running = false;
  await Promise.all(pages);
  return measured;
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
