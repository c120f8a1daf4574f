import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { RouteAnswer } from './route';

/**
 * Stripe's Idempotency-Key: the first request with a key does the work and its answer is stored
 * with the key, in the same statement; a repeat with the same request gets that answer again, a
 * repeat with another request gets 422. Stripe keeps keys at least 24 hours; after that a reused key
 * is a new request.
 */
export const KEY_LIFETIME = Prisma.sql`interval '24 hours'`;

export interface IdempotentRequest {
  merchantId: string;
  key: string;
  /** SHA-256 of the method, path and canonical body. */
  fingerprint: string;
}

/** A key row as it was found: the request that first used it and the answer it got. */
export interface StoredKey {
  requestHash: string;
  status: number;
  responseBody: unknown;
}

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

/** The answer to give again for a repeated key, or 422 when the key came with another request. */
export function replay(stored: StoredKey, request: IdempotentRequest): RouteAnswer {
  if (stored.requestHash !== request.fingerprint) {
    throw new ProblemError('idempotency-key-reused', 'This Idempotency-Key was first used with a different request; use a new key for a new request');
  }
  return { status: stored.status, body: stored.responseBody };
}

/**
 * The statement that claims the key with its answer (RETURNING a row when claimed), for a CTE of the
 * work's own statement. A concurrent request with the same key blocks on the primary key until the
 * first commits, then claims nothing. A key past its lifetime is taken over as if never used.
 */
export function claimKey(request: IdempotentRequest, answer: RouteAnswer): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO idempotency_keys AS held (merchant_id, key, request_hash, status, response_body)
    VALUES (${request.merchantId}::uuid, ${request.key}, ${request.fingerprint}, ${answer.status}, ${JSON.stringify(answer.body)}::jsonb)
    ON CONFLICT (merchant_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, response_body = EXCLUDED.response_body, created_at = now()
      WHERE held.created_at < now() - ${KEY_LIFETIME}
    RETURNING 1`;
}

/** The key's row within its lifetime, once a claim found it taken. */
export async function findStoredKey(db: Db, request: IdempotentRequest): Promise<StoredKey | null> {
  const [row] = await db.$queryRaw<{ request_hash: string; status: number; response_body: unknown }[]>`
    SELECT request_hash, status, response_body FROM idempotency_keys
    WHERE merchant_id = ${request.merchantId}::uuid AND key = ${request.key} AND created_at >= now() - ${KEY_LIFETIME}`;
  return row ? { requestHash: row.request_hash, status: row.status, responseBody: row.response_body } : null;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
