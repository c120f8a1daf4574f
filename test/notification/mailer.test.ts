import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createMailer, type MailContent } from '../../functions/notification/sending/mailer';
import { SmtpInbox } from '../helpers/smtp-inbox';

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

test('ten concurrent sends share the pool of SMTP_MAX_CONNECTIONS, logged in with the URL credentials', async () => {
  // The inbox takes mail only from this user: every message received came over a logged-in connection.
  const inbox = new SmtpInbox({ user: 'knpay', pass: 's3cret' });
  await inbox.start();
  const mailer = createMailer({ SMTP_URL: inbox.url, SMTP_MAX_CONNECTIONS: 2, SMTP_TIMEOUT_MS: 5_000 });
  try {
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => mailer.send(mail(n))));
    expect(results).toEqual(Array.from({ length: 10 }, () => ({ ok: true })));
    expect(inbox.mails.map((m) => m.parsed.subject).sort()).toEqual(
      Array.from({ length: 10 }, (_, n) => `notice ${String(n)}`).sort(),
    );
    expect(inbox.connections).toBeGreaterThanOrEqual(1);
    expect(inbox.connections).toBeLessThanOrEqual(2);
  } finally {
    mailer.close();
    await inbox.stop();
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
    // The greeting timer and the socket's idle timer both run out at SMTP_TIMEOUT_MS; which one
    // nodemailer reports first depends on scheduling, so either message is right. The duration is
    // the point: nodemailer's defaults would wait 30 s for the greeting.
    expect(!result.ok && result.error).toMatch(/greeting never received|ETIMEDOUT/i);
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
