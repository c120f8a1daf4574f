import { loadConfig, runtimeConfigSchema } from '../../shared/config';
import { startFunction, type FunctionModule, type RunningFunction } from '../../shared/runtime';
import { testChainEnv } from '../fixtures/chain';

/** Starts a function in this process on a free loopback port, quiet unless TEST_LOG_LEVEL says otherwise. */
export function startTestFunction(
  name: string,
  module: FunctionModule,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RunningFunction> {
  const environment = {
    PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    DATABASE_URL: databaseUrl,
    ...testChainEnv,
    ...env,
  };
  return startFunction(name, module, loadConfig(runtimeConfigSchema, environment), '127.0.0.1', environment);
}
