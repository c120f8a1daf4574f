import { z } from 'zod';
import { depositConfigSchema } from '../../shared/chain';
import { env } from '../../shared/config';
import { checkoutLinkConfigSchema } from '../../shared/invoices/checkout-link';
import { webhookPolicySchema } from '../../shared/webhooks/policy';

/** `BASE/QUOTE=rate,...`, e.g. `ETH/USD=3000,USDT/USD=1`: the dev rate table. */
const rateTable = z
  .string()
  .regex(/^[A-Za-z0-9]{1,11}\/[A-Za-z]{3}=\d+(\.\d+)?(,[A-Za-z0-9]{1,11}\/[A-Za-z]{3}=\d+(\.\d+)?)*$/, {
    message: 'must be BASE/QUOTE=rate entries separated by commas',
  });

/** The core function's environment: the chain it sells on, where rates come from, invoice defaults. */
export const coreConfigSchema = depositConfigSchema.extend({
  /** fixed: RATES_FIXED (dev); http: RATE_FEED_URL, a URL template with {base} and {quote}. */
  RATE_SOURCE: z.enum(['fixed', 'http']).default('fixed'),
  RATES_FIXED: rateTable.default('ETH/USD=3000,ETH/EUR=2750,USDT/USD=1,USDC/USD=1'),
  RATE_FEED_URL: z.url({ protocol: /^https?$/ }).default('https://api.coinbase.com/v2/prices/{base}-{quote}/spot'),
  RATE_FEED_TIMEOUT_MS: env.integer(100, 30_000).default(3_000),
  /** BTCPay's store defaults: 15 minutes to pay, payments watched for a day after expiry. */
  INVOICE_EXPIRY_SECONDS: env.integer(10, 7 * 24 * 3600).default(900),
  INVOICE_MONITORING_MINUTES: env.integer(0, 30 * 24 * 60).default(1440),
  ...webhookPolicySchema.shape,
  ...checkoutLinkConfigSchema.shape,
  /** How often open checkout pages' invoices are read (one query for all of them): services/checkout-live.ts. */
  CHECKOUT_POLL_MS: env.integer(100, 60_000).default(1_000),
  /**
   * A checkout page's event stream ends after this long and the browser reconnects at once: under
   * the core Service's request timeout (timeoutSeconds, 60 in knative/base), so the platform never
   * cuts a stream mid-update.
   */
  CHECKOUT_STREAM_SECONDS: env.integer(5, 3_600).default(55),
});

export type CoreConfig = z.output<typeof coreConfigSchema>;
