import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { ProblemError } from '../../../shared/errors';
import type { RouteAnswer } from '../api/route';
import type { IdempotentRequest, StoredKey } from '../queries/idempotency-keys';

/**
 * Stripe's Idempotency-Key: the first request with a key does the work and its answer is stored
 * with the key, in the same statement (queries/idempotency-keys.ts); a repeat with the same request
 * gets that answer again, a repeat with another request gets 422.
 */

/** The Idempotency-Key header, checked: up to 255 printable ASCII characters, as Stripe allows. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new ProblemError('bad-request', 'Idempotency-Key must be 1-255 printable ASCII characters');
  return key;
}

/** The request as idempotency sees it, when it carries a key. */
export function idempotentRequest(req: Request, merchantId: string): IdempotentRequest | undefined {
  const key = idempotencyKeyOf(req);
  return key === undefined ? undefined : { merchantId, key, fingerprint: requestFingerprint(req, req.body) };
}

/** What makes two requests "the same": method, path and body, with the body's keys in a fixed order. */
export function requestFingerprint(req: Request, body: unknown): string {
  return createHash('sha256')
    .update(`${req.method} ${req.path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** The answer to give again for a repeated key, or 422 when the key came with another request. */
export function replay(stored: StoredKey, request: IdempotentRequest): RouteAnswer {
  if (stored.requestHash !== request.fingerprint) {
    throw new ProblemError(
      'idempotency-key-reused',
      'This Idempotency-Key was first used with a different request; use a new key for a new request',
    );
  }
  return { status: stored.status, body: undefined, replayed: stored.responseBody };
}

// The body's depth is capped before this runs (shared/json), so the recursion is bounded.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
