import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { binaryRequest, blockSeen } from '../helpers/cloudevents';
import { TcpProxy } from '../helpers/tcp-proxy';
import { recordingFunction } from '../fixtures/functions';

let db: TestDatabase;
let proxy: TcpProxy;
let fn: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  const real = new URL(db.url);
  proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  await proxy.up();
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${String(proxy.port)}`;
  fn = await startTestFunction('proxied', recordingFunction, viaProxy.toString(), { DB_CONNECT_TIMEOUT_MS: '1000' });
});
afterAll(async () => {
  await fn.stop();
  await proxy.down();
  await db.drop();
});

async function readiness(): Promise<number> {
  return (await fetch(`${fn.url}/health/readiness`)).status;
}

describe('readiness follows the database', () => {
  it('is ready while the database answers', async () => {
    expect(await readiness()).toBe(200);
    expect((await fetch(`${fn.url}/health/liveness`)).status).toBe(200);
  });

  it('fails while the database is down, and events get a retriable 503', async () => {
    await proxy.down();
    const res = await fetch(`${fn.url}/health/readiness`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ type: '/problems/service-unavailable' });
    expect((await fetch(`${fn.url}/health/liveness`)).status).toBe(200);

    const event = await fetch(fn.url, binaryRequest(blockSeen()));
    expect(event.status).toBe(503);
  });

  it('recovers when the database is back', async () => {
    await proxy.up();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await readiness();
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect((await fetch(fn.url, binaryRequest(blockSeen()))).status).toBe(204);
  });
});
