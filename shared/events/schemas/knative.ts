import { z } from 'zod';
import { chainId } from './fields';

/**
 * The data our PingSources carry (knative/base): which scheduled job a tick is for. Knative sets the
 * type `dev.knative.sources.ping` and a fresh id per tick; the data is ours.
 */
export const pingTick = z.discriminatedUnion('job', [
  z.object({ job: z.literal('scan-chain'), chainId }),
  /** Retries and abandoned attempts of webhooks: cron wakes the webhooks function only when one is due. */
  z.object({ job: z.literal('deliver-webhooks') }),
  /** Notices to retry (SMTP was down) and sends a killed process left: notification is woken only then. */
  z.object({ job: z.literal('send-notifications') }),
  /** The event log's retention (the admin function's history): rows older than this many days go. */
  z.object({ job: z.literal('prune-event-log'), retentionDays: z.number().int().min(1).max(3650) }),
  /** Idempotency-Keys past their lifetime (shared/db/idempotency-keys.ts). */
  z.object({ job: z.literal('expire-idempotency-keys') }),
]);
