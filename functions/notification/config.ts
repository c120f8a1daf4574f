import { z } from 'zod';
import { chainConfigSchema } from '../../shared/chain';
import { env } from '../../shared/config';
import { checkoutLinkConfigSchema } from '../../shared/invoices/checkout-link';

/** The notification function's environment: the chain (amounts shown in the asset's decimals) and mail. */
export const notificationConfigSchema = chainConfigSchema.extend({
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start), with credentials: a Secret. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }),
  /** The address mail is sent from; the merchant's sender name is put before it. */
  MAIL_FROM: z.email().default('notifications@knpay.localhost'),
  ...checkoutLinkConfigSchema.shape,
  /** SMTP connections kept open and used in turn (nodemailer's pool). */
  SMTP_MAX_CONNECTIONS: env.integer(1, 50).default(5),
  /** A send with no complete SMTP dialogue by then failed (and is retried). */
  SMTP_TIMEOUT_MS: env.integer(1_000, 120_000).default(30_000),
});

export type NotificationConfig = z.output<typeof notificationConfigSchema>;
