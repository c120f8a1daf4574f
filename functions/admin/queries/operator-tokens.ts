import { randomUUID } from 'node:crypto';
import { generateOperatorToken, type OperatorRole } from '../../../shared/auth/operator-tokens';
import type { Db } from '../../../shared/db';
import type { AuditTx } from '../services/audited';

export interface OperatorTokenRow {
  id: string;
  name: string;
  role: OperatorRole;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const columns = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** The active token with this hash, its last use stamped now (one statement); undefined if none. */
export async function useOperatorToken(db: Db, tokenHash: string) {
  const [row] = await db.$queryRaw<{ id: string; name: string; role: OperatorRole }[]>`
    UPDATE operator_tokens SET last_used_at = now()
    WHERE token_hash = ${tokenHash} AND revoked_at IS NULL
    RETURNING id::text, name, role::text AS role`;
  return row;
}

export function listOperatorTokens(db: Db): Promise<OperatorTokenRow[]> {
  return db.operatorToken.findMany({ select: columns, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** A new token: the secret is returned once and never stored. */
export async function createOperatorToken(tx: AuditTx, name: string, role: OperatorRole) {
  const token = generateOperatorToken();
  const row = await tx.operatorToken.create({
    data: { id: randomUUID(), name, role, prefix: token.prefix, tokenHash: token.hash },
    select: columns,
  });
  return { row, secret: token.secret };
}

/** Whether an active owner token exists (bootstrap makes the first one only). */
export async function ownerExists(db: AuditTx | Db): Promise<boolean> {
  return (await db.operatorToken.count({ where: { role: 'owner', revokedAt: null } })) > 0;
}

export async function revokeOperatorToken(tx: AuditTx, id: string): Promise<OperatorTokenRow | undefined> {
  const { count } = await tx.operatorToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) return undefined;
  return (await tx.operatorToken.findUnique({ where: { id }, select: columns })) ?? undefined;
}
