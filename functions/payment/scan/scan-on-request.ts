import { loadConfig } from '../../../shared/config';
import { ProblemError } from '../../../shared/errors';
import type { HandlerContext } from '../../../shared/runtime';
import { paymentConfigSchema, type PaymentConfig } from '../config';
import { ChainReader } from './chain-reader';
import { scanChain } from './scan-chain';

let setup: { config: PaymentConfig; reader: ChainReader } | undefined;

/** Reads the config and makes the chain reader, once, at the function's start. */
export function setUpScans(env: NodeJS.ProcessEnv): void {
  const config = loadConfig(paymentConfigSchema, env);
  setup = { config, reader: new ChainReader(config.CHAIN_RPC_URL, config.CHAIN_RPC_TIMEOUT_MS) };
}

/**
 * A new block (from the chain source) and a scan request (the cron safety net) both mean "scan now".
 * No inbox row: the scan records only what it has not recorded, so a redelivered event finds nothing
 * new, and two deliveries at once take turns on the chain's lock.
 */
export async function scanOnRequest(chainId: number, context: HandlerContext): Promise<void> {
  if (!setup) throw new Error('payment: init has not run');
  const { config, reader } = setup;
  if (chainId !== config.CHAIN_ID)
    throw new ProblemError(
      'rejected-event',
      `This payment function watches chain ${String(config.CHAIN_ID)}, not ${String(chainId)}`,
    );
  const rounds = await scanChain({
    reader,
    config,
    log: context.log,
    db: context.db,
    transaction: (work) => context.transaction(work),
  });
  const last = rounds.at(-1);
  const payments = rounds.reduce((n, r) => n + r.payments, 0);
  context.log.info({ chainId, rounds: rounds.length, to: last?.to, head: last?.head, payments }, 'chain scanned');
}
