import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

export interface ServiceConfig {
  name: string;
  /** The process to run: `node shared/runtime/launch.js <name>` for our functions. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Stop the process after this long without a request (min-scale 0); null keeps it up. */
  idleMs: number | null;
  /** The stable port of the service's URL (0: any). */
  port?: number;
}

/**
 * One Knative Service on this machine: a stable URL in front of a process that exists only while
 * there is traffic. The first request starts the process and is held until the process listens (as
 * Knative's activator holds it), the process stops after the idle window, and one that crashed is
 * started again by the next request. Requests are proxied by hand: a few lines of node:http piping.
 */
export class ServiceEmulator {
  private server: Server | undefined;
  private child: ChildProcess | undefined;
  private childPort: Promise<number> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private inflight = 0;
  url = '';

  constructor(private readonly config: ServiceConfig, private readonly log: Logger) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => { void this.forward(req, res); });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.config.port ?? 0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    return this.url;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.scaleToZero();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inflight += 1;
    clearTimeout(this.idleTimer);
    try {
      const port = await this.ensureRunning();
      await new Promise<void>((resolve) => {
        const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res).on('finish', resolve);
        });
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502).end();
          resolve();
        });
        req.pipe(upstream);
      });
    } catch (error) {
      this.log.error({ service: this.config.name, err: { message: (error as Error).message } }, 'service could not start');
      if (!res.headersSent) res.writeHead(503, { 'retry-after': '1' }).end();
    } finally {
      this.inflight -= 1;
      this.armIdleTimer();
    }
  }

  /** The process's port, starting it when there is none (a cold start). */
  private ensureRunning(): Promise<number> {
    this.childPort ??= this.coldStart();
    return this.childPort;
  }

  private coldStart(): Promise<number> {
    const started = Date.now();
    const child = spawn(this.config.command, this.config.args, { env: { ...this.config.env, PORT: '0', K_SERVICE: this.config.name }, stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    return new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.includes('"function started"')) return;
        const port = (JSON.parse(line) as { port: number }).port;
        this.log.info({ service: this.config.name, coldStartMs: Date.now() - started }, 'cold start');
        resolve(port);
      });
      child.once('exit', (code, signal) => {
        // A crash (or a stop) forgets the process: the next request starts a new one.
        if (this.child === child) {
          this.child = undefined;
          this.childPort = undefined;
        }
        reject(new Error(`${this.config.name} exited (${String(code ?? signal)}) before it listened`));
        if (code !== 0 && signal !== 'SIGTERM') this.log.warn({ service: this.config.name, code, signal }, 'service process exited');
      });
    });
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.config.idleMs === null || this.inflight > 0 || !this.child) return;
    this.idleTimer = setTimeout(() => { void this.scaleToZero(); }, this.config.idleMs);
  }

  private async scaleToZero(): Promise<void> {
    const child = this.child;
    if (!child || this.inflight > 0) return;
    this.child = undefined;
    this.childPort = undefined;
    this.log.info({ service: this.config.name }, 'scaled to zero');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
