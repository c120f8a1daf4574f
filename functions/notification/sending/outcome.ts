import type { SendResult } from './mailer';

/**
 * After the first attempt, the waits before each retry: SMTP down or a 4xx reply (greylisting, a full
 * mailbox, a rate limit) usually clears within minutes, sometimes hours. cron's sweep runs every
 * minute, so due times are honoured to the minute; after the last wait the notice is failed (~22 h).
 */
export const RETRY_AFTER_MS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
];

export type Outcome = { kind: 'sent' } | { kind: 'retry'; at: Date; error: string } | { kind: 'failed'; error: string };

/**
 * A send's result and the attempt's number (1 for the first) → what happens to the notice. A 5xx reply
 * is permanent (a bad address, a refused message): retrying sends nothing more. A 4xx reply or no reply
 * at all (refused, reset, timed out) is retried on the schedule until it runs out.
 */
export function judge(result: SendResult, attempt: number, now: Date): Outcome {
  if (result.ok) return { kind: 'sent' };
  if (result.responseCode !== undefined && result.responseCode >= 500) return { kind: 'failed', error: result.error };
  const wait = RETRY_AFTER_MS[attempt - 1];
  if (wait === undefined) return { kind: 'failed', error: `${result.error} (no attempts left)` };
  return { kind: 'retry', at: new Date(now.getTime() + wait), error: result.error };
}
