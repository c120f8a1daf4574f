import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * What a running `make dev` tells the commands beside it (make demo, make pay, npm run merchant): where
 * its database, merchant API and chain are. Written to .dev-data/dev.json at start, removed at stop.
 */
const devState = z.object({
  pid: z.number().int(),
  databaseUrl: z.string(),
  coreUrl: z.string(),
  chainRpcUrl: z.string(),
  /** Tokens configured on the chain, by symbol: address and decimals. */
  tokens: z.record(z.string(), z.object({ address: z.string(), decimals: z.number().int() })),
  /** make dev's webhook receiver (local/webhook-receiver.ts). */
  webhookReceiverUrl: z.string(),
});
export type DevState = z.infer<typeof devState>;

export const devDataDir = (env: NodeJS.ProcessEnv = process.env) => resolve(env['DEV_DATA_DIR'] ?? '.dev-data');
export const devDatabaseName = (env: NodeJS.ProcessEnv = process.env) => env['DEV_DATABASE'] ?? 'knpay_dev';
const stateFile = (dataDir: string) => resolve(dataDir, 'dev.json');

export async function writeDevState(dataDir: string, state: DevState): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeDevState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true });
}

/** The running make dev's state, or null when none runs (no file, or its process is gone). */
export async function readDevState(dataDir: string): Promise<DevState | null> {
  const text = await readFile(stateFile(dataDir), 'utf8').catch(() => null);
  const parsed = text === null ? null : devState.safeParse(JSON.parse(text));
  if (!parsed?.success) return null;
  return isRunning(parsed.data.pid) ? parsed.data : null;
}

/** Like readDevState, but says plainly what to do when make dev is not running. */
export async function requireDevState(dataDir: string): Promise<DevState> {
  const state = await readDevState(dataDir);
  if (!state) throw new Error('make dev is not running here: start it first (in another terminal)');
  return state;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
