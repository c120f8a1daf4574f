import { ProblemError } from './problem-error';

/** Error codes that say the database could not be reached: a transient fault, worth a retry. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // PostgreSQL admin shutdown / connection exceptions
  '40001',
  '40P01',
  '55P03', // serialization failure, deadlock, lock not available: the same work succeeds when retried
  'P1001',
  'P1002',
  'P1017',
  'P2024',
  'P2034', // Prisma: can't reach, timed out, closed, pool timeout, write conflict
]);

const unreachableKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

/**
 * PostgreSQL classes 22 (data exception: a value out of range, bad text) and 23 (integrity constraint
 * violation), and Prisma's codes for the same: the data given can never be stored, however often it
 * is retried. They are the caller's (or the event's) to fix, never a 5xx.
 */
const refusedDataCodes = /^(22|23)[0-9A-Z]{3}$|^P20(00|02|03|04|05|06|07|11|12|19|20|23)$/;
const refusedDataKinds = new Set([
  'LengthMismatch',
  'UniqueConstraintViolation',
  'ForeignKeyConstraintViolation',
  'NullConstraintViolation',
  'InvalidInputValue',
  'ValueOutOfRange',
  'InconsistentColumnData',
  'MissingFullTextSearchIndex',
]);

/**
 * Turns anything thrown into a ProblemError. Only our own ProblemErrors carry a caller-facing status;
 * a library's `code` is read to recognise an outage or refused data, never used as an HTTP status
 * (Knative's Node.js function runtime, faas-js-runtime 2.x, does: a Prisma "P2002" became a status).
 */
export function classifyError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (matches(error, (code, kind) => unreachableCodes.has(code) || unreachableKinds.has(kind), isConnectionMessage)) {
    return new ProblemError('service-unavailable', 'The database is unavailable');
  }
  if (matches(error, (code, kind) => refusedDataCodes.test(code) || refusedDataKinds.has(kind))) {
    return new ProblemError('data-refused');
  }
  return new ProblemError('internal-error');
}

function isConnectionMessage(message: string): boolean {
  return /connection terminated|Connection terminated|timeout exceeded when trying to connect/.test(message);
}

/** Looks at the error and what it wraps (Prisma and the pg adapter nest the driver's error) for a code or kind. */
function matches(
  error: unknown,
  byCode: (code: string, kind: string) => boolean,
  byMessage?: (message: string) => boolean,
  depth = 0,
): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, kind, originalCode, cause, message, meta } = error as {
    code?: unknown;
    kind?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    message?: unknown;
    meta?: { code?: unknown; driverAdapterError?: unknown };
  };
  const codes = [code, originalCode, meta?.code].filter((c): c is string => typeof c === 'string');
  const kindName = typeof kind === 'string' ? kind : '';
  if (codes.some((c) => byCode(c, kindName)) || (kindName !== '' && byCode('', kindName))) return true;
  if (byMessage && typeof message === 'string' && byMessage(message)) return true;
  // Prisma's raw-query error (P2010) carries the driver's under meta.driverAdapterError.cause.
  return (
    matches(cause, byCode, byMessage, depth + 1) || matches(meta?.driverAdapterError, byCode, byMessage, depth + 1)
  );
}
