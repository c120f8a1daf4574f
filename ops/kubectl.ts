import { spawnSync } from 'node:child_process';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** The program is not on PATH. */
  missing: boolean;
}

/** Runs a command and collects what it printed; never throws (callers decide what a failure means). */
export function run(program: string, args: string[], input?: string): Run {
  const result = spawnSync(program, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  const failure: NodeJS.ErrnoException | undefined = result.error;
  const missing = failure?.code === 'ENOENT';
  // Nothing was captured when the program could not start.
  const captured = (text: string | null) => text ?? '';
  return { status: result.status ?? 1, stdout: captured(result.stdout), stderr: captured(result.stderr), missing };
}

/**
 * kubectl against the current context, with a bounded wait per request so an unreachable cluster is
 * an error in seconds rather than a hang.
 */
export function kubectl(args: string[], input?: string): Run {
  return run('kubectl', ['--request-timeout=15s', ...args], input);
}

/** kubectl whose failure ends the command with what kubectl said. */
export function kubectlOrFail(args: string[], input?: string): string {
  const result = kubectl(args, input);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed:\n${result.stderr.trim()}`);
  return result.stdout;
}

/** GET a path of the Kubernetes API: true when it exists, false on 404, the error otherwise. */
export function apiExists(path: string): boolean | string {
  const result = kubectl(['get', '--raw', path]);
  if (result.status === 0) return true;
  if (/NotFound|\(404\)|not found/i.test(result.stderr)) return false;
  return result.stderr.trim();
}
