import { randomUUID } from 'node:crypto';
import { generateApiKey, type Scope } from '../../../shared/auth/api-keys';
import type { Db } from '../../../shared/db';

export interface IssuedKey {
  keyId: string;
  /** Shown once, never stored. */
  secret: string;
  scopes: Scope[];
}

export async function createMerchant(db: Db, merchant: { name: string; email?: string | undefined }): Promise<string> {
  const id = randomUUID();
  await db.merchant.create({ data: { id, name: merchant.name, email: merchant.email ?? null } });
  return id;
}

export async function issueApiKey(db: Db, merchantId: string, name: string, scopes: Scope[]): Promise<IssuedKey> {
  const key = generateApiKey();
  const keyId = randomUUID();
  await db.apiKey.create({ data: { id: keyId, merchantId, name, prefix: key.prefix, keyHash: key.hash, scopes } });
  return { keyId, secret: key.secret, scopes };
}

/** Revocation keeps the row (for the audit trail) and stamps it; the key stops working at once. */
export async function revokeApiKey(db: Db, keyId: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id: keyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}
