import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Tx } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { RouteAnswer } from './route';

/** Stripe keeps keys at least 24 hours; after that a reused key is a new request. */
const KEY_LIFETIME = '24 hours';

/** The Idempotency-Key header, checked: up to 255 printable ASCII characters, as Stripe allows. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new ProblemError('bad-request', 'Idempotency-Key must be 1-255 printable ASCII characters');
  return key;
}

/** What makes two requests "the same": method, path and body, with the body's keys in a fixed order. */
export function requestFingerprint(req: Request, body: unknown): string {
  return createHash('sha256').update(`${req.method} ${req.path}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * Claims the key inside the transaction that does the work. The first request inserts the row; a
 * concurrent one blocks on its primary key until the first commits, then finds the stored answer.
 * Gives back the answer to replay, or null when this request is the first and must do the work.
 */
export async function claimIdempotencyKey(tx: Tx, merchantId: string, key: string, fingerprint: string): Promise<RouteAnswer | null> {
  await tx.$executeRaw`
    DELETE FROM idempotency_keys
    WHERE merchant_id = ${merchantId}::uuid AND key = ${key} AND created_at < now() - ${KEY_LIFETIME}::interval`;
  const claimed = await tx.$executeRaw`
    INSERT INTO idempotency_keys (merchant_id, key, request_hash, status, response_body)
    VALUES (${merchantId}::uuid, ${key}, ${fingerprint}, 0, '{}'::jsonb)
    ON CONFLICT DO NOTHING`;
  if (claimed === 1) return null;
  const stored = await tx.idempotencyKey.findUniqueOrThrow({ where: { merchantId_key: { merchantId, key } } });
  if (stored.requestHash !== fingerprint) {
    throw new ProblemError('idempotency-key-reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request');
  }
  return { status: stored.status, body: stored.responseBody };
}

export async function storeIdempotentAnswer(tx: Tx, merchantId: string, key: string, answer: RouteAnswer): Promise<void> {
  await tx.idempotencyKey.update({
    where: { merchantId_key: { merchantId, key } },
    data: { status: answer.status, responseBody: answer.body as object },
  });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
