import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface SpawnedProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a line of the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs a TypeScript entry in its own Node process (through tsx's loader, no build step). `group`: as
 * the leader of a process group of its own, so it and every process it starts can be killed at once.
 */
export function spawnTs(
  entry: string,
  args: string[],
  env: Record<string, string>,
  options: { group?: boolean } = {},
): SpawnedProcess {
  return spawnProcess(process.execPath, ['--import', 'tsx', resolve(ROOT, entry), ...args], env, options);
}

/** Runs a command from the repository's root (make, a shell line), its output collected. */
export function spawnProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { group?: boolean; cwd?: string } = {},
): SpawnedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    detached: options.group ?? false,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('exit', (code, signal) => {
      done({ code, signal });
    });
  });
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = output.split('\n').find((line) => pattern.test(line));
          if (match === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolveMatch(match);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}; output:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}
