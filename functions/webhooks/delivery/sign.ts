import { Webhook } from 'standardwebhooks';

/**
 * The Standard Webhooks headers of one attempt: the message id (the same on every attempt), this
 * attempt's time, and a `v1,` signature of `id.timestamp.body` by each secret in use (two during a
 * rotation's overlap, space-separated, so a receiver holding either verifies).
 */
export function signedHeaders(messageId: string, body: string, secrets: string[], at: Date): Record<string, string> {
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
