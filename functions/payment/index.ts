import { loadConfig } from '../../shared/config';
import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { paymentConfigSchema } from './config';
import { scanHandlers, type ScanSetup } from './handlers/scan';
import { ChainReader } from './scan/chain-reader';

let setup: ScanSetup | undefined;

/** Reads its config at start, so a bad variable stops the function, named (exit 78). */
export function init(context: ServiceContext): Promise<void> {
  const config = loadConfig(paymentConfigSchema, context.env);
  setup = { config, reader: new ChainReader(config.CHAIN_RPC_URL, config.CHAIN_RPC_TIMEOUT_MS) };
  return Promise.resolve();
}

const { onBlockSeen, onScanRequested } = scanHandlers(() => {
  if (!setup) throw new Error('payment: init has not run');
  return setup;
});

export const handle = eventRouter({
  'io.knpay.chain.block.seen.v1': onBlockSeen,
  'io.knpay.chain.scan.requested.v1': onScanRequested,
});
