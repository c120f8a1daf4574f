import { ConfigError, loadConfig, runtimeConfigSchema } from '../config';
import { functions, isFunctionName } from '../../functions/registry';
import { startFunction } from './start';

const EX_USAGE = 64;
const EX_CONFIG = 78;

/**
 * `npm run serve -- <function>`, and what the container image runs: serve one function on $PORT
 * until SIGTERM, then shut down gracefully.
 */
async function main(): Promise<void> {
  const name = process.argv[2] ?? process.env['FUNCTION'] ?? '';
  if (!isFunctionName(name)) {
    console.error(`usage: serve <function>  (one of: ${Object.keys(functions).join(', ')})`);
    process.exit(EX_USAGE);
  }
  const config = loadConfig(runtimeConfigSchema);
  const module = await functions[name]();
  const running = await startFunction(name, module, config);

  const onSignal = (signal: NodeJS.Signals) => {
    running.log.info({ signal }, 'signal received');
    running.stop().then(
      ({ drained }) => { process.exit(drained ? 0 : 1); },
      (error: unknown) => { running.log.error({ err: error }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(EX_CONFIG);
  }
  console.error(error);
  process.exit(1);
});
