import { spawn, type ChildProcess } from 'node:child_process';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../net';
import { CLUSTER_HEADER, fromInsideCluster } from './cluster-network';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

const START_TIMEOUT_MS = 30_000;

export interface ServiceConfig {
  name: string;
  /** The process to run: `node bin/launch.js <name>` for our functions. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Stop the process after this long without a request (min-scale 0); null keeps it up. */
  idleMs: number | null;
  /** The stable port of the service's URL (0: any). */
  port?: number;
  /**
   * Set for a cluster-local Service: its stable URL answers only requests carrying this credential
   * (cluster-network.ts), as no ingress routes to it from outside the cluster.
   */
  clusterCredential?: Record<string, string>;
  /** Receives the process's output line by line; without it the output is inherited. */
  onLine?: (line: string) => void;
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
  /** The process's address once it listens (cleared when it stops or crashes). */
  private childUrl: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private inflight = 0;
  url = '';

  constructor(
    private readonly config: ServiceConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.forward(req, res);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.config.port ?? 0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    return this.url;
  }

  /**
   * Where the emulator's own sources deliver: the process itself while it runs, else the stable URL,
   * which starts it. Knative takes the activator out of the data path once a revision has capacity;
   * here that spares each delivery a proxy hop (~0.1 ms of CPU, bench/RESULTS.md). A delivery counts as
   * traffic for the idle window until it is released, as a proxied request does.
   */
  open(): { url: string; release: () => void } {
    if (this.childUrl === undefined) return { url: this.url, release: () => undefined };
    return { url: this.childUrl, release: this.trackTraffic() };
  }

  /** Counts a request or delivery as traffic until the returned release: no scale to zero meanwhile. */
  private trackTraffic(): () => void {
    this.inflight += 1;
    clearTimeout(this.idleTimer);
    return () => {
      this.inflight -= 1;
      this.armIdleTimer();
    };
  }

  /** Reachable only from inside the platform (its sources), as a cluster-local Knative Service is. */
  get clusterLocal(): boolean {
    return this.config.clusterCredential !== undefined;
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
    const credential = this.config.clusterCredential;
    if (credential && !fromInsideCluster(req, credential)) {
      req.resume();
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`${this.config.name} is cluster-local: no route from outside the cluster\n`);
      return;
    }
    const release = this.trackTraffic();
    try {
      const port = await this.ensureRunning();
      await new Promise<void>((resolve) => {
        const upstream = request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, headers: withoutCredential(req.headers) },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res).on('finish', resolve);
          },
        );
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502).end();
          resolve();
        });
        req.pipe(upstream);
      });
    } catch (error) {
      this.log.error(
        { service: this.config.name, err: { message: (error as Error).message } },
        'service could not start',
      );
      if (!res.headersSent) res.writeHead(503, { 'retry-after': '1' }).end();
    } finally {
      release();
    }
  }

  /** The process's port, starting it when there is none (a cold start). */
  private ensureRunning(): Promise<number> {
    this.childPort ??= this.coldStart();
    return this.childPort;
  }

  private async coldStart(): Promise<number> {
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
      // A crash (or a stop) forgets the process: the next request starts a new one.
      if (this.child === child) {
        this.child = undefined;
        this.childPort = undefined;
        this.childUrl = undefined;
      }
      if (code !== 0 && signal !== 'SIGTERM')
        this.log.warn({ service: this.config.name, code, signal }, 'service process exited');
    });
    // Ready when it answers its liveness probe on the port it was given, as Knative's queue-proxy probes.
    while (!(await answers(port))) {
      if (state.exited) throw new Error(`${this.config.name} exited before it listened`);
      if (Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL');
        throw new Error(`${this.config.name} did not listen within ${String(START_TIMEOUT_MS)} ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    this.log.info({ service: this.config.name, coldStartMs: Date.now() - started }, 'cold start');
    if (this.child === child) this.childUrl = `http://127.0.0.1:${String(port)}`;
    return port;
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.config.idleMs === null || this.inflight > 0 || !this.child) return;
    this.idleTimer = setTimeout(() => {
      void this.scaleToZero();
    }, this.config.idleMs);
  }

  private async scaleToZero(): Promise<void> {
    const child = this.child;
    if (!child || this.inflight > 0) return;
    this.child = undefined;
    this.childPort = undefined;
    this.childUrl = undefined;
    this.log.info({ service: this.config.name }, 'scaled to zero');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The platform's credential stays with the platform: the function never sees it. */
function withoutCredential(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== CLUSTER_HEADER));
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
