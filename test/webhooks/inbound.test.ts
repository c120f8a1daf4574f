import { createHmac, randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import { payers, payNative } from '../../local/chain/wallet';
import type { RunningFunction } from '../../shared/runtime';
import { startTestFunction } from '../helpers/function-server';
import { outboxPump } from '../helpers/outbox-pump';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';

// Alchemy is a third party we cannot run here: the test plays it, signing calls the way its docs say
// (hex HMAC-SHA256 of the raw body with the webhook's signing key), against the real webhooks function
// and the real payment path (PostgreSQL, hardhat).
const SIGNING_KEY = 'whsec_test_alchemy_signing_key';
let s: PaymentStack;
let webhooks: RunningFunction;
beforeAll(async () => {
  s = await startPaymentStack();
  webhooks = await startTestFunction('webhooks', await functions.webhooks(), s.db.url, {
    ALCHEMY_SIGNING_KEY: SIGNING_KEY,
    SERVE: 'api',
  });
}, 60_000);
afterAll(async () => {
  await webhooks.stop();
  await s.stop();
});

const activity = (fields: { id?: string; createdAt?: Date; network?: string; to?: string } = {}) =>
  JSON.stringify({
    webhookId: 'wh_test',
    id: fields.id ?? `whevt_${randomUUID()}`,
    createdAt: (fields.createdAt ?? new Date()).toISOString(),
    type: 'ADDRESS_ACTIVITY',
    event: {
      network: fields.network ?? 'ETH_MAINNET',
      activity: [
        {
          fromAddress: payers.alice,
          toAddress: fields.to ?? payers.bob,
          blockNum: '0x10',
          hash: `0x${'1'.repeat(64)}`,
          value: 1,
          asset: 'ETH',
          category: 'external',
        },
      ],
    },
  });
const sign = (body: string, key = SIGNING_KEY) => createHmac('sha256', key).update(body).digest('hex');
const post = (body: string, signature: string | null, provider = 'alchemy') =>
  fetch(`${webhooks.url}/hooks/${provider}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-alchemy-signature': signature }),
    },
    body,
  });
/** Calls to /hooks/:provider answered `status`, as the function's /metrics counts them. */
const refusedCalls = async (status: number) => {
  const metrics = await (await fetch(`${webhooks.url}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('knpay_http_requests_total{') &&
        l.includes('route="/hooks/:provider"') &&
        l.includes(`status="${String(status)}"`),
    );
  return Number(line?.split(' ').pop() ?? '0');
};
const scanRequests = () =>
  s.db.query<{ data: { reason: string; addresses?: string[] } }>(
    "SELECT data FROM outbox_events WHERE type = 'io.knpay.chain.scan.requested.v1' ORDER BY id",
  );

it('refuses a well-signed call about a chain this deployment does not watch', async () => {
  const body = activity({ network: 'HARDHAT' });
  const res = await post(body, sign(body));
  expect(res.status).toBe(422);
  expect(await scanRequests()).toEqual([]);
});

describe('calls that are refused, leaving no row', () => {
  const before = async () =>
    (await s.db.query("SELECT count(*)::int AS n FROM inbox_events WHERE consumer = 'webhooks-inbound'"))[0];
  it.each([
    [
      'a missing signature',
      () => {
        const b = activity();
        return post(b, null);
      },
      401,
      'bad-signature',
    ],
    [
      'a wrong signature',
      () => {
        const b = activity();
        return post(b, sign(b, 'another key'));
      },
      401,
      'bad-signature',
    ],
    ['a signature of another body', () => post(activity(), sign(activity())), 401, 'bad-signature'],
    [
      'a stale call',
      () => {
        const b = activity({ createdAt: new Date(Date.now() - 10 * 60_000) });
        return post(b, sign(b));
      },
      401,
      'bad-signature',
    ],
    ['a signed body that is not JSON', () => post('{"id":', sign('{"id":')), 400, 'bad-request'],
    [
      'an unknown provider',
      () => {
        const b = activity();
        return post(b, sign(b), 'quicknode');
      },
      404,
      'not-found',
    ],
  ])('%s', async (_what, send, status, type) => {
    const counted = await before();
    const requested = (await scanRequests()).length;
    const refusals = await refusedCalls(status);
    const res = await send();
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: `/problems/${type}` });
    expect(await before()).toEqual(counted);
    expect(await scanRequests()).toHaveLength(requested);
    // No row: the refusal is seen in the function's metrics alone.
    expect(await refusedCalls(status)).toBe(refusals + 1);
  });
});

it('accepts a good call once, and refuses it replayed', async () => {
  const body = activity({ id: 'whevt_once', network: 'ETH_MAINNET' });
  // This function watches chain 31337; one watching mainnet takes the same call.
  const mainnet = await startTestFunction('webhooks', await functions.webhooks(), s.db.url, {
    ALCHEMY_SIGNING_KEY: SIGNING_KEY,
    SERVE: 'api',
    CHAIN_ID: '1',
  });
  try {
    const send = () =>
      fetch(`${mainnet.url}/hooks/alchemy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-alchemy-signature': sign(body) },
        body,
      });
    expect((await send()).status).toBe(202);
    const replay = await send();
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ type: '/problems/replayed-call' });
    expect((await scanRequests()).map((r) => r.data)).toEqual([
      { chainId: 1, reason: 'provider', addresses: [payers.bob], blockNumber: 16 },
    ]);
  } finally {
    await mainnet.stop();
  }
});

it('a provider scan request (as the call above makes one, here for this chain) finds the payment at once', async () => {
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '4321', confirmations: 1 });
  await payNative(s.chain, payers.alice, invoice.depositAddress, 4321n);
  await s.db.query(
    `INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data)
     VALUES (gen_random_uuid(), 'io.knpay.chain.scan.requested.v1', '/knpay/webhooks', 'eip155:31337', 'knpay.chain', now(), $1)`,
    [{ chainId: 31337, reason: 'provider', addresses: [invoice.depositAddress] }],
  );
  const toPayment = outboxPump(s.db, () => s.payment.url, ['io.knpay.chain.scan.requested.v1']);
  expect(await toPayment()).toEqual(expect.arrayContaining([204]));
  expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Settled', amountPaid: '4321' });
}, 30_000);
