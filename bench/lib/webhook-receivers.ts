import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receivers {
  urls: string[];
  /** Requests answered so far, by every receiver. */
  answered(): number;
  stop(): Promise<void>;
}

/**
 * `count` merchants' receivers on real sockets, each answering 204 once it has read the body: as
 * cheap as a receiver can be, so the bench measures the sender. With `silent`, one more that accepts
 * connections and reads requests but never answers (a dead endpoint).
 */
export async function startReceivers(count: number): Promise<Receivers> {
  let answered = 0;
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      listen(
        createServer((req, res) => {
          req.resume();
          req.on('end', () => {
            answered++;
            res.writeHead(204).end();
          });
        }),
      ),
    ),
  );
  return {
    urls: servers.map(urlOf),
    answered: () => answered,
    stop: () => closeAll(servers),
  };
}

/** A receiver that never answers: each request is held until the sender gives up. */
export async function startSilentReceiver(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await listen(createServer((req) => req.resume()));
  return { url: urlOf(server), stop: () => closeAll([server]) };
}

async function listen(server: Server): Promise<Server> {
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/webhooks`;

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => {
            done();
          });
        }),
    ),
  );
}
