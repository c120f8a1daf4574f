import { ConfigError, loadConfig, runtimeConfigSchema } from '../config';
import { startFunction } from './start';
import type { FunctionModule } from './types';

const EX_CONFIG = 78;

/**
 * Runs one function as a process: validates the environment (a bad variable is named and the process
 * exits 78, EX_CONFIG), serves on $PORT, and on SIGTERM or SIGINT shuts down gracefully, exiting 0
 * when in-flight work finished in time.
 */
export async function serve(name: string, load: () => Promise<FunctionModule>): Promise<void> {
  try {
    const config = loadConfig(runtimeConfigSchema);
    const running = await startFunction(name, await load(), config, config.HOST);
    const onSignal = (signal: NodeJS.Signals) => {
      running.log.info({ signal }, 'signal received');
      running.stop().then(
        ({ drained }) => {
          process.exit(drained ? 0 : 1);
        },
        (error: unknown) => {
          running.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    // `on`, not `once`: a second signal (the process group's and a supervisor's) must not kill in-flight work.
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EX_CONFIG);
    }
    console.error(error);
    process.exit(1);
  }
}
