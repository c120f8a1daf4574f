import { functions } from '../../functions/registry';
import { payers, payNative } from '../../local/chain/wallet';
import type { RunningFunction } from '../../shared/runtime';
import { startTestFunction } from '../helpers/function-server';
import { outboxPump } from '../helpers/outbox-pump';
import type { PaymentStack } from '../helpers/payment-stack';
import type { WebhookReceiver } from '../helpers/webhook-receiver';
import { startWebhooksStack, verified, webhookPolicy as policy, type WebhooksStack } from '../helpers/webhooks-stack';

// Webhooks end to end on real parts (test/helpers/webhooks-stack.ts); a merchant's receiver verifies
// every delivery with the standardwebhooks package.
let ws: WebhooksStack;
let s: PaymentStack;
let webhooks: RunningFunction;
let receiver: WebhookReceiver;
beforeAll(async () => {
  ws = await startWebhooksStack();
  ({ s, webhooks, receiver } = ws);
}, 60_000);
afterAll(() => ws.stop());
// What a test left in the outbox reaches the function before the next test makes its endpoint.
beforeEach(() => ws.settleOutbox());

const call = (method: string, path: string, body?: unknown) => ws.call(method, path, body);
const settleOutbox = () => ws.settleOutbox();
const newEndpoint = (body?: Record<string, unknown>) => ws.newEndpoint(body);
const messagesOf = (endpointId: string) => ws.messagesOf(endpointId);

describe('an invoice paid on the local chain', () => {
  it('sends invoice.processing and invoice.settled, signed, with the invoice as GET shows it', async () => {
    const endpoint = await newEndpoint({ eventTypes: ['invoice.processing', 'invoice.settled'] });
    receiver.received.length = 0;
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '1000', confirmations: 1 });
    await payNative(s.chain, payers.alice, invoice.depositAddress, 1000n);
    await s.deliverBlock();
    await settleOutbox();

    const bodies = receiver.received.map(verified(endpoint.secret));
    expect(bodies.map((b) => b.type)).toEqual(['invoice.processing', 'invoice.settled']);
    const settled = receiver.received[1];
    const got = await call('GET', `/v1/invoices/${invoice.id}`);
    expect(JSON.parse(settled?.body ?? '{}')).toMatchObject({
      type: 'invoice.settled',
      api_version: expect.any(String) as string,
    });
    expect((JSON.parse(settled?.body ?? '{}') as { data: unknown }).data).toEqual(got.body);
    // The buyer's page is linked from every webhook, as from the API.
    expect(got.body).toMatchObject({ checkoutUrl: `http://127.0.0.1:8081/checkout/${invoice.id}` });
    expect(settled?.headers['content-type']).toBe('application/json');
    expect(settled?.headers['user-agent']).toMatch(/^knpay-webhooks/);
    // Subscribed to two types: invoice.created made no message for it.
    expect((await messagesOf(endpoint.id)).map((m) => [m.event_type, m.status])).toEqual([
      ['invoice.processing', 'Delivered'],
      ['invoice.settled', 'Delivered'],
    ]);
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  }, 30_000);

  it('makes no second message when the domain event is delivered again', async () => {
    const endpoint = await newEndpoint();
    const invoice = await s.createInvoice({ asset: 'ETH', amount: '77' });
    await settleOutbox();
    const [created] = await s.db.query<{ event_id: string; data: unknown }>(
      "SELECT event_id, data FROM outbox_events WHERE type = 'io.knpay.invoice.created.v1' AND subject = $1",
      [invoice.id],
    );
    const again = await fetch(webhooks.url, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': created?.event_id ?? '',
        'ce-source': '/knpay/core',
        'ce-type': 'io.knpay.invoice.created.v1',
        'content-type': 'application/json',
      },
      body: JSON.stringify(created?.data),
    });
    expect(again.status).toBe(204);
    expect((await messagesOf(endpoint.id)).filter((m) => m.event_type === 'invoice.created')).toHaveLength(1);
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  });
});

