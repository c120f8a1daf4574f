import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Secrets that must be read back (a webhook endpoint's signing secret) are stored encrypted with
 * AES-256-GCM under a key from the environment, the key's id kept beside each ciphertext. Keys are
 * given as `id:base64(32 bytes)`, comma-separated: the first encrypts, every one decrypts, so a key is
 * rotated by putting a new one first and dropping the old once nothing is sealed with it.
 */
export interface SealedSecret {
  keyId: string;
  /** base64 of iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. */
  ciphertext: string;
}

const keyEntry = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/, { message: 'must be id:base64 of 32 bytes' })
  .transform((entry) => {
    const [id = '', key = ''] = entry.split(':');
    return { id, key: Buffer.from(key, 'base64') };
  });

/** The WEBHOOK_SECRET_KEY format, for a config schema. */
export const secretKeyRing = z
  .string()
  .min(1)
  .transform((value, context) => {
    const parsed = z
      .array(keyEntry)
      .min(1)
      .safeParse(value.split(',').map((entry) => entry.trim()));
    if (!parsed.success) {
      context.addIssue({ code: 'custom', message: 'must be id:base64(32 bytes)[,id:base64(32 bytes)...]' });
      return z.NEVER;
    }
    return parsed.data;
  });

export type SecretKeyRing = z.output<typeof secretKeyRing>;

export function seal(ring: SecretKeyRing, secret: string): SealedSecret {
  const [current] = ring;
  if (!current) throw new Error('No secret key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(Buffer.from(current.id));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { keyId: current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
}

export function open(ring: SecretKeyRing, sealed: SealedSecret): string {
  const entry = ring.find((key) => key.id === sealed.keyId);
  if (!entry) throw new Error(`No secret key ${sealed.keyId} in WEBHOOK_SECRET_KEY: it was removed too early`);
  const raw = Buffer.from(sealed.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(entry.id));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** A new key ring entry, for `make dev` and tests. */
export function newSecretKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
