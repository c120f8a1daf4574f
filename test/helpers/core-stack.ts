import { functions } from '../../functions/registry';
import { closeDb } from '../../shared/db';
import { createTestDatabase } from './database';
import { startTestFunction } from './function-server';
import { adminDb, api, newMerchant } from './merchant';

/** The test token core is configured with (6 decimals, as USDT). */
export const TOKEN = '0x5fbdb2315678afecb367f032d93f642f64180aa3';

/**
 * The core function on a real port over a database of its own (`env` added to its environment), a
 * merchant, and its API key's calls.
 */
export async function startCoreStack(env: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const admin = adminDb(db.url);
  const core = await startTestFunction('core', await functions.core(), db.url, {
    CHAIN_TOKENS: `USDT=${TOKEN}:6`,
    ...env,
  });
  const merchant = await newMerchant(admin);
  return {
    db,
    admin,
    core,
    merchant,
    call: (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      api(core.url, merchant.apiKey, method, path, body, headers),
    stop: async () => {
      await core.stop();
      await closeDb(admin);
      await db.drop();
    },
  };
}

export type CoreStack = Awaited<ReturnType<typeof startCoreStack>>;
