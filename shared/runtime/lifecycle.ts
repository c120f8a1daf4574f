/**
 * Tracks in-flight work so SIGTERM can stop taking new work, let what runs finish within a deadline,
 * and only then close the pools. Work is tracked, not responses: a handler that timed out for its
 * caller may still be committing.
 */
export class Lifecycle {
  private readonly inflight = new Set<Promise<unknown>>();
  private draining = false;
  private readonly controller = new AbortController();

  get shuttingDown(): boolean {
    return this.draining;
  }

  /** Aborted when the shutdown deadline passes: handlers still running should give up. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    const forget = () => {
      this.inflight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Resolves true when all in-flight work finished before the deadline. */
  async drain(deadlineMs: number): Promise<boolean> {
    this.draining = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, deadlineMs);
    });
    const settled = Promise.allSettled([...this.inflight]).then(() => true);
    const finished = await Promise.race([settled, deadline]);
    clearTimeout(timer);
    if (!finished) this.controller.abort(new Error('shutdown deadline passed'));
    return finished;
  }
}
