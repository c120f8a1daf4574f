import type { Db } from '../../../shared/db';
import { appendAudit } from '../queries/audit';

/** A transaction of the admin's changes: what was changed and its audit row commit together. */
export type AuditTx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Who made a change: an operator token (the API), or a command on the operator's machine (the CLI). */
export interface Actor {
  tokenId: string | null;
  name: string;
  requestId: string | null;
}

export interface Change<R> {
  action: string;
  /** What it is done to; a creation names what it made in its outcome instead. */
  target?: string;
  /** The change itself; `before` and `after` are what the audit row keeps of it. */
  run(tx: AuditTx): Promise<{ result: R; target?: string; before?: unknown; after?: unknown } | null | undefined>;
}

/**
 * Runs a change and writes its audit row in the same transaction: no change without its row, no row
 * for a change that did not happen (`run` returns undefined: nothing to change, nothing audited).
 */
export function audited<R>(db: Db, actor: Actor, change: Change<R>): Promise<R | undefined> {
  return db.$transaction(async (tx) => {
    const outcome = await change.run(tx);
    if (!outcome) return undefined;
    await appendAudit(tx, {
      tokenId: actor.tokenId,
      actor: actor.name,
      action: change.action,
      target: outcome.target ?? change.target ?? 'unknown',
      requestId: actor.requestId,
      before: outcome.before,
      after: outcome.after,
    });
    return outcome.result;
  });
}
