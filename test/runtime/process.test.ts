import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest, blockSeen } from '../helpers/cloudevents';
import { ROOT, spawnTs } from '../helpers/process';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function portOf(started: string): number {
  return (JSON.parse(started) as { port: number }).port;
}

describe('a function process', () => {
  it('on SIGTERM lets a slow handler finish, refuses new connections, and exits 0', async () => {
    const proc = spawnTs('test/fixtures/serve-slow.ts', [], { DATABASE_URL: db.url, PORT: '0', SLOW_MS: '1500' });
    const port = portOf(await proc.waitFor(/"function started"/));
    const url = `http://127.0.0.1:${String(port)}`;

    const slow = fetch(url, binaryRequest({ ...blockSeen(), id: 'slow-1', source: '/sigterm' }));
    await new Promise((r) => setTimeout(r, 300));
    proc.child.kill('SIGTERM');
    await proc.waitFor(/"shutting down"/);

    await expect(fetch(`${url}/health/liveness`)).rejects.toThrow();
    const res = await slow;
    expect(res.status).toBe(204);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(await db.query("SELECT event_id FROM inbox_events WHERE source = '/sigterm'")).toEqual([
      { event_id: 'slow-1' },
    ]);
    expect(await db.query("SELECT type FROM outbox_events WHERE source = '/knpay/slow'")).toHaveLength(1);
  });

  it.each([
    ['a missing variable', { DATABASE_URL: '' }, /DATABASE_URL is required/],
    ['a bad port', { PORT: 'eighty' }, /PORT is invalid/],
    ['a bad pool size', { DB_POOL_SIZE: '0' }, /DB_POOL_SIZE is invalid/],
    ['a bad URL', { DATABASE_URL: 'mysql://secret-password@x/y' }, /DATABASE_URL is invalid/],
  ])('names the variable of %s and exits 78 without printing its value', async (_name, env, message) => {
    const proc = spawnTs('bin/serve.ts', ['cron'], { DATABASE_URL: db.url, ...env });
    const { code } = await proc.exited;
    expect(code).toBe(78);
    expect(proc.output()).toMatch(message);
    expect(proc.output()).not.toMatch(/secret-password|eighty/);
  });

  it('listens on the interface HOST names: every one in a pod, the loopback alone under make dev', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
    const proc = spawnTs('bin/serve.ts', ['cron'], { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1' });
    const port = portOf(await proc.waitFor(/"function started"/));
    expect((await fetch(`http://127.0.0.1:${String(port)}/health/liveness`)).status).toBe(200);
    // This machine's other address, when it has one, reaches nothing.
    if (outside) await expect(fetch(`http://${outside}:${String(port)}/health/liveness`)).rejects.toThrow();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses an unknown function name with a usage line', async () => {
    const proc = spawnTs('bin/serve.ts', ['nope'], { DATABASE_URL: db.url });
    expect((await proc.exited).code).toBe(64);
    expect(proc.output()).toMatch(
      /usage: npm run serve -- <function>.*core, payment, webhooks, notification, cron, admin/,
    );
  });
});

describe('the production entry (bin/launch.js over the built bundle)', () => {
  it('serves events, writes its code cache, and starts again from it', async () => {
    const dist = resolve(ROOT, 'dist/bin');
    const caches = () => readdirSync(dist).filter((f) => f.endsWith('.cache'));
    for (const file of caches()) rmSync(resolve(dist, file));

    for (const round of [1, 2]) {
      const child = spawn(process.execPath, ['bin/launch.js', 'cron'], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: db.url, PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const started = await new Promise<string>((done) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('"function started"')) done(chunk.toString());
        });
      });
      const port = (
        JSON.parse(started.split('\n').find((l) => l.includes('function started')) ?? '{}') as { port: number }
      ).port;
      const tick = {
        id: `launch-${String(round)}`,
        type: 'dev.knative.sources.ping',
        source: '/launch',
        data: { job: 'scan-chain', chainId: 1 },
      };
      expect((await fetch(`http://127.0.0.1:${String(port)}/`, binaryRequest(tick))).status).toBe(204);
      await new Promise((r) => setTimeout(r, 1_800)); // the cache is written 1.5 s after start
      child.kill('SIGTERM');
      expect(await new Promise((done) => child.once('exit', done))).toBe(0);
      expect(caches()).toHaveLength(1);
    }
    expect(await db.query("SELECT event_id FROM inbox_events WHERE source = '/launch' ORDER BY event_id")).toEqual([
      { event_id: 'launch-1' },
      { event_id: 'launch-2' },
    ]);
  });
});
