import { randomUUID } from 'node:crypto';
import { payers, payNative } from '../../local/chain/wallet';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';

let s: PaymentStack;
beforeAll(async () => {
  s = await startPaymentStack();
}, 60_000);
afterAll(async () => {
  await s.stop();
});

const count = async (sql: string, params: unknown[]) => Number((await s.db.query<{ n: string }>(sql, params))[0]?.n);
const eventsOf = (invoiceId: string, type: string) =>
  count('SELECT count(*) AS n FROM outbox_events WHERE subject = $1 AND type = $2', [invoiceId, type]);

it('a reorg that removes a payment before settlement rolls it back; the payment mined again settles once', async () => {
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '123456', confirmations: 3 });
  await s.deliverBlock();
  const snapshot = await s.chain.snapshot();
  await payNative(s.chain, payers.alice, invoice.depositAddress, 123_456n);
  await s.deliverBlock();
  expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Processing' });

  // The block holding the payment is replaced by a longer chain without it.
  await s.chain.revert({ id: snapshot });
  await s.chain.mine({ blocks: 2 });
  await s.deliverBlock();
  expect(await s.invoice(invoice.id)).toMatchObject({
    status: 'New',
    additionalStatus: 'None',
    amountPaid: '0',
    payments: [{ status: 'Reorged' }],
  });
  expect(await eventsOf(invoice.id, 'io.knpay.payment.reorged.v1')).toBe(1);
  expect(await eventsOf(invoice.id, 'io.knpay.invoice.reopened.v1')).toBe(1);

  await payNative(s.chain, payers.bob, invoice.depositAddress, 123_456n);
  await s.chain.mine({ blocks: 2 });
  await s.deliverBlock();
  expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Settled', amountPaid: '123456' });
  await s.deliverSettlements();
  await s.deliverSettlements();
  expect(await eventsOf(invoice.id, 'io.knpay.invoice.settled.v1')).toBe(1);
  expect(
    await count("SELECT count(*) AS n FROM ledger_entries WHERE invoice_id = $1 AND account = 'merchant:available'", [
      invoice.id,
    ]),
  ).toBe(1);
});

it('a payment reorged out and mined again in another block is detected again, once', async () => {
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '5000', confirmations: 2 });
  await s.deliverBlock();
  const snapshot = await s.chain.snapshot();
  const hash = await payNative(s.chain, payers.alice, invoice.depositAddress, 5_000n);
  await s.deliverBlock();
  const tx = await s.chain.getTransaction({ hash: hash as `0x${string}` });
  await s.chain.revert({ id: snapshot });
  await s.chain.mine({ blocks: 1 });
  // The same signed transaction lands in a later block.
  await s.chain.sendRawTransaction({
    serializedTransaction: (await import('viem')).serializeTransaction(
      {
        type: 'eip1559',
        chainId: 31337,
        nonce: tx.nonce,
        to: tx.to,
        value: tx.value,
        gas: tx.gas,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      },
      { r: tx.r, s: tx.s, yParity: tx.yParity ?? 0 },
    ),
  });
  await s.chain.mine({ blocks: 1 });
  await s.deliverBlock();
  const after = await s.invoice(invoice.id);
  expect(after).toMatchObject({ status: 'Settled', payments: [{ txHash: hash, status: 'Confirmed' }] });
  expect(await eventsOf(invoice.id, 'io.knpay.payment.detected.v1')).toBe(2);
  expect(await eventsOf(invoice.id, 'io.knpay.payment.reorged.v1')).toBe(1);
});

it('the same block event and the same tick delivered twice have one effect', async () => {
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '4242', confirmations: 1 });
  await payNative(s.chain, payers.alice, invoice.depositAddress, 4_242n);
  const blockId = randomUUID();
  const tickId = randomUUID();
  expect([
    await s.deliverBlock(blockId),
    await s.deliverBlock(blockId),
    await s.deliverTick(tickId),
    await s.deliverTick(tickId),
  ]).toEqual([204, 204, 204, 204]);
  expect(await count('SELECT count(*) AS n FROM payments WHERE invoice_id = $1', [invoice.id])).toBe(1);
  for (const type of [
    'io.knpay.payment.detected.v1',
    'io.knpay.payment.confirmed.v1',
    'io.knpay.invoice.processing.v1',
    'io.knpay.invoice.settled.v1',
  ]) {
    expect([type, await eventsOf(invoice.id, type)]).toEqual([type, 1]);
  }
});

it('two scans at once take turns and record everything once', async () => {
  const invoices = await Promise.all(
    [1, 2, 3].map(() => s.createInvoice({ asset: 'ETH', amount: '999', confirmations: 1 })),
  );
  for (const invoice of invoices) await payNative(s.chain, payers.bob, invoice.depositAddress, 999n);
  const answers = await Promise.all([s.deliverBlock(), s.deliverTick(), s.deliverBlock(), s.deliverTick()]);
  expect(answers).toEqual([204, 204, 204, 204]);
  for (const invoice of invoices) {
    expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Settled' });
    expect(await eventsOf(invoice.id, 'io.knpay.payment.detected.v1')).toBe(1);
    expect(await eventsOf(invoice.id, 'io.knpay.invoice.settled.v1')).toBe(1);
  }
  const [blocks] = await s.db.query<{ n: string; distinct: string }>(
    'SELECT count(*) AS n, count(DISTINCT number) AS distinct FROM chain_blocks',
  );
  expect(blocks?.n).toBe(blocks?.distinct);
});

it('a Processing invoice not confirmed within its monitoring window becomes Invalid', async () => {
  const invoice = await s.createInvoice({ asset: 'ETH', amount: '31', confirmations: 50 });
  await payNative(s.chain, payers.alice, invoice.depositAddress, 31n);
  await s.deliverBlock();
  expect((await s.invoice(invoice.id))['status']).toBe('Processing');
  await s.db.query("UPDATE invoices SET monitoring_until = now() - interval '1 second' WHERE id = $1", [invoice.id]);
  await s.deliverTick();
  expect(await s.invoice(invoice.id)).toMatchObject({ status: 'Invalid' });
  expect((await s.outbox(invoice.id)).at(-1)).toMatchObject({
    type: 'io.knpay.invoice.invalid.v1',
    data: { reason: 'not-confirmed-in-time' },
  });
});

it('refuses a scan for a chain it does not watch (422: dead-lettered, not retried)', async () => {
  const res = await fetch(s.payment.url, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': 'x',
      'ce-source': '/t',
      'ce-type': 'io.knpay.chain.scan.requested.v1',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ chainId: 1, reason: 'operator' }),
  });
  expect(res.status).toBe(422);
});
