import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

export interface ContainerSourceConfig {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The resolved sink, given to the process as K_SINK, as Knative's ContainerSource does. */
  sinkUrl: string;
  ceOverrides?: { extensions?: Record<string, string> };
  onLine?: (line: string) => void;
}

/**
 * A Knative ContainerSource here: a long-running process given K_SINK (and K_CE_OVERRIDES), kept
 * running: when it exits it is started again after a pause, as a Deployment's pod would be.
 */
export class ContainerSourceEmulator {
  private child: ChildProcess | undefined;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ContainerSourceConfig,
    private readonly log: Logger,
    private readonly restartDelayMs = 1_000,
  ) {}

  start(): void {
    const { config } = this;
    const env = {
      ...config.env,
      K_SINK: config.sinkUrl,
      ...(config.ceOverrides ? { K_CE_OVERRIDES: JSON.stringify(config.ceOverrides) } : {}),
    };
    const child = spawn(config.command, config.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        config.onLine?.(line);
      });
    }
    child.once('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopped) return;
      this.log.warn({ source: config.name, code, signal }, 'container source exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.start();
      }, this.restartDelayMs);
    });
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
