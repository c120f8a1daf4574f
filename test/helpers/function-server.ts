import { loadConfig, runtimeConfigSchema } from '../../shared/config';
import { startFunction, type FunctionModule, type RunningFunction } from '../../shared/runtime';

/** Starts a function in this process on a free loopback port, quiet unless TEST_LOG_LEVEL says otherwise. */
export function startTestFunction(
  name: string,
  module: FunctionModule,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RunningFunction> {
  const config = loadConfig(runtimeConfigSchema, {
    PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    DATABASE_URL: databaseUrl,
    ...env,
  });
  return startFunction(name, module, config, '127.0.0.1');
}
