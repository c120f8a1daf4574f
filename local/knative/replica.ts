import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { freePort } from '../net';

const START_TIMEOUT_MS = 30_000;

export interface ReplicaConfig {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  onLine?: (line: string) => void;
}

/**
 * One process of a Knative Service (a pod of its revision): started on a port of its own, ready once it
 * answers its liveness probe (as Knative's queue-proxy probes), with the requests it is serving counted.
 */
export class Replica {
  private child: ChildProcess | undefined;
  /** Requests and deliveries it is serving now. */
  inflight = 0;
  /** Its address once it listens; undefined while it starts and after it stopped. */
  url: string | undefined;
  readonly ready: Promise<string>;

  constructor(
    private readonly config: ReplicaConfig,
    private readonly log: Logger,
    /** Called once when the process is gone (stopped or crashed). */
    private readonly onExit: (replica: Replica) => void,
  ) {
    this.ready = this.start();
    // A start that fails is reported to whoever awaits `ready`; no one else must see it as unhandled.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async start(): Promise<string> {
    const started = Date.now();
    const port = await freePort();
    const { onLine } = this.config;
    const child = spawn(this.config.command, this.config.args, {
      env: { ...this.config.env, PORT: String(port), K_SERVICE: this.config.name },
      stdio: onLine ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    this.child = child;
    if (onLine)
      for (const stream of [child.stdout, child.stderr])
        if (stream) createInterface({ input: stream }).on('line', onLine);
    const state = { exited: false };
    child.once('exit', (code, signal) => {
      state.exited = true;
      this.url = undefined;
      if (code !== 0 && signal !== 'SIGTERM')
        this.log.warn({ service: this.config.name, code, signal }, 'service process exited');
      this.onExit(this);
    });
    while (!(await answers(port))) {
      if (state.exited) throw new Error(`${this.config.name} exited before it listened`);
      if (Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL');
        throw new Error(`${this.config.name} did not listen within ${String(START_TIMEOUT_MS)} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    this.log.info({ service: this.config.name, coldStartMs: Date.now() - started }, 'cold start');
    if (!state.exited) this.url = `http://127.0.0.1:${String(port)}`;
    return this.url ?? '';
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/health/liveness', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    probe.on('error', () => {
      resolve(false);
    });
    probe.on('timeout', () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}
