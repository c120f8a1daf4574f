import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret (a merchant's API key, an operator's token) as it is shown once and stored. */
export interface BearerSecret {
  /** Shown once, never stored. */
  secret: string;
  hash: string;
  /** Enough to recognise it in a list. */
  prefix: string;
}

/** <prefix> + 43 base64url characters (32 random bytes). */
export function newBearerSecret(prefix: string): BearerSecret {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { secret, hash: hashBearerSecret(secret), prefix: secret.slice(0, prefix.length + 8) };
}

/**
 * SHA-256, unsalted: the secret is 256 random bits, so no dictionary or rainbow table reaches it, and a
 * lookup by hash stays one indexed read per request (a slow password hash would be the wrong tool).
 */
export function hashBearerSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
