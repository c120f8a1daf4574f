import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Secrets never reach a log line: config values are not logged, and
 * these paths are censored should an object carrying them be logged by mistake.
 */
export function createLogger(
  options: { level: string; bindings?: Record<string, unknown> },
  destination?: pino.DestinationStream,
): Logger {
  const config: pino.LoggerOptions = {
    level: options.level,
    base: { pid: process.pid, ...options.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: {
      paths: [
        'authorization',
        'headers.authorization',
        'req.headers.authorization',
        'DATABASE_URL',
        'apiKey',
        'secret',
        '*.secret',
        'password',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(config, destination) : pino(config);
}

/**
 * pino's error serializer, with the error's `name` as its type rather than its constructor's name:
 * the bundle's identifiers are minified (build.mjs), and every error class here sets its name.
 */
export function serializeError(error: unknown): unknown {
  return error instanceof Error ? { ...pino.stdSerializers.err(error), type: error.name } : error;
}
