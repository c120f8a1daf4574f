import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  parsed: ParsedMail;
}

/**
 * A real SMTP server on a socket (the smtp-server package), keeping each message parsed (mailparser).
 * `refuse` decides a recipient's fate: accept, a temporary 4xx or a permanent 5xx reply. `stop` and
 * `start` again on the same port play an SMTP server that is down, then up. With `login`, the server
 * requires that user and password (its URL carries them) and takes mail from no one else.
 */
export class SmtpInbox {
  readonly mails: ReceivedMail[] = [];
  refuse: (recipient: string) => 451 | 550 | null = () => null;
  port = 0;
  /** The SMTP connections clients have opened since the start. */
  connections = 0;
  private server: SMTPServer | undefined;

  constructor(private readonly login?: { user: string; pass: string }) {}

  get url(): string {
    const credentials = this.login ? `${this.login.user}:${this.login.pass}@` : '';
    return `smtp://${credentials}127.0.0.1:${String(this.port)}`;
  }

  async start(): Promise<void> {
    const login = this.login;
    const server = new SMTPServer({
      authOptional: login === undefined,
      allowInsecureAuth: true,
      disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onAuth: (auth, _session, callback) => {
        if (login && auth.username === login.user && auth.password === login.pass)
          callback(null, { user: auth.username });
        else callback(new Error('bad credentials'));
      },
      onRcptTo: (address, _session, callback) => {
        const code = this.refuse(address.address);
        if (code === null) {
          callback();
          return;
        }
        const error = new Error(code === 451 ? 'try again later' : 'no such mailbox') as Error & {
          responseCode: number;
        };
        error.responseCode = code;
        callback(error);
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          })
          .catch((error: unknown) => {
            callback(error as Error);
          });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
  }

  /** The mails to one address, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }
}
