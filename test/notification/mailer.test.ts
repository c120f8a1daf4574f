import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createMailer, type MailContent } from '../../functions/notification/sending/mailer';

// The mailer against real sockets: the pool size and the timeouts set next to SMTP_URL are the ones
// used, and the URL's credentials still reach the server.

const mail = (n: number): MailContent => ({
  from: 'knpay <notifications@knpay.localhost>',
  to: 'owner@example.test',
  subject: `notice ${String(n)}`,
  text: 'text',
  html: '<p>html</p>',
  messageId: `<mailer-${String(n)}@knpay.localhost>`,
  headers: {},
});

/** An SMTP server counting the connections it was opened and checking one user's password. */
async function countingServer(): Promise<{
  url: string;
  connections: () => number;
  received: string[];
  close(): Promise<void>;
}> {
  let connections = 0;
  const received: string[] = [];
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect: (_session, callback) => {
      connections += 1;
      callback();
    },
    onAuth: (auth, _session, callback) => {
      if (auth.username === 'knpay' && auth.password === 's3cret') callback(null, { user: auth.username });
      else callback(new Error('bad credentials'));
    },
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        received.push(String(session.user));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://knpay:s3cret@127.0.0.1:${String(port)}`,
    connections: () => connections,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(resolve);
      }),
  };
}

test('ten concurrent sends share the pool of SMTP_MAX_CONNECTIONS, logged in with the URL credentials', async () => {
  const server = await countingServer();
  const mailer = createMailer({ SMTP_URL: server.url, SMTP_MAX_CONNECTIONS: 2, SMTP_TIMEOUT_MS: 5_000 });
  try {
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => mailer.send(mail(n))));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ ok: true })));
    expect(server.received).toEqual(Array.from({ length: 10 }, () => 'knpay'));
    expect(server.connections()).toBeGreaterThanOrEqual(1);
    expect(server.connections()).toBeLessThanOrEqual(2);
  } finally {
    mailer.close();
    await server.close();
  }
});

test('a server that accepts the connection and never greets fails the send after SMTP_TIMEOUT_MS', async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  const mailer = createMailer({
    SMTP_URL: `smtp://127.0.0.1:${String(port)}`,
    SMTP_MAX_CONNECTIONS: 1,
    SMTP_TIMEOUT_MS: 1_000,
  });
  try {
    const started = Date.now();
    const result = await mailer.send(mail(0));
    const took = Date.now() - started;
    expect(result).toMatchObject({ ok: false, responseCode: undefined });
    expect(!result.ok && result.error).toMatch(/greeting/i);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
  } finally {
    mailer.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      silent.close(() => {
        resolve();
      }),
    );
  }
}, 10_000);
