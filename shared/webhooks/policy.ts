import { z } from 'zod';
import { env } from '../config';
import { secretKeyRing } from '../crypto/secret-box';

/**
 * The webhook settings core (endpoints) and webhooks (delivery) both read: the key that seals endpoint
 * secrets, and where webhooks may be sent. Without WEBHOOK_SECRET_KEY the endpoints API answers 503.
 */
export const webhookPolicySchema = z.object({
  WEBHOOK_SECRET_KEY: secretKeyRing.optional(),
  /** Plain-http endpoint URLs: for development only. */
  WEBHOOK_ALLOW_HTTP: env.flag().default(false),
  /** Address ranges let through anyway (shared/webhooks/address-policy.ts): `loopback` under make dev. */
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
});

export type WebhookPolicy = z.output<typeof webhookPolicySchema>;
