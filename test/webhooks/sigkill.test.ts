import { randomUUID } from 'node:crypto';
import { binaryRequest } from '../helpers/cloudevents';
import { outboxPump } from '../helpers/outbox-pump';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';
import { spawnTs, type SpawnedProcess } from '../helpers/process';
import { WebhookReceiver } from '../helpers/webhook-receiver';
import { webhookPolicy as policy } from '../helpers/webhooks-stack';
import { testChainEnv } from '../fixtures/chain';
import { api } from '../helpers/merchant';

// The webhooks function as its own process, killed with SIGKILL while an attempt is in flight: the
// message is not lost. Its lease runs out, cron's sweep hands it out again, and a new process sends it.
let s: PaymentStack;
const receiver = new WebhookReceiver();
beforeAll(async () => {
  s = await startPaymentStack(policy);
  await receiver.start();
}, 60_000);
afterAll(async () => {
  await receiver.stop();
  await s.stop();
});

const startWebhooks = async (): Promise<{ process: SpawnedProcess; url: string }> => {
  const process_ = spawnTs('bin/serve.ts', ['webhooks'], {
    ...testChainEnv,
    ...policy,
    DATABASE_URL: s.db.url,
    PORT: '0',
    WEBHOOK_TIMEOUT_MS: '10000',
  });
  const started = await process_.waitFor(/"function started"/);
  return { process: process_, url: `http://127.0.0.1:${String((JSON.parse(started) as { port: number }).port)}` };
};

it('loses no message when the function is killed mid-attempt', async () => {
  const endpoint = (await api(s.core.url, s.apiKey, 'POST', '/v1/webhook-endpoints', { url: receiver.url })).body as {
    id: string;
  };
  receiver.answer = () => 'hang';
  let webhooks = await startWebhooks();
  const pump = outboxPump(s.db, () => webhooks.url, ['io.knpay.invoice.created.v1']);
  await s.createInvoice({ asset: 'ETH', amount: '99' });
  await pump();
  const [due] = await s.db.query<{ event_id: string; data: unknown }>(
    "SELECT event_id, data FROM outbox_events WHERE type = 'io.knpay.webhook.message.due.v1'",
  );
  // The attempt starts and hangs at the receiver; the process dies under it.
  const attempt = fetch(
    webhooks.url,
    binaryRequest({
      id: due?.event_id,
      type: 'io.knpay.webhook.message.due.v1',
      source: '/knpay/webhooks',
      data: due?.data,
    }),
  ).catch(() => null);
  for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((done) => setTimeout(done, 50));
  expect(receiver.received).toHaveLength(1);
  webhooks.process.child.kill('SIGKILL');
  expect(await attempt).toBeNull(); // the KafkaSource would see no answer and deliver the command again
  const [held] = await s.db.query<{ status: string; leased: boolean }>(
    'SELECT status, leased_until > now() AS leased FROM webhook_messages WHERE endpoint_id = $1',
    [endpoint.id],
  );
  expect(held).toEqual({ status: 'Pending', leased: true });

  // Later: the lease has run out; cron's sweep finds the message due and a new process sends it.
  await s.db.query(
    "UPDATE webhook_messages SET leased_until = now() - interval '1 second', next_attempt_at = now() WHERE endpoint_id = $1",
    [endpoint.id],
  );
  receiver.answer = () => 204;
  webhooks = await startWebhooks();
  const sweep = await fetch(
    webhooks.url,
    binaryRequest({
      id: randomUUID(),
      type: 'io.knpay.webhook.deliveries.due.v1',
      source: '/knpay/cron',
      data: { dueSince: new Date().toISOString() },
    }),
  );
  expect(sweep.status).toBe(204);
  const handOut = outboxPump(s.db, () => webhooks.url, ['io.knpay.webhook.message.due.v1']);
  await handOut();
  const [delivered] = await s.db.query<{ status: string; attempts: number }>(
    'SELECT status, attempts FROM webhook_messages WHERE endpoint_id = $1',
    [endpoint.id],
  );
  expect(delivered).toEqual({ status: 'Delivered', attempts: 2 });
  expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  webhooks.process.child.kill('SIGTERM');
  await webhooks.process.exited;
}, 60_000);
