import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import { PROBLEM_CONTENT_TYPE, ProblemError } from '../errors';
import { readEvents, writeReplies } from './cloudevents';
import { problemFor } from './http-errors';
import { invokeAll, type InvokeDeps } from './invoke';
import type { AppDeps } from './app-deps';

/**
 * `POST /`, where CloudEvents arrive, served by node:http itself; every other route goes through
 * express (server.ts). Express's router and body parser cost ~95 µs of CPU per request (measured
 * against this endpoint: bench/RESULTS.md), the largest part of a delivery here after the database.
 */
export function eventEndpoint(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = deps.service.config.BODY_LIMIT_BYTES;
  const invokeDeps: InvokeDeps = {
    name: deps.service.name,
    handle: deps.module.handle,
    db: deps.service.db,
    log: deps.service.log,
    metrics: deps.metrics,
    lifecycle: deps.lifecycle,
    inTransaction: deps.inTransaction,
    inStatement: deps.inStatement,
    transaction: deps.service.transaction,
    timeoutMs: deps.service.config.HANDLER_TIMEOUT_MS,
  };
  const answer = (res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer) => {
    res.writeHead(status, headers).end(body);
    deps.metrics.httpRequests.inc({ route: '/', method: 'POST', status: String(status) });
  };
  const answerProblem = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    const problem = problemFor(error, deps.service.log, '/');
    const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
    if (problem.problemType === 'shutting-down') headers['connection'] = 'close';
    answer(res, problem.status, headers, JSON.stringify(problem.toBody(req.url)));
  };

  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    if (deps.lifecycle.shuttingDown) throw new ProblemError('shutting-down');
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity')
      throw new ProblemError('bad-request', 'Unsupported content encoding');
    const body = await getRawBody(req, { limit, length: req.headers['content-length'] });
    const traceparent = req.headers['traceparent'];
    // The W3C header travels beside binary-mode events; it fills the extension when the event has none.
    const events = readEvents(req.headers, body).map((event) =>
      typeof traceparent === 'string' && event['traceparent'] === undefined ? event.cloneWith({ traceparent }) : event,
    );
    const replies = await invokeAll(events, invokeDeps);
    if (replies.length === 0) {
      answer(res, 204, {});
      return;
    }
    const reply = writeReplies(replies);
    answer(res, 200, reply.headers, reply.body);
  };

  return (req, res) => {
    receive(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else answerProblem(req, res, error);
      // An unread body (refused before reading, or over the limit) must not be taken for the next request.
      if (!req.complete) req.resume();
    });
  };
}
