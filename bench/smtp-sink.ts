import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that accepts every message and keeps nothing (the smtp-server package), in its own
 * process so that it shares no event loop with what it measures. Prints its port once listening.
 * SMTP_SINK_REPLY_MS holds each message's final reply that long, as a remote MTA's round trips and
 * its own writing to disk would.
 */
const replyMs = Number(process.env['SMTP_SINK_REPLY_MS'] ?? '0');
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 1024 * 1024,
  onData: (stream, _session, callback) => {
    stream.resume();
    stream.on('end', () => {
      if (replyMs > 0) setTimeout(callback, replyMs);
      else callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'function started', port: (server.server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
