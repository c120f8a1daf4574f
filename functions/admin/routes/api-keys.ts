import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { apiKeyOf } from '../api/resources';
import { actorOf, defineAdminRoute } from '../api/route';
import { apiKeyList, idParams, issuedKey, issueKeyBody, keyParams, noParams } from '../api/schemas';
import { findMerchant, issueApiKey, listApiKeys, revokeApiKey } from '../queries/merchants';
import { audited } from '../services/audited';

/** A merchant's API keys: issued (shown once), listed (never the key), revoked (refused at once). */
export function apiKeyRoutes(db: Db) {
  const merchantOrFail = async (id: string) => {
    if (!(await findMerchant(db, id))) throw new ProblemError('not-found', `No merchant ${id}`);
  };
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/merchants/:id/api-keys',
      operationId: 'listApiKeys',
      summary: "A merchant's API keys (their prefixes, never the keys)",
      access: 'viewer',
      params: idParams,
      query: noParams,
      response: { status: 200, schema: apiKeyList, description: 'Newest first' },
      handle: async ({ params }) => {
        await merchantOrFail(params.id);
        return { status: 200, body: { data: (await listApiKeys(db, params.id)).map(apiKeyOf) } };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/merchants/:id/api-keys',
      operationId: 'issueApiKey',
      summary: 'A new API key for a merchant; the answer holds the key, shown this once',
      access: 'operator',
      params: idParams,
      body: issueKeyBody,
      response: { status: 201, schema: issuedKey, description: 'The key' },
      handle: async ({ params, body, caller }) => {
        await merchantOrFail(params.id);
        const key = await audited(db, actorOf(caller), {
          action: 'api-key.issue',
          run: async (tx) => {
            const issued = await issueApiKey(tx, params.id, body.name, body.scopes);
            const after = { merchantId: params.id, name: body.name, scopes: issued.scopes };
            return { result: issued, target: `api-key:${issued.keyId}`, after };
          },
        });
        if (!key) throw new ProblemError('internal-error', 'The key was not issued');
        return {
          status: 201,
          body: { id: key.keyId, merchantId: params.id, apiKey: key.secret, scopes: key.scopes },
        };
      },
    }),
    defineAdminRoute({
      method: 'delete',
      path: '/admin/v1/merchants/:id/api-keys/:keyId',
      operationId: 'revokeApiKey',
      summary: "Revoke a merchant's API key: refused from its next request on",
      access: 'operator',
      params: keyParams,
      response: { status: 204, schema: noParams, description: 'Revoked' },
      handle: async ({ params, caller }) => {
        const revoked = await audited(db, actorOf(caller), {
          action: 'api-key.revoke',
          target: `api-key:${params.keyId}`,
          run: async (tx) =>
            (await revokeApiKey(tx, params.keyId, params.id))
              ? { result: true, after: { merchantId: params.id, revoked: true } }
              : undefined,
        });
        if (!revoked) throw new ProblemError('not-found', `No active key ${params.keyId} of merchant ${params.id}`);
        return { status: 204, body: undefined };
      },
    }),
  ];
}
