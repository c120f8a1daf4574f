import { payers, payNative } from '../../local/chain/wallet';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';
import { StallingRpcProxy } from '../helpers/stalling-rpc';

// The payment function reads the chain through a proxy that can hang, as a stalled RPC provider does.
const proxy = new StallingRpcProxy();
let s: PaymentStack;
const RPC_TIMEOUT_MS = 2_000;
beforeAll(async () => {
  await proxy.start();
  s = await startPaymentStack({ CHAIN_RPC_URL: proxy.url, CHAIN_RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) });
  proxy.target = s.node.url;
}, 60_000);
afterAll(async () => {
  await s.stop();
  await proxy.close();
});

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(what()).toBe(true);
};

it('a node that stalls holds no connection and no lock: other scans and other work go on, and the wait ends', async () => {
  expect(await s.deliverBlock()).toBe(204);
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000', confirmations: 1 });

  proxy.stalling = true;
  const started = Date.now();
  const stalledScan = s.deliverBlock();
  await until(() => proxy.stalled > 0);

  // While the scan waits on the node: no transaction is open, the chain's lock is free, and the
  // merchant API answers.
  const [open] = await s.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
  );
  expect(open?.n).toBe('0');
  const [lock] = await s.db.query<{ free: boolean }>(
    "SELECT pg_try_advisory_xact_lock(hashtext('knpay.scan'), 31337) AS free",
  );
  expect(lock?.free).toBe(true);
  const other = await s.createInvoice({ asset: 'ETH', amount: '2000' });
  expect(other.id).toBeDefined();

  // The node answers again: a second scan goes through while the first is still waiting.
  proxy.stalling = false;
  await payNative(s.chain, payers.alice, invoice.depositAddress, 1000n);
  expect(await s.deliverBlock()).toBe(204);
  expect(Date.now() - started).toBeLessThan(RPC_TIMEOUT_MS);
  expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Settled', amountPaid: '1000' });

  // The node hangs again before the stalled scan's retry: it gives up within the RPC timeout (one
  // retry), answering with a status the KafkaSource retries, and leaves nothing half-written.
  proxy.stalling = true;
  const status = await stalledScan;
  expect(status).toBeGreaterThanOrEqual(500);
  expect(Date.now() - started).toBeLessThan(3 * RPC_TIMEOUT_MS + 1_000);
  expect((await s.outbox(invoice.id)).map((e) => e.type)).toEqual([
    'io.knpay.invoice.created.v1',
    'io.knpay.payment.detected.v1',
    'io.knpay.payment.confirmed.v1',
    'io.knpay.invoice.processing.v1',
    'io.knpay.invoice.settled.v1',
  ]);
}, 30_000);
