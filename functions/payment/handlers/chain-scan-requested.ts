import type { EventHandler } from '../../../shared/runtime';
import { scanOnRequest } from '../scan/scan-on-request';

/** cron's safety-net tick: scan now, so payments and expiries are seen even if a block event was lost. */
export const onChainScanRequested: EventHandler<'io.knpay.chain.scan.requested.v1'> = (event, context) =>
  scanOnRequest(event.data.chainId, context);