describe('a receiver that fails', () => {
  /** Moves the message's next attempt to now and runs cron's sweep, as the next tick would. */
  const nextAttempt = async (messageId: string) => {
    await s.db.query('UPDATE webhook_messages SET next_attempt_at = now() WHERE id = $1', [messageId]);
    await s.db.query(
      `INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data)
       VALUES (gen_random_uuid(), 'io.knpay.webhook.deliveries.due.v1', '/knpay/cron', 'webhooks', 'knpay.webhook-commands',
               now(), $1)`,
      [{ dueSince: new Date().toISOString() }],
    );
    await settleOutbox();
  };

  it.each([
    ['answers 500', () => 500 as const, /answered 500/],
    ['never answers', () => 'hang' as const, /no complete answer within 3000 ms/],
  ])(
    '%s: retried on the schedule with the same webhook-id, each attempt logged',
    async (_what, answer, error) => {
      const endpoint = await newEndpoint();
      receiver.answer = answer;
      receiver.received.length = 0;
      const before = Date.now();
      await s.createInvoice({ asset: 'ETH', amount: '5' });
      await settleOutbox();
      const [message] = await messagesOf(endpoint.id);
      expect(message).toMatchObject({ status: 'Pending', attempts: 1 });
      // Retry 1 comes 5 s later, ±10 %.
      const delay = (message?.next_attempt_at?.getTime() ?? 0) - before;
      expect(delay).toBeGreaterThan(4_000);
      expect(delay).toBeLessThan(5_500 + 1_000);
      await nextAttempt(message?.id ?? '');
      const [again] = await messagesOf(endpoint.id);
      expect(again).toMatchObject({ status: 'Pending', attempts: 2 });
      // Retry 2 comes 5 minutes later, ±10 %.
      const second = (again?.next_attempt_at?.getTime() ?? 0) - Date.now();
      expect(second).toBeGreaterThan(265_000);
      expect(second).toBeLessThan(331_000);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([message?.id]));
      const attempts = await s.db.query<{ error: string | null }>(
        'SELECT error FROM webhook_attempts WHERE message_id = $1 ORDER BY id',
        [message?.id],
      );
      expect(attempts).toHaveLength(2);
      for (const attempt of attempts) expect(attempt.error).toMatch(error);
      receiver.answer = () => 204;
      await nextAttempt(message?.id ?? '');
      expect((await messagesOf(endpoint.id))[0]).toMatchObject({ status: 'Delivered', attempts: 3 });
      await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
    },
    30_000,
  );

  it('refusing connections: a failure recorded with its cause, then 410 Gone disables the endpoint and says so', async () => {
    const endpoint = await newEndpoint({ url: 'http://127.0.0.1:9/closed' });
    await s.createInvoice({ asset: 'ETH', amount: '6' });
    await settleOutbox();
    const [message] = await messagesOf(endpoint.id);
    const [attempt] = await s.db.query<{ error: string; status_code: number | null }>(
      'SELECT error, status_code FROM webhook_attempts WHERE message_id = $1',
      [message?.id],
    );
    expect(attempt).toMatchObject({ status_code: null, error: expect.stringMatching(/ECONNREFUSED/) as string });

    await call('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { url: receiver.url });
    receiver.answer = () => 410;
    await nextAttempt(message?.id ?? '');
    receiver.answer = () => 204;
    expect((await call('GET', `/v1/webhook-endpoints/${endpoint.id}`)).body).toMatchObject({
      enabled: false,
      disabledReason: 'the endpoint answered 410 Gone',
    });
    const notices = await s.db.query<{ data: { endpointId: string } }>(
      "SELECT data FROM outbox_events WHERE type = 'io.knpay.webhook.endpoint.disabled.v1'",
    );
    expect(notices.map((n) => n.data.endpointId)).toContain(endpoint.id);
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  }, 30_000);

  it('failing every attempt for 5 days disables the endpoint; enabled again, its next delivery announces recovery', async () => {
    const endpoint = await newEndpoint();
    receiver.answer = () => 503;
    await s.createInvoice({ asset: 'ETH', amount: '7' });
    await settleOutbox();
    const [message] = await messagesOf(endpoint.id);
    await s.db.query(
      "UPDATE webhook_attempts SET attempted_at = attempted_at - interval '6 days' WHERE message_id = $1",
      [message?.id],
    );
    await nextAttempt(message?.id ?? '');
    const disabled = (await call('GET', `/v1/webhook-endpoints/${endpoint.id}`)).body;
    expect(disabled).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^every attempt has failed since/) as string,
    });

    receiver.answer = () => 204;
    await call('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
    await nextAttempt(message?.id ?? '');
    expect((await messagesOf(endpoint.id))[0]).toMatchObject({ status: 'Delivered' });
    const recovered = await s.db.query<{ data: { endpointId: string } }>(
      "SELECT data FROM outbox_events WHERE type = 'io.knpay.webhook.endpoint.recovered.v1'",
    );
    expect(recovered.map((n) => n.data.endpointId)).toEqual([endpoint.id]);
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  }, 30_000);
});

