import { z } from 'zod';
import { chainConfigSchema } from '../../shared/chain';
import { env } from '../../shared/config';
import { checkoutLinkConfigSchema } from '../../shared/invoices/checkout-link';
import { webhookPolicySchema } from '../../shared/webhooks/policy';

/** The webhooks function's environment: the chain (to show amounts as core does), and delivery limits. */
export const webhooksConfigSchema = chainConfigSchema.extend({
  ...webhookPolicySchema.shape,
  ...checkoutLinkConfigSchema.shape,
  /** An attempt that has no complete answer by then failed (Stripe and Svix: 15 s). */
  WEBHOOK_TIMEOUT_MS: env.integer(100, 60_000).default(15_000),
  /** Attempts in flight per endpoint, so one slow receiver cannot take every slot. */
  WEBHOOK_MAX_IN_FLIGHT: env.integer(1, 100).default(4),
  /** Inbound provider webhooks (POST /hooks/alchemy): the signing key from Alchemy's dashboard, a Secret. */
  ALCHEMY_SIGNING_KEY: z.string().min(16).optional(),
});

export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;
