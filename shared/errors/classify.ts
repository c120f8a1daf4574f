import { ProblemError } from './problem-error';

/** Error codes that say the database could not be reached: a transient fault, worth a retry. */
const unreachableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', // PostgreSQL admin shutdown / connection exceptions
  'P1001', 'P1002', 'P1017', 'P2024', // Prisma: can't reach, timed out, closed, pool timeout
]);

const unreachableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/**
 * Turns anything thrown into a ProblemError. Only our own ProblemErrors carry a caller-facing status;
 * a library's `code` is read to recognise an outage, never used as an HTTP status (the mistake
 * knative-anchors.md §5 warns of in faas-js-runtime).
 */
export function classifyError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (isUnreachable(error)) return new ProblemError('service-unavailable', 'The database is unavailable');
  return new ProblemError('internal-error');
}

function isUnreachable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, kind, cause, message } = error as { code?: unknown; kind?: unknown; cause?: unknown; message?: unknown };
  if (typeof code === 'string' && unreachableCodes.has(code)) return true;
  if (typeof kind === 'string' && unreachableKinds.has(kind)) return true;
  if (typeof message === 'string' && /connection terminated|Connection terminated|timeout exceeded when trying to connect/.test(message)) {
    return true;
  }
  return isUnreachable(cause, depth + 1);
}
