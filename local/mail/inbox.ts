import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../net';

export interface MailInbox {
  /** What SMTP_URL takes. */
  smtpUrl: string;
  /** The web inbox; its REST API lists messages at /email. */
  webUrl: string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

/**
 * The dev SMTP server that keeps every message and shows it in a web inbox: MailDev, run as its own
 * process from its binary (its library form exits the process on SIGINT, before `make dev` has
 * stopped the rest). Messages are kept as .eml files in `dir` and loaded again on the next start.
 */
export async function startMailInbox(options: {
  dir: string;
  smtpPort?: number;
  webPort?: number;
  onLine?: (line: string) => void;
}): Promise<MailInbox> {
  mkdirSync(options.dir, { recursive: true });
  const smtpPort = options.smtpPort ?? (await freePort());
  const webPort = options.webPort ?? (await freePort());
  const child = spawn(
    resolve(ROOT, 'node_modules/.bin/maildev'),
    ['--ip', '127.0.0.1', '--smtp', String(smtpPort), '--web', String(webPort), '--mail-directory', options.dir],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    options.onLine?.(chunk.toString().trimEnd());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      done();
    }),
  );
  const state = { gone: false };
  void exited.then(() => {
    state.gone = true;
  });
  const webUrl = `http://127.0.0.1:${String(webPort)}`;
  // Ready when the web API answers: MailDev opens SMTP first.
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${webUrl}/email`).then(
      (res) => res.ok,
      () => false,
    ))
  ) {
    if (state.gone) throw new Error(`MailDev exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`MailDev did not start within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${String(smtpPort)}`,
    webUrl,
    stop: async () => {
      if (!state.gone) child.kill('SIGTERM');
      await exited;
    },
  };
}
