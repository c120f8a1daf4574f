import { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { IDEMPOTENCY_KEY_LIFETIME as KEY_LIFETIME } from '../../../shared/db/idempotency-keys';

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
  /** The body as first sent, byte for byte. */
  responseBody: string;
}

/**
 * The statement that claims the key with its answer (RETURNING a row when claimed), for a CTE of the
 * work's own statement. A concurrent request with the same key blocks on the primary key until the
 * first commits, then claims nothing. A key past its lifetime is taken over as if never used.
 */
export function claimKey(request: IdempotentRequest, answer: { status: number; body: string }): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO idempotency_keys AS held (merchant_id, key, request_hash, status, response_body)
    VALUES (${request.merchantId}::uuid, ${request.key}, ${request.fingerprint}, ${answer.status}, ${answer.body})
    ON CONFLICT (merchant_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, response_body = EXCLUDED.response_body, created_at = now()
      WHERE held.created_at < now() - ${KEY_LIFETIME}
    RETURNING 1`;
}

/** The key's row within its lifetime, once a claim found it taken. */
export async function findStoredKey(db: Db, request: IdempotentRequest): Promise<StoredKey | null> {
  const [row] = await db.$queryRaw<{ request_hash: string; status: number; response_body: string }[]>`
    SELECT request_hash, status, response_body FROM idempotency_keys
    WHERE merchant_id = ${request.merchantId}::uuid AND key = ${request.key} AND created_at >= now() - ${KEY_LIFETIME}`;
  return row ? { requestHash: row.request_hash, status: row.status, responseBody: row.response_body } : null;
}
