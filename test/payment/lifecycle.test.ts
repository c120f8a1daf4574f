import { parseEther } from 'viem';
import { payers, payNative, payToken } from '../../local/chain/wallet';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';

let s: PaymentStack;
beforeAll(async () => {
  s = await startPaymentStack();
}, 60_000);
afterAll(async () => {
  await s.stop();
});

const types = async (invoiceId: string) =>
  (await s.outbox(invoiceId)).map((e) => e.type.replace(/^io\.knpay\.|\.v1$/g, ''));
const ledger = (invoiceId: string) =>
  s.db.query<{ account: string; amount: string }>(
    'SELECT account, amount::text FROM ledger_entries WHERE invoice_id = $1 ORDER BY account',
    [invoiceId],
  );

describe('an invoice paid exactly', () => {
  it('in ETH: Processing when seen, Settled at N confirmations, credited once', async () => {
    const invoice = await s.createInvoice({ asset: 'ETH', amount: parseEther('0.5').toString(), confirmations: 3 });
    await payNative(s.chain, payers.alice, invoice.depositAddress, parseEther('0.5'));
    expect(await s.deliverBlock()).toBe(204);
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Processing',
      amountPaid: parseEther('0.5').toString(),
      payments: [{ status: 'Detected', confirmations: 1 }],
    });

    await s.chain.mine({ blocks: 1 });
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Processing', payments: [{ confirmations: 2 }] });
    await s.chain.mine({ blocks: 1 });
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Settled',
      additionalStatus: 'None',
      payments: [{ status: 'Confirmed', confirmations: 3 }],
    });
    expect(await types(invoice.id)).toEqual([
      'invoice.created',
      'payment.detected',
      'invoice.processing',
      'payment.confirmed',
      'invoice.settled',
    ]);

    await s.deliverSettlements();
    await s.deliverSettlements();
    expect(await ledger(invoice.id)).toEqual([
      { account: 'chain:received', amount: `-${parseEther('0.5').toString()}` },
      { account: 'merchant:available', amount: parseEther('0.5').toString() },
    ]);
  });

  it('in the ERC-20 token: detected from its Transfer log, Settled, credited', async () => {
    const invoice = await s.createInvoice({
      asset: 'TUSD',
      price: { amount: 2500, currency: 'USD' },
      confirmations: 2,
    });
    expect(invoice.amount).toBe('25000000');
    await payToken(s.chain, s.token, payers.bob, invoice.depositAddress, 25_000_000n);
    await s.chain.mine({ blocks: 1 });
    await s.deliverBlock();
    const settled = await s.invoice(invoice.id);
    expect(settled).toMatchObject({
      status: 'Settled',
      asset: 'TUSD',
      amountPaid: '25000000',
      payments: [{ from: payers.bob, amount: '25000000', status: 'Confirmed' }],
    });
    expect((settled['payments'] as { logIndex: number }[])[0]?.logIndex).toBeGreaterThanOrEqual(0);
    await s.deliverSettlements();
    const balances = await fetch(`${s.core.url}/v1/balances`, {
      headers: { authorization: `Bearer ${s.apiKey}` },
    }).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(balances.data).toEqual(
      expect.arrayContaining([
        { chainId: 31337, asset: 'TUSD', assetAddress: s.token, decimals: 6, available: '25000000' },
      ]),
    );
  });
});

