import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import type { AuditTx } from '../services/audited';

export interface AuditRecord {
  tokenId: string | null;
  actor: string;
  action: string;
  target: string;
  requestId: string | null;
  before?: unknown;
  after?: unknown;
}

export async function appendAudit(tx: AuditTx, entry: AuditRecord): Promise<void> {
  await tx.auditEntry.create({
    data: {
      id: randomUUID(),
      tokenId: entry.tokenId,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      requestId: entry.requestId,
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}

export interface AuditSearch {
  target?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, by (at, id) (audit_log_at_idx); a target's history by audit_log_target_idx. */
export function searchAudit(db: Db, search: AuditSearch) {
  return db.auditEntry.findMany({
    where: {
      ...(search.target ? { target: search.target } : {}),
      ...(search.action ? { action: search.action } : {}),
      ...(search.actor ? { actor: search.actor } : {}),
      at: { ...(search.from ? { gte: search.from } : {}), ...(search.to ? { lt: search.to } : {}) },
      ...(search.after
        ? {
            OR: [{ at: { lt: search.after.at } }, { at: search.after.at, id: { lt: search.after.id } }],
          }
        : {}),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: search.limit + 1,
  });
}

/** JSON for the before/after columns: dates as ISO strings, nothing when there is nothing. */
function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}
