import type { EventHandler } from '../../../shared/runtime';
import { earliestDueNotification } from '../queries/notifications';
import { expireIdempotencyKeys, pruneEventLog } from '../queries/retention';
import { earliestDueWebhook } from '../queries/webhooks';

/** The sweeps: each tick asks when the earliest item is due, and emits the command only when one is. */
const sweeps = {
  'deliver-webhooks': { earliestDue: earliestDueWebhook, command: 'io.knpay.webhook.deliveries.due.v1' },
  'send-notifications': { earliestDue: earliestDueNotification, command: 'io.knpay.notification.deliveries.due.v1' },
} as const;

/**
 * A PingSource tick becomes the domain command its data names.
 * - scan-chain: the safety net behind the chain source: when that source is down, the schedule still
 *   gets the chain scanned. Its inbox row and the command's outbox row are one statement (inStatement).
 * - deliver-webhooks, send-notifications: retries and attempts a killed process left; the command is
 *   emitted only when one is due, so an idle system leaves the webhooks and notification functions at zero.
 * - prune-event-log, expire-idempotency-keys: retention, a batch per tick in the tick's transaction, so
 *   a tick delivered twice does the work once (the second finds its inbox row).
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
  if (job.job === 'prune-event-log' || job.job === 'expire-idempotency-keys') {
    const outcome = await context.inTransaction(event, (tx) =>
      job.job === 'prune-event-log' ? pruneEventLog(tx, job.retentionDays) : expireIdempotencyKeys(tx),
    );
    if (!outcome.duplicate) context.log.info({ job: job.job, removed: outcome.result }, 'retention');
    return;
  }
  const sweep = sweeps[job.job];
  await context.inTransaction(event, async (tx, emit) => {
    const due = await sweep.earliestDue(tx);
    if (due) emit(sweep.command, job.job, { dueSince: due.toISOString() });
  });
};