describe('payments that do not match', () => {
  it('partial: stays New (PaidPartial) until expiry, then Expired with the partial payment recorded', async () => {
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000000', confirmations: 1 });
    await payNative(s.chain, payers.alice, invoice.depositAddress, 400_000n);
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'New',
      additionalStatus: 'PaidPartial',
      amountPaid: '400000',
      amountDue: '600000',
    });
    await s.db.query("UPDATE invoices SET expires_at = now() - interval '1 second' WHERE id = $1", [invoice.id]);
    await s.deliverTick();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Expired',
      additionalStatus: 'PaidPartial',
      amountPaid: '400000',
    });
    expect(await types(invoice.id)).toEqual([
      'invoice.created',
      'payment.detected',
      'payment.confirmed',
      'invoice.paid-partial',
      'invoice.expired',
    ]);
    expect((await s.outbox(invoice.id)).at(-1)?.data).toMatchObject({ partiallyPaid: true });
  });

  it('within the payment tolerance: settles', async () => {
    const invoice = await s.createInvoice({
      asset: 'ETH',
      amount: '1000000',
      confirmations: 1,
      paymentToleranceBps: 100,
    });
    await payNative(s.chain, payers.alice, invoice.depositAddress, 990_000n);
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Settled',
      additionalStatus: 'None',
      amountPaid: '990000',
    });
  });

  it('over: settles as PaidOver and credits what was paid', async () => {
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000000', confirmations: 1 });
    await payNative(s.chain, payers.bob, invoice.depositAddress, 1_500_000n);
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Settled',
      additionalStatus: 'PaidOver',
      amountPaid: '1500000',
    });
    await s.deliverSettlements();
    expect(await ledger(invoice.id)).toContainEqual({ account: 'merchant:available', amount: '1500000' });
  });

  it('late: paid after expiry is recorded and announced as PaidLate, never credited', async () => {
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000000', confirmations: 1 });
    await s.db.query("UPDATE invoices SET expires_at = now() - interval '1 second' WHERE id = $1", [invoice.id]);
    await s.deliverTick();
    expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Expired', additionalStatus: 'None' });
    await payNative(s.chain, payers.alice, invoice.depositAddress, 1_000_000n);
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({
      status: 'Expired',
      additionalStatus: 'PaidLate',
      amountPaid: '1000000',
    });
    expect(await types(invoice.id)).toEqual([
      'invoice.created',
      'invoice.expired',
      'payment.detected',
      'payment.confirmed',
      'invoice.paid-late',
    ]);
    await s.deliverSettlements();
    expect(await ledger(invoice.id)).toEqual([]);
  });

  it('none: Expired at expiry, with nothing paid', async () => {
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000000' });
    await s.deliverTick();
    expect((await s.invoice(invoice.id))['status']).toBe('New');
    await s.db.query("UPDATE invoices SET expires_at = now() - interval '1 second' WHERE id = $1", [invoice.id]);
    await s.deliverTick();
    expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Expired', additionalStatus: 'None', amountPaid: '0' });
    expect((await s.outbox(invoice.id)).at(-1)).toMatchObject({
      type: 'io.knpay.invoice.expired.v1',
      data: { partiallyPaid: false },
    });
  });

  it('a coin sent to an address that asked for the token is not counted', async () => {
    const invoice = await s.createInvoice({ asset: 'TUSD', amount: '5000000', confirmations: 1 });
    await payNative(s.chain, payers.alice, invoice.depositAddress, 5_000_000n);
    await s.deliverBlock();
    expect(await s.invoice(invoice.id)).toMatchObject({ status: 'New', amountPaid: '0', payments: [] });
  });
});

it('two invoices paid in one block are both settled', async () => {
  const first = await s.createInvoice({ asset: 'ETH', amount: '700', confirmations: 1 });
  const second = await s.createInvoice({ asset: 'TUSD', amount: '800', confirmations: 1 });
  await s.chain.setAutomine(false);
  try {
    const native = await s.chain.sendTransaction({
      account: payers.alice,
      to: first.depositAddress as `0x${string}`,
      value: 700n,
      chain: s.chain.chain,
    });
    const token = await s.chain.writeContract({
      address: s.token,
      abi: (await import('viem')).erc20Abi,
      functionName: 'transfer',
      args: [second.depositAddress as `0x${string}`, 800n],
      account: payers.bob,
      chain: s.chain.chain,
    });
    await s.chain.mine({ blocks: 1 });
    const [a, b] = await Promise.all([native, token].map((hash) => s.chain.getTransactionReceipt({ hash })));
    expect(a?.blockNumber).toBe(b?.blockNumber);
  } finally {
    await s.chain.setAutomine(true);
  }
  await s.deliverBlock();
  expect(await s.invoice(first.id)).toMatchObject({ status: 'Settled', amountPaid: '700' });
  expect(await s.invoice(second.id)).toMatchObject({ status: 'Settled', amountPaid: '800' });
});
