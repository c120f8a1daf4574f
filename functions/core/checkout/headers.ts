import type { Response } from 'express';
import { script, style } from './assets';

/**
 * The page's security headers. The CSP allows only the page's own inline script and style, by hash;
 * the live status is fetched from this origin; nothing else loads. `frame-ancestors` is the
 * merchant's list (checkout settings), or no framing at all. No referrer leaves the page: its URL
 * names the invoice.
 */
export function setPageHeaders(res: Response, frameAncestors: readonly string[]): void {
  const csp = [
    "default-src 'none'",
    `script-src ${script.hash}`,
    `style-src ${style.hash}`,
    'img-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
  res.set({
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
}
