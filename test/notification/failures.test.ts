import { randomUUID } from 'node:crypto';
import { startNotificationStack, type NotificationStack } from '../helpers/notification-stack';

// What goes wrong with mail, on real parts (test/helpers/notification-stack.ts): the SMTP server down,
// a refused address, a process killed mid-send; and who gets nothing (settings, buyer consent).
let ns: NotificationStack;
beforeAll(async () => {
  ns = await startNotificationStack();
  await ns.call('PATCH', '/v1/notification-settings', { emails: [MERCHANT], buyerReceipts: true });
}, 60_000);
afterAll(() => ns.stop());

const MERCHANT = 'owner@example.test';

/** An invoice, and its settlement announced to the function as the payment function would. */
async function settledInvoice(metadata: Record<string, unknown> = {}) {
  const invoice = await ns.s.createInvoice({ asset: 'ETH', amount: '1000', metadata });
  const settle = () =>
    ns.deliver('io.knpay.invoice.settled.v1', {
      invoiceId: invoice.id,
      merchantId: ns.s.merchantId,
      chainId: 31337,
      asset: 'native',
      amount: '1000',
      amountPaid: '1000',
      additionalStatus: 'None',
    });
  return { invoice, settle };
}

/** Past due: what cron's next tick finds (time moved by editing rows, never slept). */
const makeDue = (invoiceId: string) =>
  ns.s.db.query(
    "UPDATE notifications SET next_attempt_at = now() - interval '1 second', leased_until = NULL WHERE invoice_id = $1",
    [invoiceId],
  );

it('SMTP down: the notice waits for its retry; up again, it is sent once', async () => {
  await ns.inbox.stop();
  const { invoice, settle } = await settledInvoice();
  expect(await settle()).toBe(204);
  const [waiting] = await ns.noticesOf(invoice.id);
  expect(waiting).toMatchObject({ kind: 'invoice.settled', status: 'Pending', attempts: 1 });
  expect(waiting?.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
  const [due] = await ns.s.db.query<{ wait_s: number }>(
    'SELECT extract(epoch FROM next_attempt_at - now())::float8 AS wait_s FROM notifications WHERE id = $1',
    [waiting?.id],
  );
  expect(due?.wait_s).toBeGreaterThan(50); // the first retry: a minute on

  await ns.inbox.start();
  await makeDue(invoice.id);
  expect(await ns.sweep()).toBe(204);
  expect(await ns.sweep()).toBe(204);
  expect(ns.inbox.to(MERCHANT).filter((m) => m.parsed.text?.includes(invoice.id))).toHaveLength(1);
  expect((await ns.noticesOf(invoice.id))[0]).toMatchObject({ status: 'Sent', attempts: 2, last_error: null });
}, 30_000);

it('a 5xx reply fails the notice for good; a 4xx one is retried', async () => {
  ns.inbox.refuse = (to) => (to === 'gone@example.test' ? 550 : to === 'busy@example.test' ? 451 : null);
  await ns.call('PATCH', '/v1/notification-settings', { emails: ['gone@example.test', 'busy@example.test'] });
  const { invoice, settle } = await settledInvoice();
  expect(await settle()).toBe(204);
  const notices = await ns.noticesOf(invoice.id);
  const by = (to: string) => notices.find((n) => n.recipient === to);
  expect(by('gone@example.test')).toMatchObject({ status: 'Failed', attempts: 1 });
  expect(by('gone@example.test')?.last_error).toMatch(/550|no such mailbox/);
  expect(by('busy@example.test')).toMatchObject({ status: 'Pending', attempts: 1 });

  await makeDue(invoice.id);
  await ns.sweep();
  // The failed one is not tried again; the busy one was, and is still waiting.
  const after = await ns.noticesOf(invoice.id);
  expect(after.find((n) => n.recipient === 'gone@example.test')).toMatchObject({ status: 'Failed', attempts: 1 });
  expect(after.find((n) => n.recipient === 'busy@example.test')).toMatchObject({ status: 'Pending', attempts: 2 });
  ns.inbox.refuse = () => null;
  await ns.call('PATCH', '/v1/notification-settings', { emails: [MERCHANT] });
}, 30_000);

it('a send whose process died is sent again with the same Message-ID', async () => {
  ns.inbox.refuse = () => 451;
  const { invoice, settle } = await settledInvoice();
  await settle();
  ns.inbox.refuse = () => null;
  // As a killed process leaves it: Sending, its lease run out, the result unknown.
  const [notice] = await ns.noticesOf(invoice.id);
  await ns.s.db.query(
    "UPDATE notifications SET status = 'Sending', leased_until = now() - interval '1 second', next_attempt_at = now() - interval '1 second' WHERE id = $1",
    [notice?.id],
  );
  await ns.sweep();
  const sent = ns.inbox.to(MERCHANT).filter((m) => m.parsed.text?.includes(invoice.id));
  expect(sent.map((m) => m.parsed.messageId)).toEqual([notice?.message_id]);
  expect((await ns.noticesOf(invoice.id))[0]?.status).toBe('Sent');
}, 30_000);

it('sends nothing the settings switch off, and buyer mail only where the merchant allows it', async () => {
  await ns.call('PATCH', '/v1/notification-settings', { notices: ['invoice.paid-late'], buyerReceipts: false });
  const off = await settledInvoice({ buyerEmail: 'quiet@example.test' });
  expect(await off.settle()).toBe(204);
  expect(await ns.noticesOf(off.invoice.id)).toEqual([]);

  await ns.call('PATCH', '/v1/notification-settings', { notices: ['invoice.settled'], buyerReceipts: true });
  const allowed = await settledInvoice({ buyerEmail: 'Pays@Example.test' });
  await allowed.settle();
  expect((await ns.noticesOf(allowed.invoice.id)).map((n) => [n.kind, n.recipient])).toEqual([
    ['buyer.receipt', 'pays@example.test'],
    ['invoice.settled', MERCHANT],
  ]);
  // An invoice without buyerEmail: the merchant's notice alone (the API refuses a buyerEmail that is no address).
  const none = await settledInvoice();
  await none.settle();
  expect((await ns.noticesOf(none.invoice.id)).map((n) => n.kind)).toEqual(['invoice.settled']);
}, 30_000);

it('tells the merchant when the webhooks function disables an endpoint', async () => {
  await ns.call('PATCH', '/v1/notification-settings', { notices: ['webhook.endpoint.disabled'] });
  const event = {
    endpointId: randomUUID(),
    merchantId: ns.s.merchantId,
    url: 'https://hooks.example.test/<b>knpay</b>',
    reason: 'the endpoint answered 410 Gone',
  };
  const id = randomUUID();
  expect(await ns.deliver('io.knpay.webhook.endpoint.disabled.v1', event, id)).toBe(204);
  const mail = ns.inbox.to(MERCHANT).at(-1)?.parsed;
  expect(mail?.subject).toBe('Webhook endpoint disabled: https://hooks.example.test/<b>knpay</b>');
  expect(mail?.text).toContain('the endpoint answered 410 Gone');
  expect(mail?.html).toContain('https://hooks.example.test/&lt;b&gt;knpay&lt;/b&gt;');
  // The same event delivered again sends nothing more; recovery notices are switched off here.
  const count = ns.inbox.mails.length;
  expect(await ns.deliver('io.knpay.webhook.endpoint.disabled.v1', event, id)).toBe(204);
  const recovered = { endpointId: event.endpointId, merchantId: event.merchantId, url: event.url };
  expect(await ns.deliver('io.knpay.webhook.endpoint.recovered.v1', recovered)).toBe(204);
  expect(ns.inbox.mails).toHaveLength(count);
});
