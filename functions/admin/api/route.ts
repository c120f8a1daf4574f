import type { OperatorRole } from '../../../shared/auth/operator-tokens';
import type { RouteSpec } from '../../../shared/http-api/route';
import type { Actor } from '../services/audited';
import type { OperatorCaller } from './auth';

export type AdminRoute = RouteSpec<unknown, unknown, unknown, OperatorCaller>;

/** One operation of the operators' API; `access` is the least role it needs. */
export function defineAdminRoute<P, Q, B>(
  spec: RouteSpec<P, Q, B, OperatorCaller> & { access: OperatorRole },
): AdminRoute {
  return spec;
}

/** The audit log's "who": the calling token, its name, the request. */
export const actorOf = (caller: OperatorCaller): Actor => ({
  tokenId: caller.tokenId,
  name: caller.name,
  requestId: caller.requestId,
});
