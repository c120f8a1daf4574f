import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../net';

export interface ChainNode {
  url: string;
  chainId: number;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

/**
 * Starts hardhat 2's JSON-RPC node (chain 31337, automining, hardhat's ten funded accounts) on the
 * loopback interface. Run from its own binary, not npx, which would add a 77 MB wrapper process.
 */
export async function startChainNode(
  options: { port?: number; onLine?: (line: string) => void } = {},
): Promise<ChainNode> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    resolve(ROOT, 'node_modules/.bin/hardhat'),
    ['--config', 'local/chain/hardhat.config.js', 'node', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? ROOT,
        HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      done();
    }),
  );
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`hardhat node did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      options.onLine?.(chunk.toString().trimEnd());
      if (output.includes('Started HTTP and WebSocket JSON-RPC server')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`hardhat node exited:\n${output}`));
    });
  });
  // Keep draining its output (every RPC call is logged) so the pipe never fills and stalls the node.
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (chunk: Buffer) => options.onLine?.(chunk.toString().trimEnd()));
  return {
    url: `http://127.0.0.1:${String(port)}`,
    chainId: 31337,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
