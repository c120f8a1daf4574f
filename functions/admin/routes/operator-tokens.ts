import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { operatorTokenOf } from '../api/resources';
import { actorOf, defineAdminRoute } from '../api/route';
import {
  createdOperatorToken,
  createOperatorTokenBody,
  idParams,
  noParams,
  operatorTokenList,
  operatorTokenResource,
} from '../api/schemas';
import { createOperatorToken, listOperatorTokens, revokeOperatorToken } from '../queries/operator-tokens';
import { audited } from '../services/audited';

/** Operators and their tokens: the owner's business. A token is shown once, at creation. */
export function operatorTokenRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/operator-tokens',
      operationId: 'listOperatorTokens',
      summary: 'Every operator token, with its role and last use (never the token)',
      access: 'owner',
      params: noParams,
      query: noParams,
      response: { status: 200, schema: operatorTokenList, description: 'Newest first' },
      handle: async () => ({ status: 200, body: { data: (await listOperatorTokens(db)).map(operatorTokenOf) } }),
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/operator-tokens',
      operationId: 'createOperatorToken',
      summary: 'A new operator token; the answer holds the token, shown this once',
      access: 'owner',
      params: noParams,
      body: createOperatorTokenBody,
      response: { status: 201, schema: createdOperatorToken, description: 'The token, and the token itself' },
      handle: async ({ body, caller }) => {
        const created = await audited(db, actorOf(caller), {
          action: 'operator-token.create',
          run: async (tx) => {
            const { row, secret } = await createOperatorToken(tx, body.name, body.role);
            const target = `operator-token:${row.id}`;
            return { result: { ...operatorTokenOf(row), token: secret }, target, after: operatorTokenOf(row) };
          },
        });
        return { status: 201, body: created };
      },
    }),
    defineAdminRoute({
      method: 'delete',
      path: '/admin/v1/operator-tokens/:id',
      operationId: 'revokeOperatorToken',
      summary: 'Revoke a token: refused from its next request on',
      access: 'owner',
      params: idParams,
      response: { status: 200, schema: operatorTokenResource, description: 'The token, revoked' },
      handle: async ({ params, caller }) => {
        const revoked = await audited(db, actorOf(caller), {
          action: 'operator-token.revoke',
          target: `operator-token:${params.id}`,
          run: async (tx) => {
            const row = await revokeOperatorToken(tx, params.id);
            return row && { result: operatorTokenOf(row), after: { revokedAt: row.revokedAt } };
          },
        });
        if (!revoked) throw new ProblemError('not-found', `No active operator token ${params.id}`);
        return { status: 200, body: revoked };
      },
    }),
  ];
}
