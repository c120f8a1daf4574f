import type { CloudEvent } from 'cloudevents';
import type { Logger } from 'pino';
import { classifyError, ProblemError } from '../errors';
import { isEventType } from '../events';
import type { Db, InStatement, InTransaction, OutboxTransaction } from '../db';
import type { Lifecycle } from './lifecycle';
import type { Metrics } from './metrics';
import type { Handle, HandlerContext } from './types';

export interface InvokeDeps {
  name: string;
  handle: Handle;
  db: Db;
  log: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  inTransaction: InTransaction;
  inStatement: InStatement;
  transaction: OutboxTransaction;
  timeoutMs: number;
}

/**
 * Hands each event to the function in order and gathers the replies. A batch holding an event that
 * can never be handled is refused whole, before anything is handled. Otherwise the first failure stops
 * the batch and is thrown: the events before it are committed, and their inbox rows make the
 * redelivery of the whole batch harmless.
 */
export async function invokeAll(events: CloudEvent<unknown>[], deps: InvokeDeps): Promise<CloudEvent<unknown>[]> {
  for (const event of events) {
    try {
      deps.handle.check(event);
    } catch (error) {
      throw reportFailure(error, event, deps.log.child(eventBindings(event)), deps.metrics);
    }
  }
  const replies: CloudEvent<unknown>[] = [];
  for (const event of events) replies.push(...(await invokeOne(event, deps)));
  return replies;
}

async function invokeOne(event: CloudEvent<unknown>, deps: InvokeDeps): Promise<CloudEvent<unknown>[]> {
  const typeLabel = typeLabelOf(event);
  const log = deps.log.child(eventBindings(event));
  const abort = new AbortController();
  const stopOnShutdown = () => {
    abort.abort(new Error('shutting down'));
  };
  deps.lifecycle.signal.addEventListener('abort', stopOnShutdown, { once: true });
  const seen = { duplicate: false };
  const noting = <O extends { duplicate: boolean }>(outcome: O): O => {
    seen.duplicate ||= outcome.duplicate;
    return outcome;
  };
  const context: HandlerContext = {
    log,
    db: deps.db,
    signal: abort.signal,
    inTransaction: async (handled, work) => noting(await deps.inTransaction(handled, deps.name, work)),
    inStatement: async (handled, work, admit) => noting(await deps.inStatement(handled, deps.name, work, admit)),
    transaction: (work) => deps.transaction(work, traceparentOf(event)),
  };

  const endTimer = deps.metrics.handlerDuration.startTimer({ type: typeLabel });
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = deps.lifecycle.track(deps.handle(event, context));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort(new Error('handler timeout'));
        reject(new ProblemError('handler-timeout', `The handler did not finish within ${String(deps.timeoutMs)} ms`));
      }, deps.timeoutMs);
    });
    const replies = (await Promise.race([work, timeout])) ?? [];
    const outcome = seen.duplicate ? 'duplicate' : 'success';
    deps.metrics.eventsHandled.inc({ type: typeLabel, outcome });
    log.info(
      { outcome, replies: replies.length, durationMs: Math.round(performance.now() - startedAt) },
      seen.duplicate ? 'event already handled: skipped' : 'event handled',
    );
    return replies;
  } catch (error) {
    throw reportFailure(error, event, log, deps.metrics);
  } finally {
    clearTimeout(timer);
    endTimer();
    deps.lifecycle.signal.removeEventListener('abort', stopOnShutdown);
  }
}

// Only catalog types become label values, so a caller cannot blow up the metrics' cardinality.
function typeLabelOf(event: CloudEvent<unknown>): string {
  return isEventType(event.type) ? event.type : 'unknown';
}

function traceparentOf(event: CloudEvent<unknown>): string | undefined {
  const traceparent = event['traceparent'];
  return typeof traceparent === 'string' ? traceparent : undefined;
}

function eventBindings(event: CloudEvent<unknown>): Record<string, unknown> {
  const traceparent = traceparentOf(event);
  return {
    ce: { id: event.id, type: event.type, source: event.source },
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}

/** Counts and logs a failure, and gives back the ProblemError that answers it. */
function reportFailure(error: unknown, event: CloudEvent<unknown>, log: Logger, metrics: Metrics): ProblemError {
  const problem = classifyError(error);
  const outcome = problem.problemType === 'handler-timeout' ? 'timeout' : problem.retriable ? 'failed' : 'rejected';
  metrics.eventsHandled.inc({ type: typeLabelOf(event), outcome });
  if (problem.retriable) log.error({ err: error, outcome }, 'event handling failed; it will be retried');
  else log.warn({ outcome, problem: problem.problemType, detail: problem.message }, 'event rejected');
  return problem;
}
