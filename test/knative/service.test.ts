import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ServiceEmulator } from '../../local/knative/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest } from '../helpers/cloudevents';
import { ROOT } from '../helpers/process';
import { eventually, quietLogger } from '../broker/helpers';

let db: TestDatabase;
let service: ServiceEmulator;

beforeAll(async () => {
  db = await createTestDatabase();
  // The production entry over the built bundle (make test builds before testing).
  service = new ServiceEmulator(
    {
      name: 'cron',
      command: process.execPath,
      args: [resolve(ROOT, 'bin/launch.js'), 'cron'],
      env: {
        PATH: process.env['PATH'] ?? '',
        DATABASE_URL: db.url,
        MALLOC_ARENA_MAX: '1',
        MALLOC_MMAP_THRESHOLD_: '262144',
        LOG_LEVEL: 'info',
      },
      idleMs: 800,
    },
    quietLogger,
  );
  await service.start();
});
afterAll(async () => {
  await service.stop();
  await db.drop();
});

const tick = () =>
  binaryRequest({
    id: randomUUID(),
    type: 'dev.knative.sources.ping',
    source: '/apis/v1/namespaces/knpay/pingsources/scan-chain',
    data: { job: 'scan-chain', chainId: 1 },
  });

describe('a Knative Service on the emulator', () => {
  it('has no process until a request comes; the first request is held through the cold start', async () => {
    expect(service.running).toBe(false);
    const res = await fetch(service.url, tick());
    expect(res.status).toBe(204);
    expect(service.running).toBe(true);
    expect(await db.query("SELECT type FROM outbox_events WHERE source = '/knpay/cron'")).toHaveLength(1);
  });

  it('scales to zero after its idle window, and the next request starts it again', async () => {
    await eventually(
      () => service.running,
      (running) => !running,
      5_000,
    );
    expect((await fetch(service.url, tick())).status).toBe(204);
    expect(service.running).toBe(true);
  });

  it('starts a crashed process again on the next request', async () => {
    const pid = service.pid;
    if (pid) process.kill(pid, 'SIGKILL');
    await eventually(
      () => service.running,
      (running) => !running,
      5_000,
    );
    expect((await fetch(service.url, tick())).status).toBe(204);
    expect(service.pid).not.toBe(pid);
    expect(await db.query("SELECT type FROM outbox_events WHERE source = '/knpay/cron'")).toHaveLength(3);
  });

  it("hands the emulator's own sources the process's address while it runs, and counts their deliveries as traffic", async () => {
    await eventually(
      () => service.running,
      (running) => !running,
      5_000,
    );
    expect(service.open().url).toBe(service.url); // at zero: the stable URL, which starts it
    expect((await fetch(service.url, tick())).status).toBe(204);
    const delivery = service.open();
    expect(delivery.url).not.toBe(service.url);
    expect((await fetch(delivery.url, tick())).status).toBe(204);
    // Held open past the idle window: no scale to zero while a delivery is under way.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(service.running).toBe(true);
    delivery.release();
    await eventually(
      () => service.running,
      (running) => !running,
      5_000,
    );
    expect(service.open().url).toBe(service.url);
  });

  it('passes plain HTTP through (probes, metrics)', async () => {
    expect((await fetch(`${service.url}/health/liveness`)).status).toBe(200);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('knpay_events_handled_total');
  });
});

describe('a Knative Service with max-scale above 1', () => {
  it('runs another process when in-flight requests pass its target, up to max-scale, and scales back in', async () => {
    const scaled = new ServiceEmulator(
      {
        name: 'slow',
        command: process.execPath,
        args: [resolve(ROOT, 'test/fixtures/slow-service.js')],
        env: { PATH: process.env['PATH'] ?? '', HOLD_MS: '800' },
        idleMs: 1_000,
        target: 2,
        maxScale: 3,
      },
      quietLogger,
    );
    await scaled.start();
    try {
      const send = () => fetch(scaled.url, { method: 'POST', body: '{}' }).then((res) => res.text());
      // Twelve at once: the first process takes them (a cold start holds them); 12 / 2 asks for 6, bounded by 3.
      const first = Array.from({ length: 12 }, send);
      await eventually(
        () => scaled.pids.length,
        (n) => n === 3,
        5_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // the new processes listen by now
      const second = Array.from({ length: 4 }, send);
      const pids = new Set(await Promise.all([...first, ...second]));
      expect(pids.size).toBeGreaterThanOrEqual(2);
      expect(pids.size).toBeLessThanOrEqual(3);
      expect(scaled.scale).toBeLessThanOrEqual(3);
      // No traffic: every process goes after its idle window.
      await eventually(
        () => scaled.scale,
        (n) => n === 0,
        10_000,
      );
    } finally {
      await scaled.stop();
    }
  }, 30_000);
});
