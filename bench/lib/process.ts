import { readdirSync, readFileSync } from 'node:fs';
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
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  where: { cwd?: string; node?: string } = {},
): Promise<Server> {
  const child = spawn(where.node ?? process.execPath, args, {
    cwd: where.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.includes('"function started"')) done((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      fail(new Error(`${args.join(' ')} exited ${String(code)} before listening`));
    });
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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields =
    readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** The pids of this machine's PostgreSQL server processes (every backend, the WAL writer …). */
export function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${String(pid)}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false; // gone since the listing
      }
    });
}

/** CPU seconds used by PostgreSQL's processes, those alive now (backends that exited are not counted). */
export function postgresCpuSeconds(): number {
  return postgresPids().reduce((sum, pid) => {
    try {
      return sum + cpuSeconds(pid);
    } catch {
      return sum;
    }
  }, 0);
}

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds of "the rest of the stack": this process (the dev broker, the emulator, its KafkaSource
 * dispatchers) and the outbox relay's processes (Deployment replicas of their own, as in production).
 */
export function stackCpuSeconds(pods: readonly { name: string; pid: number | undefined }[]): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + relayCpuSeconds(pods);
}

/** The CPU the relay's processes (the Deployment's pods) have used. */
export function relayCpuSeconds(pods: readonly { name: string; pid: number | undefined }[]): number {
  return pods
    .filter((pod) => pod.name.startsWith('outbox-relay') && pod.pid !== undefined)
    .reduce((sum, pod) => sum + cpuSeconds(pod.pid ?? 0), 0);
}
