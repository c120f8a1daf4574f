import { z } from 'zod';
import { hashBearerSecret, newBearerSecret, type BearerSecret } from './bearer-secrets';

/** What a key may do. A route names the one scope it needs. */
export const scopes = [
  'invoices:read',
  'invoices:write',
  'balances:read',
  'webhooks:read',
  'webhooks:write',
  'notifications:read',
  'notifications:write',
  'checkout:read',
  'checkout:write',
] as const;
export const scopeSchema = z.enum(scopes);
export type Scope = z.output<typeof scopeSchema>;

/** knp_ + 43 base64url characters (32 random bytes). */
export const apiKeyPattern = /^knp_[A-Za-z0-9_-]{43}$/;

/** A new key: the secret is shown once; only its hash and a recognisable prefix are stored. */
export function generateApiKey(): BearerSecret {
  return newBearerSecret('knp_');
}

export const hashApiKey = hashBearerSecret;
