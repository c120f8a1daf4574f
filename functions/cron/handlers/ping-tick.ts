import type { EventHandler } from '../../../shared/runtime';

/**
 * A PingSource tick becomes the domain command its data names. The scan request is the safety net
 * behind the chain source: when that source is down, the schedule still gets the chain scanned.
 * Its inbox row and the command's outbox row are one statement (inStatement): the emit is all the work.
 */
export const onPingTick: EventHandler<'dev.knative.sources.ping'> = async (event, context) => {
  const { chainId } = event.data;
  await context.inStatement(event, (_isNew, emit) => {
    emit('io.knpay.chain.scan.requested.v1', `eip155:${String(chainId)}`, { chainId, reason: 'schedule' });
    return undefined;
  });
};
