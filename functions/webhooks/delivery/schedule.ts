/**
 * When the next attempt comes after a failed one: Standard Webhooks' example schedule (immediately,
 * then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 24 h: ten attempts over ~3 days), each delay
 * with ±10 % jitter so a receiver coming back is not hit by every retry at once. A receiver's
 * Retry-After (429, 503) is honoured when it asks for longer. Null: no attempt left, the message failed.
 */
const RETRY_DELAYS_MS = [5e3, 300e3, 1800e3, 7200e3, 18_000e3, 36_000e3, 36_000e3, 50_400e3, 86_400e3];
const JITTER = 0.1;
const MAX_RETRY_AFTER_MS = 86_400e3;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export function nextAttemptDelayMs(attemptsMade: number, retryAfterMs: number | null, random: number): number | null {
  const base = RETRY_DELAYS_MS[attemptsMade - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number | null {
  if (header === undefined) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
