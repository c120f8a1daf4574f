import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  perSecond: number;
}

/**
 * A closed-loop load: `concurrency` workers, each sending its next request when the last is
 * answered, for `durationMs`. `send` resolves true for an answer the benchmark counts as done.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  send: () => Promise<boolean>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      if (await send()) latenciesMs.push(performance.now() - t0);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { ok: latenciesMs.length, failed, seconds, latenciesMs, perSecond: latenciesMs.length / seconds };
}
