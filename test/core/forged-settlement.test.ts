import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import type { RunningFunction } from '../../shared/runtime';
import { binaryRequest } from '../helpers/cloudevents';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, newMerchant } from '../helpers/merchant';
import type { Db } from '../../shared/db';
import { confirmedPayment } from '../fixtures/confirmed-payment';

/**
 * A settled event that reaches core's handler (here on purpose: in production no request from outside
 * the cluster can, test/knative/platform.test.ts) credits only what the database bears out.
 */
let db: TestDatabase;
let admin: Db;
let core: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = adminDb(db.url);
  core = await startTestFunction('core', await functions.core(), db.url);
});
afterAll(async () => {
  await core.stop();
  await admin.$disconnect();
  await db.drop();
});

const UINT256_MAX = ((1n << 256n) - 1n).toString();

/** An invoice in the given state, with a confirmed payment of `paid` when it has one. */
async function invoice(
  merchantId: string,
  state: { status: 'New' | 'Settled'; amount: bigint; paid?: bigint; settled?: bigint },
): Promise<string> {
  const id = randomUUID();
  const address = `0x${id.replaceAll('-', '').padEnd(40, '0')}`;
  await admin.invoice.create({
    data: {
      id,
      merchantId,
      chainId: 31337,
      asset: 'native',
      amount: state.amount.toString(),
      amountPaid: (state.paid ?? 0n).toString(),
      status: state.status,
      ...(state.settled === undefined ? {} : { amountSettled: state.settled.toString() }),
      depositAddress: address,
      confirmationsRequired: 1,
      expiresAt: new Date(Date.now() + 60_000),
      monitoringUntil: new Date(Date.now() + 120_000),
      ...(state.paid === undefined
        ? {}
        : {
            payments: { create: confirmedPayment(id, address, state.paid) },
          }),
    },
  });
  return id;
}

const settled = (
  data: { invoiceId: string; merchantId: string; amountPaid: string; asset?: string },
  id = randomUUID(),
) =>
  fetch(
    core.url,
    binaryRequest({
      id,
      type: 'io.knpay.invoice.settled.v1',
      source: '/knpay/payment',
      subject: data.invoiceId,
      data: { chainId: 31337, asset: 'native', amount: data.amountPaid, additionalStatus: 'None', ...data },
    }),
  );

async function refusal(res: Response): Promise<{ status: number; type: string; detail: string }> {
  const body = (await res.json()) as { type: string; detail: string };
  return { status: res.status, type: body.type, detail: body.detail };
}

const ledger = () =>
  db.query<{ merchant_id: string; account: string; amount: string }>(
    'SELECT merchant_id::text, account, amount::text FROM ledger_entries ORDER BY account',
  );
const inbox = () => db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_events');

describe("core's settlement handler, given forged or mistaken events", () => {
  it.each([
    [
      'an invoice that does not exist',
      (m: string) => Promise.resolve({ invoiceId: randomUUID(), merchantId: m, amountPaid: '1000' }),
      /does not exist/,
    ],
    [
      "another merchant's unpaid invoice, claimed paid 2^256-1",
      async (m: string) => {
        const other = await newMerchant(admin);
        return {
          invoiceId: await invoice(other.merchantId, { status: 'New', amount: 1000n }),
          merchantId: m,
          amountPaid: UINT256_MAX,
        };
      },
      /belongs to another merchant/,
    ],
    [
      'its own unpaid invoice, claimed paid 2^256-1',
      async (m: string) => ({
        invoiceId: await invoice(m, { status: 'New', amount: 1000n }),
        merchantId: m,
        amountPaid: UINT256_MAX,
      }),
      /is New, not Settled/,
    ],
    [
      'a settled invoice, claimed paid more than it settled for',
      async (m: string) => ({
        invoiceId: await invoice(m, { status: 'Settled', amount: 1000n, paid: 1000n, settled: 1000n }),
        merchantId: m,
        amountPaid: '1000000',
      }),
      /claims 1000000 paid; the invoice settled for 1000/,
    ],
    [
      'a settled invoice in another asset than claimed',
      async (m: string) => ({
        invoiceId: await invoice(m, { status: 'Settled', amount: 1000n, paid: 1000n, settled: 1000n }),
        merchantId: m,
        amountPaid: '1000',
        asset: `0x${'22'.repeat(20)}`,
      }),
      /paid in native on chain 31337/,
    ],
    [
      'a settled invoice whose confirmed payments do not cover what it says it settled for',
      async (m: string) => ({
        invoiceId: await invoice(m, { status: 'Settled', amount: 1000n, paid: 10n, settled: 1000n }),
        merchantId: m,
        amountPaid: '1000',
      }),
      /confirmed payments come to 10/,
    ],
  ])('refuses %s (422, dead-lettered), credits nothing and keeps no inbox row', async (_name, build, reason) => {
    const { merchantId } = await newMerchant(admin);
    const before = await inbox();
    const answer = await refusal(await settled(await build(merchantId)));
    expect(answer).toEqual({
      status: 422,
      type: '/problems/rejected-event',
      detail: expect.stringMatching(reason) as string,
    });
    expect(await ledger()).toEqual([]);
    expect(await inbox()).toEqual(before);
  });

  it('credits a true settlement once, for the amount the invoice settled for, however often it is delivered', async () => {
    const { merchantId } = await newMerchant(admin);
    const invoiceId = await invoice(merchantId, { status: 'Settled', amount: 1000n, paid: 1200n, settled: 1200n });
    const id = randomUUID();
    expect((await settled({ invoiceId, merchantId, amountPaid: '1200' }, id)).status).toBe(204);
    expect((await settled({ invoiceId, merchantId, amountPaid: '1200' }, id)).status).toBe(204); // redelivered
    expect((await settled({ invoiceId, merchantId, amountPaid: '1200' })).status).toBe(204); // replayed under a new id
    expect(await ledger()).toEqual([
      { merchant_id: merchantId, account: 'chain:received', amount: '-1200' },
      { merchant_id: merchantId, account: 'merchant:available', amount: '1200' },
    ]);
  });
});
