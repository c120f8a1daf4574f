import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(__dirname, '../..');

export interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Spawns a server process (a function or a floor) on a free port and resolves once it logs
 * "function started" with its port, as every function and floor of bench/ does.
 */
export async function spawnServer(args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((done, fail) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.includes('"function started"')) done((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => { fail(new Error(`${args.join(' ')} exited ${String(code)} before listening`)); });
  });
  return {
    child,
    url: `http://127.0.0.1:${String(port)}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
