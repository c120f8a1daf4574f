import type { EventHandler } from '../../../shared/runtime';
import { scanOnRequest } from '../scan/scan-on-request';

/** A new block on the chain, from the chain source: scan now. */
export const onChainBlockSeen: EventHandler<'io.knpay.chain.block.seen.v1'> = (event, context) =>
  scanOnRequest(event.data.chainId, context);
