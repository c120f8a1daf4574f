import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The path and query it was sent to: endpoints sharing this receiver tell themselves apart by it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A merchant's webhook receiver on a real socket. `answer` decides each reply (status, or 'hang' to
 * never answer); every request is kept for the test to verify.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (request: Received) => number | 'hang' = () => 204;
  private readonly hung = new Set<ServerResponse>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        const status = this.answer(request);
        if (status === 'hang') this.hung.add(res);
        else res.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${String(status)}`);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks/knpay`;
  }

  /** Answers every request held so far with `status`. */
  release(status: number): void {
    for (const res of this.hung) res.writeHead(status).end();
    this.hung.clear();
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    const server = this.server;
    server?.closeAllConnections();
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
  }
}
