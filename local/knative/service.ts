import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { CLUSTER_HEADER, fromInsideCluster } from './cluster-network';
import { Replica } from './replica';

export interface ServiceConfig {
  name: string;
  /** The process to run: `node bin/launch.js <name>` for our functions. */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Stop a process after this long without a request (min-scale 0); null keeps it up. */
  idleMs: number | null;
  /** Requests one process is meant to serve at once (autoscaling.knative.dev/target; Knative's default 100). */
  target?: number;
  /** At most this many processes (autoscaling.knative.dev/max-scale); 1 when not given. */
  maxScale?: number;
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
 * One Knative Service on this machine: a stable URL in front of processes that exist only while there
 * is traffic. The first request starts one and is held until it listens (as Knative's activator holds
 * it). As Knative's autoscaler does, the Service runs ceil(requests in flight / target) processes, up to
 * max-scale, each new one taking requests once it listens; a process with no request for the idle
 * window stops, the last one too (scale to zero), and one that crashed is replaced by the next request.
 * Requests go to the oldest process with room under the target, so extra processes fall idle and go
 * when the load drops. Requests are proxied by hand: a few lines of node:http piping.
 */
export class ServiceEmulator {
  private server: Server | undefined;
  private readonly replicas: Replica[] = [];
  private readonly idleTimers = new Map<Replica, NodeJS.Timeout>();
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
   * Where the emulator's own sources deliver: a process itself while one runs, else the stable URL,
   * which starts one. Knative takes the activator out of the data path once a revision has capacity;
   * here that spares each delivery a proxy hop (~0.1 ms of CPU, bench/RESULTS.md). A delivery counts as
   * traffic (for the idle window and the scale) until it is released, as a proxied request does.
   */
  open(): { url: string; release: () => void } {
    const replica = this.readyReplica();
    if (!replica?.url) return { url: this.url, release: () => undefined };
    return { url: replica.url, release: this.track(replica) };
  }

  /** Reachable only from inside the platform (its sources), as a cluster-local Knative Service is. */
  get clusterLocal(): boolean {
    return this.config.clusterCredential !== undefined;
  }

  get running(): boolean {
    return this.replicas.length > 0;
  }

  /** How many processes it runs now (Knative's actual scale). */
  get scale(): number {
    return this.replicas.length;
  }

  get pid(): number | undefined {
    return this.replicas[0]?.pid;
  }

  get pids(): number[] {
    return this.replicas.flatMap((replica) => (replica.pid === undefined ? [] : [replica.pid]));
  }

  async stop(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    await Promise.all(this.replicas.map((replica) => replica.stop()));
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
    let replica: Replica;
    try {
      replica = await this.choose();
    } catch (error) {
      this.log.error(
        { service: this.config.name, err: { message: (error as Error).message } },
        'service could not start',
      );
      req.resume();
      if (!res.headersSent) res.writeHead(503, { 'retry-after': '1' }).end();
      return;
    }
    const release = this.track(replica);
    try {
      await proxy(req, res, replica.url ?? '');
    } finally {
      release();
    }
  }

  /** A process that listens; with none, the one starting (or a new one): a cold start holds the request. */
  private async choose(): Promise<Replica> {
    const ready = this.readyReplica();
    if (ready) return ready;
    const starting = this.replicas[0] ?? this.addReplica();
    await starting.ready;
    return starting.url ? starting : this.choose();
  }

  /** The oldest listening process with room under the target, else the least busy one. */
  private readyReplica(): Replica | undefined {
    const ready = this.replicas.filter((replica) => replica.url !== undefined);
    const target = this.config.target ?? 100;
    return (
      ready.find((replica) => replica.inflight < target) ??
      ready.reduce<Replica | undefined>((best, r) => (best && best.inflight <= r.inflight ? best : r), undefined)
    );
  }

  /** Counts a request or delivery on a process until the returned release; scales out when over target. */
  private track(replica: Replica): () => void {
    replica.inflight += 1;
    clearTimeout(this.idleTimers.get(replica));
    this.scaleOut();
    return () => {
      replica.inflight -= 1;
      this.armIdleTimer(replica);
    };
  }

  private scaleOut(): void {
    const inflight = this.replicas.reduce((sum, replica) => sum + replica.inflight, 0);
    const wanted = Math.min(this.config.maxScale ?? 1, Math.ceil(inflight / (this.config.target ?? 100)));
    while (this.replicas.length < wanted) {
      const replica = this.addReplica();
      this.log.info({ service: this.config.name, scale: this.replicas.length }, 'scaled out');
      void replica.ready.then(() => {
        this.armIdleTimer(replica);
      });
    }
  }

  private addReplica(): Replica {
    const { name, command, args, env, onLine } = this.config;
    const replica = new Replica({ name, command, args, env, ...(onLine ? { onLine } : {}) }, this.log, (gone) => {
      // A crash (or a stop) forgets the process: the next request starts another.
      clearTimeout(this.idleTimers.get(gone));
      this.idleTimers.delete(gone);
      const index = this.replicas.indexOf(gone);
      if (index >= 0) this.replicas.splice(index, 1);
    });
    this.replicas.push(replica);
    return replica;
  }

  private armIdleTimer(replica: Replica): void {
    clearTimeout(this.idleTimers.get(replica));
    if (this.config.idleMs === null || replica.inflight > 0 || replica.url === undefined) return;
    this.idleTimers.set(
      replica,
      setTimeout(() => {
        if (replica.inflight > 0) return;
        const index = this.replicas.indexOf(replica);
        if (index >= 0) this.replicas.splice(index, 1);
        this.log.info({ service: this.config.name, scale: this.replicas.length }, 'scaled in');
        void replica.stop();
      }, this.config.idleMs),
    );
  }
}

function proxy(req: IncomingMessage, res: ServerResponse, to: string): Promise<void> {
  const { port } = new URL(to);
  return new Promise<void>((resolve) => {
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
}

/** The platform's credential stays with the platform: the function never sees it. */
function withoutCredential(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== CLUSTER_HEADER));
}
