import { z } from 'zod';

/**
 * A page that may frame the merchant's checkout pages, as a CSP source: an https origin, its host
 * possibly a `*.` wildcard (`https://*.shop.example`), or plain http on the loopback for development.
 * Nothing else: a path, a scheme alone or `*` would let any site frame the page (clickjacking).
 */
const frameAncestor = z
  .string()
  .max(255)
  .regex(/^(https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/, {
    message: 'must be an origin such as https://shop.example or https://*.shop.example (no path)',
  });

export const checkoutSettings = z.object({
  frameAncestors: z
    .array(frameAncestor)
    .max(20)
    .meta({ description: 'Origins whose pages may embed the checkout page in a frame; empty: none may' }),
});

export const updateCheckoutSettingsBody = z.strictObject({ frameAncestors: checkoutSettings.shape.frameAncestors });

export type CheckoutSettings = z.output<typeof checkoutSettings>;
