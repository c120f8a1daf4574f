import { newMerchant, api } from '../helpers/merchant';
import type { PaymentStack } from '../helpers/payment-stack';
import type { WebhookReceiver } from '../helpers/webhook-receiver';
import { startWebhooksStack, verified, type WebhooksStack } from '../helpers/webhooks-stack';

// The delivery log through the merchant API, and what a merchant asks of it, on real parts
// (test/helpers/webhooks-stack.ts).
let ws: WebhooksStack;
let s: PaymentStack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  ws = await startWebhooksStack();
  ({ s, receiver } = ws);
}, 60_000);
afterAll(() => ws.stop());

const call = (method: string, path: string, body?: unknown) => ws.call(method, path, body);
const settleOutbox = () => ws.settleOutbox();
const newEndpoint = (body?: Record<string, unknown>) => ws.newEndpoint(body);
const messagesOf = (endpointId: string) => ws.messagesOf(endpointId);

describe('the delivery log, and what a merchant asks of it', () => {
  it('lists messages and attempts; test pings, redelivers with the same webhook-id, and recovers failed messages', async () => {
    // Its own path on the shared receiver: what earlier tests left in flight is not counted here.
    const path = `?endpoint=${String(Date.now())}`;
    const endpoint = await newEndpoint({ url: `${receiver.url}${path}` });
    const mine = () => receiver.received.filter((r) => r.url.endsWith(path));
    receiver.answer = () => 200;

    expect((await call('POST', `/v1/webhook-endpoints/${endpoint.id}/test`, {})).status).toBe(202);
    await settleOutbox();
    expect(
      mine()
        .map(verified(endpoint.secret))
        .map((b) => b.type),
    ).toEqual(['ping']);

    const invoice = await s.createInvoice({ asset: 'ETH', amount: '11' });
    await settleOutbox();
    const page = (await call('GET', `/v1/webhook-endpoints/${endpoint.id}/messages?eventType=invoice.created`))
      .body as { data: { id: string; status: string; attempts: number }[]; nextCursor: string | null };
    expect(page.data).toEqual([expect.objectContaining({ status: 'Delivered', attempts: 1 })]);
    const messageId = page.data[0]?.id ?? '';
    expect((await call('GET', `/v1/webhook-messages/${messageId}/attempts`)).body).toEqual({
      data: [expect.objectContaining({ statusCode: 200, error: null, responseBody: 'answered 200' })],
    });

    expect((await call('POST', `/v1/webhook-messages/${messageId}/redeliver`, {})).status).toBe(202);
    await settleOutbox();
    const ids = mine().map((r) => r.headers['webhook-id']);
    expect(ids.filter((id) => id === messageId)).toHaveLength(2);
    expect(JSON.parse(mine().at(-1)?.body ?? '{}')).toMatchObject({ data: { id: invoice.id } });

    // A message that failed for good is attempted again by a recovery whose window holds it.
    await s.db.query("UPDATE webhook_messages SET status = 'Failed', next_attempt_at = NULL WHERE id = $1", [
      messageId,
    ]);
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await call('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since })).status).toBe(202);
    await settleOutbox();
    expect((await messagesOf(endpoint.id)).find((m) => m.id === messageId)).toMatchObject({
      status: 'Delivered',
      attempts: 3,
    });

    // Nothing of another merchant's, and bad input is a problem, not a 500.
    const other = await newMerchant(s.admin);
    expect(
      (await api(s.core.url, other.apiKey, 'POST', `/v1/webhook-messages/${messageId}/redeliver`, {})).status,
    ).toBe(404);
    expect((await api(s.core.url, other.apiKey, 'GET', `/v1/webhook-messages/${messageId}/attempts`)).status).toBe(404);
    expect((await call('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: 'yesterday' })).status).toBe(
      422,
    );
    expect((await call('GET', `/v1/webhook-endpoints/${endpoint.id}/messages?status=Lost`)).status).toBe(422);
    receiver.answer = () => 204;
    await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  }, 30_000);
});
