import { z } from 'zod';

/**
 * Where buyers and merchants open an invoice: the public origin of the core Service, which serves the
 * checkout page. Every invoice resource (the API, each webhook, each notice) carries the link.
 */
export const checkoutLinkConfigSchema = z.object({
  CHECKOUT_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8081'),
});

export type CheckoutLinkConfig = z.output<typeof checkoutLinkConfigSchema>;

export const checkoutUrl = (config: CheckoutLinkConfig, invoiceId: string): string =>
  `${config.CHECKOUT_BASE_URL.replace(/\/+$/, '')}/checkout/${invoiceId}`;
