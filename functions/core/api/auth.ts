import type { RequestHandler } from 'express';
import { hashApiKey, apiKeyPattern } from '../../../shared/auth/api-keys';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { MerchantCaller } from './route';

/**
 * `Authorization: Bearer <key>`: a missing, malformed, unknown or revoked key is 401; a suspended
 * merchant's key, or a key without the route's scope, is 403. The key itself never reaches a log line
 * or a problem body. Every request reads the key's row and its merchant's, so a revocation or a
 * suspension takes effect at once.
 */
export function authenticate(db: Db, scope: string): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    res.set('www-authenticate', 'Bearer realm="knpay"');
    const secret = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (secret === undefined)
      throw unauthorized(
        header === undefined
          ? 'Send Authorization: Bearer <API key>'
          : 'The Authorization header is not "Bearer <API key>"',
      );
    if (!apiKeyPattern.test(secret)) throw unauthorized('The API key is not valid');
    const key = await findKey(db, hashApiKey(secret));
    if (!key) throw unauthorized('The API key is not valid');
    if (key.revokedAt !== null) throw unauthorized('The API key has been revoked');
    res.removeHeader('www-authenticate');
    // Read with the key on every request: a suspension takes effect on the merchant's next call.
    if (key.suspendedAt !== null)
      throw new ProblemError('merchant-suspended', 'This merchant is suspended; ask the operator who runs knpay');
    if (!key.scopes.includes(scope))
      throw new ProblemError('forbidden', `This needs the ${scope} scope`, { requiredScope: scope });
    res.locals['caller'] = { merchantId: key.merchantId } satisfies MerchantCaller;
    next();
  };
}

/** Raw SQL: every request runs it, and a raw query skips Prisma's plan lookup and result mapping. */
async function findKey(db: Db, keyHash: string) {
  const [row] = await db.$queryRaw<
    { merchantId: string; scopes: string[]; revokedAt: Date | null; suspendedAt: Date | null }[]
  >`
    SELECT k.merchant_id::text AS "merchantId", k.scopes, k.revoked_at AS "revokedAt", m.suspended_at AS "suspendedAt"
    FROM api_keys k JOIN merchants m ON m.id = k.merchant_id WHERE k.key_hash = ${keyHash}`;
  return row;
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError('unauthorized', detail);
}
