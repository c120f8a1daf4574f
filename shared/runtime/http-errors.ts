import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { classifyError, PROBLEM_CONTENT_TYPE, ProblemError } from '../errors';

export function sendProblem(res: Response, problem: ProblemError, instance: string): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem.toBody(instance));
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, new ProblemError('not-found', `No route for ${req.method} ${req.path}`), req.originalUrl);
};

/** Body-parser's and raw-body's errors carry a `type`; these are the caller's mistakes, answered with a 4xx. */
const bodyErrors: Record<string, ProblemError> = {
  'entity.too.large': new ProblemError('payload-too-large'),
  'entity.parse.failed': new ProblemError('bad-request', 'The body is not valid JSON'),
  'request.aborted': new ProblemError('bad-request', 'The request was aborted'),
  'request.size.invalid': new ProblemError('bad-request', 'The body does not match its Content-Length'),
  'encoding.unsupported': new ProblemError('bad-request', 'Unsupported content encoding'),
  'charset.unsupported': new ProblemError('bad-request', 'Unsupported charset'),
};

/**
 * The problem a request's error is answered with (a body-reading mistake is the caller's, a fault of
 * ours is logged, never reflected), for express's routes and the CloudEvents endpoint alike.
 */
export function problemFor(error: unknown, log: Logger, path: string): ProblemError {
  const bodyErrorType = (error as { type?: unknown } | null)?.type;
  const problem =
    (typeof bodyErrorType === 'string' ? bodyErrors[bodyErrorType] : undefined) ??
    callersMistake(error) ??
    classifyError(error);
  if (problem.status >= 500 && !(error instanceof ProblemError)) log.error({ err: error, path }, 'request failed');
  return problem;
}

/**
 * An error express or its body parser raised for the request itself (a 4xx status: a malformed
 * percent-encoding in the path, a corrupt gzip body, ...): the caller's, so a 400 with the library's
 * message, which is written for callers.
 */
function callersMistake(error: unknown): ProblemError | undefined {
  const { status, expose, message } = (error ?? {}) as { status?: unknown; expose?: unknown; message?: unknown };
  // Express's router marks a path it cannot decode as a URIError with status 400, without `expose`.
  const exposed = expose === true || error instanceof URIError;
  if (!exposed || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 413) return new ProblemError('payload-too-large');
  if (status === 415)
    return new ProblemError('unsupported-media-type', typeof message === 'string' ? message : undefined);
  return new ProblemError('bad-request', typeof message === 'string' ? message : undefined);
}

/** The last middleware: every error becomes an RFC 9457 body; no stack trace ever leaves the process. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(res, problemFor(error, log, req.path), req.originalUrl);
  };
}
