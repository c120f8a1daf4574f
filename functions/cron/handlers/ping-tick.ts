import type { EventHandler } from '../../../shared/runtime';
import { earliestDueWebhook } from '../queries/webhooks';

/**
 * A PingSource tick becomes the domain command its data names.
 * - scan-chain: the safety net behind the chain source: when that source is down, the schedule still
 *   gets the chain scanned. Its inbox row and the command's outbox row are one statement (inStatement).
 * - deliver-webhooks: retries and attempts a killed process left; the command is emitted only when a
 *   message is due, so an idle system leaves the webhooks function at zero.
 */
export const onPingTick: EventHandler<'dev.knative.sources.ping'> = async (event, context) => {
  const job = event.data;
  if (job.job === 'scan-chain') {
    await context.inStatement(event, (_isNew, emit) => {
      emit('io.knpay.chain.scan.requested.v1', `eip155:${String(job.chainId)}`, {
        chainId: job.chainId,
        reason: 'schedule',
      });
      return undefined;
    });
    return;
  }
  await context.inTransaction(event, async (tx, emit) => {
    const due = await earliestDueWebhook(tx);
    if (due) emit('io.knpay.webhook.deliveries.due.v1', 'webhooks', { dueSince: due.toISOString() });
  });
};
