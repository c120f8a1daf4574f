import { ProblemError } from '../../../shared/errors';
import type { EventHandler, HandlerContext } from '../../../shared/runtime';
import { scanChain, type ScanDeps } from '../scan/scan-chain';

export type ScanSetup = Pick<ScanDeps, 'reader' | 'config'>;

/**
 * A new block (from the chain source) and a scan request (the cron safety net) both mean "scan now".
 * No inbox row: the scan records only what it has not recorded, so a redelivered event finds nothing
 * new, and two deliveries at once take turns on the chain's lock.
 */
export function scanHandlers(setup: () => ScanSetup) {
  const scan = async (chainId: number, context: HandlerContext) => {
    const { reader, config } = setup();
    if (chainId !== config.CHAIN_ID) throw new ProblemError('rejected-event', `This payment function watches chain ${String(config.CHAIN_ID)}, not ${String(chainId)}`);
    const rounds = await scanChain({ reader, config, log: context.log, transaction: (work) => context.transaction(work) });
    const last = rounds.at(-1);
    context.log.info({ chainId, rounds: rounds.length, to: last?.to, head: last?.head, payments: rounds.reduce((n, r) => n + r.payments, 0) }, 'chain scanned');
  };
  const onBlockSeen: EventHandler<'io.knpay.chain.block.seen.v1'> = (event, context) => scan(event.data.chainId, context);
  const onScanRequested: EventHandler<'io.knpay.chain.scan.requested.v1'> = (event, context) => scan(event.data.chainId, context);
  return { onBlockSeen, onScanRequested };
}
