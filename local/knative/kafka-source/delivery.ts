/**
 * A KafkaSource's `delivery`, resolved as Knative's controller resolves it (eventing-kafka-broker's
 * control-plane/pkg/apis/sources/v1beta1/kafka_defaults.go and reconciler/source/source.go):
 * no delivery block → retry 10, exponential, PT0.3S, PT600S; a block → as written (no retry → 0;
 * retry without backoffDelay → 200 ms; no policy → exponential; no timeout → 600 s).
 */
export interface DeliverySpec {
  retry?: number;
  backoffPolicy?: 'linear' | 'exponential';
  backoffDelay?: string;
  timeout?: string;
}

export interface DeliveryPolicy {
  retry: number;
  backoffPolicy: 'linear' | 'exponential';
  backoffDelayMs: number;
  timeoutMs: number;
}

export function resolveDelivery(spec: DeliverySpec | undefined): DeliveryPolicy {
  if (spec === undefined) return { retry: 10, backoffPolicy: 'exponential', backoffDelayMs: 300, timeoutMs: 600_000 };
  return {
    retry: spec.retry ?? 0,
    backoffPolicy: spec.backoffPolicy ?? 'exponential',
    backoffDelayMs: spec.backoffDelay === undefined ? 200 : isoDurationMs(spec.backoffDelay),
    timeoutMs: spec.timeout === undefined ? 600_000 : isoDurationMs(spec.timeout),
  };
}

/** Delay before retry n (1-based): linear delay·n; exponential delay·round(2^n), so the first waits 2·delay. */
export function retryDelayMs(policy: DeliveryPolicy, n: number): number {
  if (policy.backoffDelayMs <= 0) return 0;
  return policy.backoffPolicy === 'linear' ? policy.backoffDelayMs * n : policy.backoffDelayMs * Math.round(2 ** n);
}

/** What the dispatcher retries: 5xx, 404, 408, 409, 429, and no response at all. */
export function isRetryable(status: number | null): boolean {
  return status === null || status >= 500 || [404, 408, 409, 429].includes(status);
}

/** ISO-8601 durations of the form Knative uses (PT0.3S, PT10M, P1DT2H…). */
export function isoDurationMs(duration: string): number {
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    duration,
  );
  if (!match || duration === 'P' || duration.endsWith('T')) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
}
