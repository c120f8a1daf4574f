import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import { binaryRequest } from './cloudevents';
import { startTestFunction } from './function-server';
import { api } from './merchant';
import { outboxPump } from './outbox-pump';
import { startPaymentStack } from './payment-stack';
import { SmtpInbox } from './smtp-inbox';

/** The events the notification function's KafkaSource brings it, as the tests pump them from the outbox. */
export const notificationEventTypes = [
  'io.knpay.invoice.paid-partial.v1',
  'io.knpay.invoice.processing.v1',
  'io.knpay.invoice.settled.v1',
  'io.knpay.invoice.expired.v1',
  'io.knpay.invoice.invalid.v1',
  'io.knpay.invoice.paid-late.v1',
  'io.knpay.notification.deliveries.due.v1',
];

export const CHECKOUT_BASE_URL = 'https://pay.example.test';

/**
 * Notifications on real parts: the payment stack (PostgreSQL, hardhat, core, payment), the
 * notification function, and an SMTP server on a real socket. Events travel from the outbox to the
 * function as its KafkaSource would send them (outboxPump); time is moved by editing rows, never slept.
 */
export async function startNotificationStack() {
  const s = await startPaymentStack();
  const inbox = new SmtpInbox();
  await inbox.start();
  const notification = await startTestFunction('notification', await functions.notification(), s.db.url, {
    SMTP_URL: inbox.url,
    SMTP_TIMEOUT_MS: '3000',
    CHAIN_TOKENS: `TUSD=${s.token}:6`,
    CHECKOUT_BASE_URL,
  });
  const call = (method: string, path: string, body?: unknown) => api(s.core.url, s.apiKey, method, path, body);
  /** Sends one event straight to the function, as its KafkaSource would: the answer's status. */
  const deliver = async (type: string, data: unknown, id: string = randomUUID()) =>
    (await fetch(notification.url, binaryRequest({ id, type, source: '/test', subject: 'test', data }))).status;
  return {
    s,
    inbox,
    notification,
    call,
    deliver,
    pump: outboxPump(s.db, () => notification.url, notificationEventTypes),
    /** cron's sweep, as its tick emits it when a notice is due. */
    sweep: () => deliver('io.knpay.notification.deliveries.due.v1', { dueSince: new Date().toISOString() }),
    noticesOf: (invoiceId: string) =>
      s.db.query<{
        id: string;
        kind: string;
        recipient: string;
        status: string;
        attempts: number;
        last_error: string | null;
        message_id: string;
      }>(
        `SELECT id::text, kind, recipient, status, attempts, last_error, message_id FROM notifications
         WHERE invoice_id = $1 ORDER BY created_at, kind`,
        [invoiceId],
      ),
    stop: async () => {
      await notification.stop();
      await inbox.stop();
      await s.stop();
    },
  };
}

export type NotificationStack = Awaited<ReturnType<typeof startNotificationStack>>;
