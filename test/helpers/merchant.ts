import { scopes, type Scope } from '../../shared/auth/api-keys';
import { createDb, type Db } from '../../shared/db';
import { createLogger } from '../../shared/logging/logger';
import { createMerchant, issueApiKey } from '../../functions/admin/queries/merchants';

/** A database handle for test setup, through the same queries the merchant command uses. */
export function adminDb(url: string): Db {
  return createDb({ url, poolSize: 2, connectTimeoutMs: 5_000, log: createLogger({ level: 'silent' }) });
}

export async function newMerchant(
  db: Db,
  keyScopes?: Scope[],
): Promise<{ merchantId: string; apiKey: string; keyId: string }> {
  const merchantId = await createMerchant(db, { name: 'Test shop' });
  const key = await issueApiKey(db, merchantId, 'test', keyScopes ?? [...scopes]);
  return { merchantId, apiKey: key.secret, keyId: key.keyId };
}

/** fetch with the JSON and Bearer boilerplate. */
export async function api(
  baseUrl: string,
  apiKey: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}
