import { eventRouter, type ServiceContext } from '../../shared/runtime';
import { onChainBlockSeen } from './handlers/chain-block-seen';
import { onChainScanRequested } from './handlers/chain-scan-requested';
import { setUpScans } from './scan/scan-on-request';

/** Reads its config at start, so a bad variable stops the function, named (exit 78). */
export function init(context: ServiceContext): Promise<void> {
  setUpScans(context.env);
  return Promise.resolve();
}

export const handle = eventRouter({
  'io.knpay.chain.block.seen.v1': onChainBlockSeen,
  'io.knpay.chain.scan.requested.v1': onChainScanRequested,
});
