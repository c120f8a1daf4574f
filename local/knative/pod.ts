import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

export interface PodConfig {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  onLine?: (line: string) => void;
}

/**
 * One always-running pod here (a ContainerSource's, a Deployment replica's): a process kept running.
 * When it exits it is started again after a pause, as the kubelet restarts a pod's container.
 */
export class PodProcess {
  private child: ChildProcess | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: PodConfig,
    private readonly log: Logger,
    private readonly restartDelayMs = 1_000,
  ) {}

  start(): void {
    const { config } = this;
    const child = spawn(config.command, config.args, { env: config.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        config.onLine?.(line);
      });
    }
    child.once('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopped) return;
      this.log.warn({ pod: config.name, code, signal }, 'pod process exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.start();
      }, this.restartDelayMs);
    });
  }

  get name(): string {
    return this.config.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((done) =>
      child.once('exit', () => {
        done();
      }),
    );
    child.kill('SIGTERM');
    await exited;
  }
}
