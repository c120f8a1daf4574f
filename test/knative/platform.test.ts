import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { startPlatform } from '../../local/knative/platform';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest } from '../helpers/cloudevents';
import { ROOT } from '../helpers/process';
import { testChainEnv } from '../fixtures/chain';
import type { RunningBroker } from '../../local/broker';
import { kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

let db: TestDatabase;
let broker: RunningBroker;
beforeAll(async () => {
  db = await createTestDatabase();
  broker = await startTestBroker(); // for the dead-letter KafkaSink
});
afterAll(async () => {
  await db.drop();
  await broker.close();
});

describe('knative/base on the emulator', () => {
  it('runs every Service from zero behind its URL, with the Secret resolved locally', async () => {
    const platform = await startPlatform({
      manifestsDir: resolve(ROOT, 'knative/base'),
      secrets: { 'knpay-database/url': db.url, 'knpay-chain/rpc-url': 'http://127.0.0.1:9', 'knpay-wallet/xpub': testChainEnv['DEPOSIT_XPUB'] ?? '', 'knpay-smtp/url': 'smtp://127.0.0.1:9' },
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent' },
      idleMs: 5_000,
      firstPort: 0,
      log: quietLogger,
      kafka: kafkaClient(broker.address),
    });
    try {
      expect([...platform.services.keys()].sort()).toEqual(['admin', 'core', 'cron', 'notification', 'payment', 'webhooks']);
      const cron = platform.services.get('cron');
      expect(cron?.running).toBe(false);
      const tick = binaryRequest({ id: randomUUID(), type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/knpay/pingsources/scan-chain', data: { job: 'scan-chain', chainId: 31337 } });
      expect((await fetch(cron?.url ?? '', tick)).status).toBe(204);
      expect(await db.query("SELECT subject FROM outbox_events WHERE source = '/knpay/cron'")).toEqual([{ subject: 'eip155:31337' }]);
      expect(platform.services.get('core')?.running).toBe(false); // untouched services stay at zero
    } finally {
      await platform.stop();
    }
  });
});
