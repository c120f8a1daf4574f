import { z } from 'zod';
import { chainConfigSchema } from '../../../shared/chain';
import { ConfigError, env, loadConfig } from '../../../shared/config';
import { createLogger } from '../../../shared/logging/logger';
import { followHead, type BlockSeen } from './follow-head';

/**
 * The chain source: the one always-on process. It follows the chain head and sends a
 * `io.knpay.chain.block.seen.v1` CloudEvent per new block to $K_SINK, as a Knative ContainerSource
 * does (in production the sink is a KafkaSink, so the payment function can scale to zero).
 */
const configSchema = chainConfigSchema.pick({ CHAIN_ID: true, CHAIN_RPC_URL: true }).extend({
  K_SINK: z.url(),
  /** Knative's ContainerSource passes ceOverrides as JSON: {"extensions": {...}}. */
  K_CE_OVERRIDES: z.string().optional(),
  CHAIN_POLL_MS: env.integer(100, 600_000).default(1_000),
  LOG_LEVEL: env.logLevel().default('info'),
});

function main(): void {
  let config: z.output<typeof configSchema>;
  try {
    config = loadConfig(configSchema);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, bindings: { service: 'chain-source' } });
  const overrides = parseOverrides(config.K_CE_OVERRIDES);
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      stop.abort();
    });
  log.info({ chainId: config.CHAIN_ID, sink: new URL(config.K_SINK).origin }, 'following the chain head');
  void followHead({
    chainId: config.CHAIN_ID,
    rpcUrl: config.CHAIN_RPC_URL,
    pollMs: config.CHAIN_POLL_MS,
    log,
    signal: stop.signal,
    onBlock: async (block) => {
      await send(config.K_SINK, block, overrides);
      log.info({ number: block.number, hash: block.hash }, 'block announced');
    },
  }).then(() => {
    log.info('stopped');
  });
}

/** Binary mode. The id is the block's hash, so the same block announced twice is the same event. */
async function send(sink: string, block: BlockSeen, overrides: Record<string, string>): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': `${String(block.chainId)}:${block.hash}`,
    'ce-source': '/knpay/chain-source',
    'ce-type': 'io.knpay.chain.block.seen.v1',
    'ce-subject': `eip155:${String(block.chainId)}`,
    'ce-time': new Date().toISOString(),
  };
  for (const [name, value] of Object.entries(overrides)) headers[`ce-${name}`] = value;
  const res = await fetch(sink, {
    method: 'POST',
    headers,
    body: JSON.stringify(block),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 300) throw new Error(`the sink answered ${String(res.status)}`);
}

function parseOverrides(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = z.object({ extensions: z.record(z.string(), z.string()).optional() }).safeParse(json);
  return parsed.success ? (parsed.data.extensions ?? {}) : {};
}

main();
