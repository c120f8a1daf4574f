import { randomUUID } from 'node:crypto';
import { generateApiKey, type Scope } from '../../../shared/auth/api-keys';
import type { Db } from '../../../shared/db';
import type { AuditTx } from '../services/audited';

export interface IssuedKey {
  keyId: string;
  /** Shown once, never stored. */
  secret: string;
  scopes: Scope[];
}

const merchantColumns = {
  id: true,
  name: true,
  email: true,
  createdAt: true,
  suspendedAt: true,
  suspendedReason: true,
} as const;

const keyColumns = { id: true, name: true, prefix: true, scopes: true, createdAt: true, revokedAt: true } as const;

export type MerchantRow = Awaited<ReturnType<typeof findMerchant>>;

export async function createMerchant(
  tx: AuditTx,
  merchant: { name: string; email?: string | undefined },
): Promise<string> {
  const id = randomUUID();
  await tx.merchant.create({ data: { id, name: merchant.name, email: merchant.email ?? null } });
  return id;
}

export function findMerchant(db: AuditTx | Db, id: string) {
  return db.merchant.findUnique({ where: { id }, select: merchantColumns });
}

/** Newest first, by (created_at, id); `suspended` filters on the state. */
export function listMerchants(
  db: Db,
  page: { after?: { createdAt: Date; id: string } | undefined; limit: number; suspended?: boolean | undefined },
) {
  return db.merchant.findMany({
    where: {
      ...(page.suspended === undefined ? {} : { suspendedAt: page.suspended ? { not: null } : null }),
      ...(page.after
        ? {
            OR: [
              { createdAt: { lt: page.after.createdAt } },
              { createdAt: page.after.createdAt, id: { lt: page.after.id } },
            ],
          }
        : {}),
    },
    select: merchantColumns,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
}

export function updateMerchant(tx: AuditTx, id: string, change: { name?: string; email?: string | null }) {
  return tx.merchant.update({ where: { id }, data: change, select: merchantColumns });
}

/** Suspends a merchant that is not suspended; undefined when there was nothing to do. */
export async function suspendMerchant(tx: AuditTx, id: string, reason: string) {
  const { count } = await tx.merchant.updateMany({
    where: { id, suspendedAt: null },
    data: { suspendedAt: new Date(), suspendedReason: reason },
  });
  return count === 1 ? findMerchant(tx, id) : undefined;
}

export async function reinstateMerchant(tx: AuditTx, id: string) {
  const { count } = await tx.merchant.updateMany({
    where: { id, suspendedAt: { not: null } },
    data: { suspendedAt: null, suspendedReason: null },
  });
  return count === 1 ? findMerchant(tx, id) : undefined;
}

export async function issueApiKey(tx: AuditTx, merchantId: string, name: string, scopes: Scope[]): Promise<IssuedKey> {
  const key = generateApiKey();
  const keyId = randomUUID();
  await tx.apiKey.create({ data: { id: keyId, merchantId, name, prefix: key.prefix, keyHash: key.hash, scopes } });
  return { keyId, secret: key.secret, scopes };
}

export function listApiKeys(db: Db, merchantId: string) {
  return db.apiKey.findMany({ where: { merchantId }, select: keyColumns, orderBy: [{ createdAt: 'desc' }] });
}

/** Revocation keeps the row (for the audit trail) and stamps it; the key stops working at once. */
export async function revokeApiKey(tx: AuditTx, keyId: string, merchantId?: string): Promise<boolean> {
  const { count } = await tx.apiKey.updateMany({
    where: { id: keyId, revokedAt: null, ...(merchantId ? { merchantId } : {}) },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}