describe('secret rotation', () => {
  it('signs with both secrets during the overlap, and with the new one alone after it', async () => {
    const endpoint = await newEndpoint();
    const rotated = (await call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { overlapHours: 1 }))
      .body as { secret: string; previousSecretValidUntil: string };
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.previousSecretValidUntil) - Date.now()).toBeGreaterThan(3_500_000);
    receiver.received.length = 0;
    await s.createInvoice({ asset: 'ETH', amount: '8' });
    await settleOutbox();
    const during = receiver.received.at(-1);
    expect(during?.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(() => verified(endpoint.secret)(during as never)).not.toThrow();
    expect(() => verified(rotated.secret)(during as never)).not.toThrow();

    await s.db.query("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = $1", [
      endpoint.id,
    ]);
    await s.createInvoice({ asset: 'ETH', amount: '9' });
    await settleOutbox();
    const after = receiver.received.at(-1);
    expect(() => verified(endpoint.secret)(after as never)).toThrow();
    expect(() => verified(rotated.secret)(after as never)).not.toThrow();
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  }, 30_000);
});

describe('addresses webhooks are never sent to', () => {
  it('refuses a hostname that resolves to a private address, at connection time, as a recorded failure', async () => {
    // This core allows loopback; a webhooks function that does not is the one checking here.
    const strict = await startTestFunction('webhooks', await functions.webhooks(), s.db.url, {
      WEBHOOK_SECRET_KEY: policy.WEBHOOK_SECRET_KEY,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_TIMEOUT_MS: '3000',
    });
    try {
      const endpoint = await newEndpoint({ url: receiver.url.replace('127.0.0.1', 'localhost') });
      await settleOutbox(); // what is pending for the other function goes there first
      const [last] = await s.db.query<{ id: string }>('SELECT COALESCE(max(id), 0)::text AS id FROM outbox_events');
      const pumpStrict = outboxPump(
        s.db,
        () => strict.url,
        ['io.knpay.invoice.created.v1', 'io.knpay.webhook.message.due.v1'],
        Number(last?.id ?? 0),
      );
      await s.createInvoice({ asset: 'ETH', amount: '10' });
      for (let round = 0; round < 3; round++) await pumpStrict();
      const [message] = await messagesOf(endpoint.id);
      const [attempt] = await s.db.query<{ error: string }>(
        'SELECT error FROM webhook_attempts WHERE message_id = $1',
        [message?.id],
      );
      expect(attempt?.error).toMatch(/localhost: .* is in a loopback range, where webhooks are not sent/);
      await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
    } finally {
      await strict.stop();
    }
  }, 30_000);
});
