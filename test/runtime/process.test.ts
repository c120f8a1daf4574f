import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest, blockSeen } from '../helpers/cloudevents';
import { spawnTs } from '../helpers/process';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });

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
    expect(await db.query("SELECT event_id FROM inbox_events WHERE source = '/sigterm'")).toEqual([{ event_id: 'slow-1' }]);
    expect(await db.query("SELECT type FROM outbox_events WHERE source = '/knpay/slow'")).toHaveLength(1);
  });

  it.each([
    ['a missing variable', { DATABASE_URL: '' }, /DATABASE_URL is required/],
    ['a bad port', { PORT: 'eighty' }, /PORT is invalid/],
    ['a bad pool size', { DB_POOL_SIZE: '0' }, /DB_POOL_SIZE is invalid/],
    ['a bad URL', { DATABASE_URL: 'mysql://secret-password@x/y' }, /DATABASE_URL is invalid/],
  ])('names the variable of %s and exits 78 without printing its value', async (_name, env, message) => {
    const proc = spawnTs('shared/runtime/main.ts', ['cron'], { DATABASE_URL: db.url, ...env });
    const { code } = await proc.exited;
    expect(code).toBe(78);
    expect(proc.output()).toMatch(message);
    expect(proc.output()).not.toMatch(/secret-password|eighty/);
  });

  it('refuses an unknown function name with a usage line', async () => {
    const proc = spawnTs('shared/runtime/main.ts', ['nope'], { DATABASE_URL: db.url });
    expect((await proc.exited).code).toBe(64);
    expect(proc.output()).toMatch(/usage: serve <function>.*core, payment, webhooks, notification, cron, admin/);
  });
});
