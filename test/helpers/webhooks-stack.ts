import { Webhook } from 'standardwebhooks';
import { functions } from '../../functions/registry';
import { newSecretKey } from '../../shared/crypto/secret-box';
import { startTestFunction } from './function-server';
import { api } from './merchant';
import { outboxPump } from './outbox-pump';
import { startPaymentStack } from './payment-stack';
import { WebhookReceiver } from './webhook-receiver';

/** What the webhooks function is started with: secrets sealed, and receivers on this machine allowed. */
export const webhookPolicy = {
  WEBHOOK_SECRET_KEY: newSecretKey('test'),
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'loopback',
};

/**
 * Webhooks end to end on real parts: the payment stack (PostgreSQL, hardhat, core, payment), the
 * webhooks function, and a merchant's receiver on a real socket. Events travel from the outbox to the
 * function as its KafkaSource would send them (outboxPump); time is moved by editing rows, never slept.
 */
export async function startWebhooksStack(env: Record<string, string> = {}) {
  const s = await startPaymentStack({ ...webhookPolicy, WEBHOOK_TIMEOUT_MS: '3000' });
  const webhooks = await startTestFunction('webhooks', await functions.webhooks(), s.db.url, {
    ...webhookPolicy,
    WEBHOOK_TIMEOUT_MS: '3000',
    CHAIN_TOKENS: `TUSD=${s.token}:6`,
    ...env,
  });
  const receiver = new WebhookReceiver();
  await receiver.start();
  const toWebhooks = outboxPump(s.db, () => webhooks.url, [
    'io.knpay.invoice.created.v1',
    'io.knpay.invoice.processing.v1',
    'io.knpay.invoice.settled.v1',
    'io.knpay.webhook.message.due.v1',
    'io.knpay.webhook.deliveries.due.v1',
    'io.knpay.webhook.redelivery.requested.v1',
    'io.knpay.webhook.recovery.requested.v1',
    'io.knpay.webhook.ping.requested.v1',
  ]);
  const call = (method: string, path: string, body?: unknown) => api(s.core.url, s.apiKey, method, path, body);
  return {
    s,
    webhooks,
    receiver,
    toWebhooks,
    call,
    /** Pumps until the outbox has nothing new for the function (messages fan out, then are sent). */
    settleOutbox: async () => {
      for (let round = 0; round < 5; round++) if ((await toWebhooks()).length === 0) return;
    },
    newEndpoint: async (body: Record<string, unknown> = {}) => {
      const res = await call('POST', '/v1/webhook-endpoints', { url: receiver.url, ...body });
      if (res.status !== 201) throw new Error(`endpoint not created: ${String(res.status)}`);
      return res.body as { id: string; secret: string };
    },
    messagesOf: (endpointId: string) =>
      s.db.query<{ id: string; status: string; attempts: number; next_attempt_at: Date | null; event_type: string }>(
        `SELECT id::text, status, attempts, next_attempt_at, event_type FROM webhook_messages
         WHERE endpoint_id = $1 ORDER BY created_at`,
        [endpointId],
      ),
    stop: async () => {
      await receiver.stop();
      await webhooks.stop();
      await s.stop();
    },
  };
}

export type WebhooksStack = Awaited<ReturnType<typeof startWebhooksStack>>;

/** The body of a delivery, verified with the standardwebhooks package (throws when it does not verify). */
export const verified = (secret: string) => (r: { headers: Record<string, unknown>; body: string }) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { id: string } };
