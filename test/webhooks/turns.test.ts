import { setTimeout as sleep } from 'node:timers/promises';
import { outboxPump } from '../helpers/outbox-pump';
import { startWebhooksStack, verified, type WebhooksStack } from '../helpers/webhooks-stack';

// The per-endpoint cap on real parts (test/helpers/webhooks-stack.ts): message commands arrive all at
// once, as the unordered KafkaSource sends them; those beyond the cap wait for their endpoint's turn
// and are handed out by the attempts that finish, with no cron sweep.
let ws: WebhooksStack;
beforeAll(async () => {
  ws = await startWebhooksStack({ WEBHOOK_MAX_IN_FLIGHT: '2' });
}, 60_000);
afterAll(() => ws.stop());

it('holds an endpoint to its cap, and drains what waits as its attempts finish', async () => {
  const { s, receiver, webhooks } = ws;
  const endpoint = await ws.newEndpoint();
  const pings = outboxPump(s.db, () => webhooks.url, ['io.knpay.webhook.ping.requested.v1']);
  const due = outboxPump(s.db, () => webhooks.url, ['io.knpay.webhook.message.due.v1'], 0, true);
  for (let i = 0; i < 5; i++)
    expect((await ws.call('POST', `/v1/webhook-endpoints/${endpoint.id}/test`, {})).status).toBe(202);
  await pings();

  receiver.answer = () => 'hang';
  receiver.received.length = 0;
  const firstWave = due();
  while (receiver.received.length < 2) await sleep(20);
  await sleep(300);
  // Two in flight; the other three answered at once, due now, waiting for a turn.
  expect(receiver.received).toHaveLength(2);
  const waiting = await s.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM webhook_messages
     WHERE endpoint_id = $1 AND status = 'Pending' AND leased_until IS NULL AND next_attempt_at <= now()`,
    [endpoint.id],
  );
  expect(waiting[0]?.n).toBe(3);

  receiver.answer = () => 204;
  receiver.release(204);
  expect(await firstWave).toEqual([204, 204, 204, 204, 204]);
  // Each finished attempt handed out the next: the waiting three go in turn, without a sweep.
  for (let round = 0; round < 5; round++) await due();
  const statuses = await ws.messagesOf(endpoint.id);
  expect(statuses.map((m) => m.status)).toEqual(Array(5).fill('Delivered'));
  const ids = receiver.received.map((r) => r.headers['webhook-id']);
  expect(new Set(ids).size).toBe(5);
  expect(receiver.received.map(verified(endpoint.secret)).every((b) => b.type === 'ping')).toBe(true);
  const sweeps = await s.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'io.knpay.webhook.deliveries.due.v1'`,
  );
  expect(sweeps[0]?.n).toBe(0);
}, 30_000);
