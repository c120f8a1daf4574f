import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { hashBearerSecret } from '../../../shared/auth/bearer-secrets';
import { operatorTokenPattern, roleAllows, type OperatorRole } from '../../../shared/auth/operator-tokens';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { useOperatorToken } from '../queries/operator-tokens';

/** Who calls the admin API: the operator token that authenticated the request, and the request's id. */
export interface OperatorCaller {
  tokenId: string;
  name: string;
  role: OperatorRole;
  /** From X-Request-Id when the ingress set one, else made here; echoed on the answer and audited. */
  requestId: string;
}

/**
 * `Authorization: Bearer knpop_…`: missing, malformed, unknown or revoked is 401; a role below the
 * route's is 403. The lookup stamps the token's last use in the same statement, so a revocation takes
 * effect on the next request and the owner sees which tokens are in use.
 */
export function authenticateOperator(db: Db, needed: string): RequestHandler {
  return async (req, res, next) => {
    const requestId = req.get('x-request-id') ?? randomUUID();
    res.set('x-request-id', requestId);
    res.set('www-authenticate', 'Bearer realm="knpay-admin"');
    const secret = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (secret === undefined) throw new ProblemError('unauthorized', 'Send Authorization: Bearer <operator token>');
    if (!operatorTokenPattern.test(secret)) throw new ProblemError('unauthorized', 'The operator token is not valid');
    const token = await useOperatorToken(db, hashBearerSecret(secret));
    if (!token) throw new ProblemError('unauthorized', 'The operator token is not valid or has been revoked');
    res.removeHeader('www-authenticate');
    if (!roleAllows(token.role, needed as OperatorRole))
      throw new ProblemError('insufficient-role', `This needs the ${needed} role; the token is ${token.role}`, {
        requiredRole: needed,
      });
    res.locals['caller'] = {
      tokenId: token.id,
      name: token.name,
      role: token.role,
      requestId,
    } satisfies OperatorCaller;
    next();
  };
}
