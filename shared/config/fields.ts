import { z } from 'zod';

/** Reusable environment-variable fields: each parses the string the environment holds. */
export const env = {
  integer: (min: number, max: number) => z.coerce.number().int().min(min).max(max),
  /** 0 asks the OS for a free port (tests, benchmarks). */
  port: () => z.coerce.number().int().min(0).max(65535),
  postgresUrl: () =>
    z.string().regex(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  flag: () => z.enum(['true', 'false'], { message: 'must be true or false' }).transform((value) => value === 'true'),
};
