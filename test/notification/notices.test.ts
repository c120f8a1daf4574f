import { payers, payNative } from '../../local/chain/wallet';
import { outboxPump } from '../helpers/outbox-pump';
import {
  CHECKOUT_BASE_URL,
  notificationEventTypes,
  startNotificationStack,
  type NotificationStack,
} from '../helpers/notification-stack';

// Notices end to end on real parts (test/helpers/notification-stack.ts): an invoice paid on the local
// chain, the notification function, and an SMTP server (smtp-server) that parses what it receives.
let ns: NotificationStack;
beforeAll(async () => {
  ns = await startNotificationStack();
}, 60_000);
afterAll(() => ns.stop());

const MERCHANT = 'shop@example.test';
const BUYER = 'buyer@example.test';
const FINNEY = 10n ** 15n;

describe('settings', () => {
  it('starts from documented defaults and changes only what a PATCH names', async () => {
    const defaults = await ns.call('GET', '/v1/notification-settings');
    expect(defaults.status).toBe(200);
    expect(defaults.body).toMatchObject({ emails: [], buyerReceipts: false, senderName: null });
    expect((defaults.body as { notices: string[] }).notices).toContain('invoice.settled');

    const changed = await ns.call('PATCH', '/v1/notification-settings', {
      emails: [MERCHANT.toUpperCase()],
      buyerReceipts: true,
      senderName: 'Test & <Co>',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ emails: [MERCHANT], buyerReceipts: true, senderName: 'Test & <Co>' });
    expect((await ns.call('GET', '/v1/notification-settings')).body).toEqual(changed.body);
  });

  it.each([
    ['nothing to change', {}],
    ['an address that is not one', { emails: ['nope'] }],
    ['a notice that does not exist', { notices: ['invoice.bogus'] }],
    ['an unknown field', { sms: true }],
    ['too many addresses', { emails: Array.from({ length: 6 }, (_, i) => `a${String(i)}@example.test`) }],
  ])('refuses %s with a problem body', async (_what, body) => {
    const res = await ns.call('PATCH', '/v1/notification-settings', body);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/^\/problems\//) as string });
  });
});

describe('an invoice paid in two parts on the local chain', () => {
  it('mails the merchant and the buyer each notice once, escaped, with amounts in the asset decimals', async () => {
    const invoice = await ns.s.createInvoice({
      asset: 'ETH',
      amount: (10n * FINNEY).toString(),
      confirmations: 1,
      metadata: { orderId: '<script>alert(1)</script>', buyerEmail: BUYER },
    });
    await payNative(ns.s.chain, payers.alice, invoice.depositAddress, 4n * FINNEY);
    await ns.s.deliverBlock();
    await payNative(ns.s.chain, payers.alice, invoice.depositAddress, 6n * FINNEY);
    await ns.s.deliverBlock();
    await ns.pump();

    const toMerchant = ns.inbox.to(MERCHANT).map((m) => m.parsed);
    expect(toMerchant.map((m) => m.subject)).toEqual([
      'Partly paid: invoice <script>alert(1)</script>',
      'Paid: invoice <script>alert(1)</script> (0.01 ETH)',
    ]);
    const settled = toMerchant[1];
    expect(settled?.text).toContain('0.01 ETH received');
    expect(settled?.text).toContain(`${CHECKOUT_BASE_URL}/checkout/${invoice.id}`);
    expect(settled?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(settled?.html).not.toContain('<script>');
    expect(settled?.from?.text).toBe('"Test & <Co>" <notifications@knpay.localhost>');
    expect(settled?.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe');

    const toBuyer = ns.inbox.to(BUYER).map((m) => m.parsed);
    expect(toBuyer.map((m) => m.subject)).toEqual([
      'Part of your payment to Test shop has arrived',
      'Your payment to Test shop is confirmed',
    ]);
    expect(toBuyer[0]?.text).toContain('0.006 ETH remains');
    expect(toBuyer[1]?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(
      `List-Unsubscribe: <mailto:${MERCHANT}?subject=unsubscribe>`,
    );
    expect(toBuyer[1]?.replyTo?.text).toBe(MERCHANT);

    const notices = await ns.noticesOf(invoice.id);
    expect(notices.map((n) => [n.kind, n.status])).toEqual([
      ['buyer.paid-partial', 'Sent'],
      ['invoice.paid-partial', 'Sent'],
      ['buyer.receipt', 'Sent'],
      ['invoice.settled', 'Sent'],
    ]);
    expect(ns.inbox.mails.map((m) => m.parsed.messageId)).toEqual(
      expect.arrayContaining(notices.map((n) => n.message_id)),
    );
    const feed = await ns.call('GET', '/v1/notifications?limit=3');
    expect((feed.body as { data: { kind: string }[] }).data.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['invoice.settled', 'buyer.receipt']),
    );
    const next = (feed.body as { nextCursor: string }).nextCursor;
    const rest = await ns.call('GET', `/v1/notifications?limit=3&cursor=${next}`);
    expect((rest.body as { data: unknown[] }).data).toHaveLength(1);

    // Every event delivered again (a KafkaSource redelivers after a crash): nothing more is sent.
    const sentBefore = ns.inbox.mails.length;
    const again = outboxPump(ns.s.db, () => ns.notification.url, notificationEventTypes);
    expect((await again()).every((status) => status === 204)).toBe(true);
    expect(ns.inbox.mails).toHaveLength(sentBefore);
    const announced = await ns.s.db.query(
      "SELECT 1 FROM outbox_events WHERE type = 'io.knpay.notification.sent.v1' AND data->>'merchantId' = $1",
      [ns.s.merchantId],
    );
    expect(announced).toHaveLength(4);
  }, 30_000);
});
