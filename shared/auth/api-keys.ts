import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

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

const KEY_PREFIX = 'knp_';
/** knp_ + 43 base64url characters (32 random bytes). */
export const apiKeyPattern = /^knp_[A-Za-z0-9_-]{43}$/;

/** A new key: the secret is shown once; only its hash and a recognisable prefix are stored. */
export function generateApiKey(): { secret: string; hash: string; prefix: string } {
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, 12) };
}

/**
 * SHA-256, unsalted: the key is 256 random bits, so no dictionary or rainbow table reaches it, and a
 * lookup by hash stays one indexed read per request (a slow password hash would be the wrong tool).
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
