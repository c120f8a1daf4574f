import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';

/**
 * make dev's webhook receiver: an endpoint at http://127.0.0.1:<port>/<endpoint id> logs each webhook
 * it gets, checked with the signing secret `make demo` kept for that endpoint in
 * .dev-data/webhook-secrets/<endpoint id>, so a newcomer sees signed webhooks arrive within minutes.
 */
export async function startWebhookReceiver(options: {
  port: number;
  secretsDir: string;
  print: (line: string) => void;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void describe(req.url ?? '/', Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>).then(
        (line) => {
          options.print(line);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('received\n');
        },
      );
    });
  });
  const describe = async (path: string, body: string, headers: Record<string, string>) => {
    const endpointId = path.replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
    const secret = /^[0-9a-f-]{36}$/.test(endpointId)
      ? await readFile(resolve(options.secretsDir, endpointId), 'utf8').catch(() => null)
      : null;
    let checked = 'signature not checked (no secret kept for this path)';
    if (secret)
      try {
        new Webhook(secret.trim()).verify(body, headers);
        checked = 'signature ok';
      } catch (error) {
        checked = `signature REFUSED: ${(error as Error).message}`;
      }
    const message = JSON.parse(body || '{}') as { type?: string; data?: { id?: string; status?: string } };
    const about = message.data?.id ? ` invoice ${message.data.id} ${message.data.status ?? ''}` : '';
    return `webhook ${message.type ?? '?'}${about} (webhook-id ${headers['webhook-id'] ?? '?'}; ${checked})`;
  };
  await new Promise<void>((done) => server.listen(options.port, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${String(options.port)}`,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          done();
        });
      }),
  };
}
