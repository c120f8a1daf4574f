import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Secrets never reach a log line: config values are not logged, and
 * these paths are censored should an object carrying them be logged by mistake.
 */
export function createLogger(options: { level: string; bindings?: Record<string, unknown> }): Logger {
  return pino({
    level: options.level,
    base: { pid: process.pid, ...options.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'DATABASE_URL', 'apiKey', 'secret', '*.secret', 'password'],
      censor: '[redacted]',
    },
  });
}
