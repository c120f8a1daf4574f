import type { SendResult } from './send';
import { MAX_ATTEMPTS, nextAttemptDelayMs, retryAfterMs } from './schedule';

export type Outcome =
  | { kind: 'delivered' }
  /** 410 Gone: the receiver says the endpoint is no more; it is disabled at once. */
  | { kind: 'gone' }
  | { kind: 'retry'; at: Date }
  | { kind: 'exhausted' };

/** What an attempt's result means for its message (attempt `attemptsMade` of MAX_ATTEMPTS). */
export function judge(result: SendResult, attemptsMade: number, now: Date, random: number): Outcome {
  if (result.status !== null && result.status >= 200 && result.status < 300) return { kind: 'delivered' };
  if (result.status === 410) return { kind: 'gone' };
  const askedFor = result.status === 429 || result.status === 503 ? retryAfterMs(result.retryAfter, now) : null;
  const delay = attemptsMade >= MAX_ATTEMPTS ? null : nextAttemptDelayMs(attemptsMade, askedFor, random);
  return delay === null ? { kind: 'exhausted' } : { kind: 'retry', at: new Date(now.getTime() + delay) };
}
