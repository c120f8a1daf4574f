import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { startPlatform } from '../../local/knative/platform';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest } from '../helpers/cloudevents';
import { ROOT } from '../helpers/process';
import { testChainEnv } from '../fixtures/chain';
import type { RunningBroker } from '../../local/broker';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';

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
  it('runs every Service from zero behind its URL, with the Secret resolved locally; from outside, no event endpoint answers', async () => {
    const platform = await startPlatform({
      manifestsDir: resolve(ROOT, 'knative/base'),
      secrets: {
        'knpay-database/url': db.url,
        'knpay-chain/rpc-url': 'http://127.0.0.1:9',
        'knpay-wallet/xpub': testChainEnv['DEPOSIT_XPUB'] ?? '',
        'knpay-smtp/url': 'smtp://127.0.0.1:9',
        'knpay-webhooks/secret-key': 'test:wB7RzEP3AJNxvqJSaj1zGHhQ6yYNB27770Q6FAFBQbE=',
      },
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent', KAFKA_BROKERS: broker.address },
      idleMs: 5_000,
      firstPort: 0,
      log: quietLogger,
      kafka: kafkaClient(broker.address),
    });
    try {
      expect([...platform.services.keys()].sort()).toEqual([
        'admin',
        'admin-api',
        'core',
        'core-events',
        'cron',
        'notification',
        'payment',
        'webhooks',
        'webhooks-inbound',
      ]);
      const cron = platform.services.get('cron');
      expect(cron?.running).toBe(false);
      const tick = binaryRequest(
        {
          id: randomUUID(),
          type: 'dev.knative.sources.ping',
          source: '/apis/v1/namespaces/knpay/pingsources/scan-chain',
          data: { job: 'scan-chain', chainId: 31337 },
        },
        platform.platformHeaders,
      );
      expect((await fetch(cron?.url ?? '', tick)).status).toBe(204);
      expect(await db.query("SELECT subject FROM outbox_events WHERE source = '/knpay/cron'")).toEqual([
        { subject: 'eip155:31337' },
      ]);
      expect(platform.services.get('core')?.running).toBe(false); // untouched services stay at zero
      // The relay's Deployment: two processes of their own, as in production; one publishes the tick's row.
      expect(platform.pods.map((pod) => pod.name).sort()).toEqual(['chain-source', 'outbox-relay-0', 'outbox-relay-1']);
      expect(platform.pods.every((pod) => pod.pid !== undefined && pod.pid !== process.pid)).toBe(true);
      await eventually(
        () => db.query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL'),
        (rows) => rows[0]?.['n'] === 0,
      );

      // Outside the cluster: no Service's event endpoint can be reached, and nothing reaches a handler.
      const forged = binaryRequest({
        type: 'io.knpay.invoice.settled.v1',
        data: {
          invoiceId: randomUUID(),
          merchantId: randomUUID(),
          chainId: 31337,
          asset: 'native',
          amount: '1',
          amountPaid: String((1n << 256n) - 1n),
          additionalStatus: 'None',
        },
      });
      const answers = Object.fromEntries(
        await Promise.all(
          [...platform.services].map(async ([name, service]) => {
            const res = await fetch(service.url, forged);
            return [
              name,
              {
                status: res.status,
                problem: res.headers.get('content-type')?.startsWith('application/problem+json') === true,
              },
            ] as const;
          }),
        ),
      );
      expect(answers).toEqual({
        core: { status: 404, problem: true }, // the public Service has no event endpoint at all
        'admin-api': { status: 404, problem: true }, // nor has the operators' API
        'webhooks-inbound': { status: 404, problem: true }, // nor has the webhooks function's public one
        'core-events': { status: 404, problem: false }, // cluster-local: no route from outside
        payment: { status: 404, problem: false },
        webhooks: { status: 404, problem: false },
        notification: { status: 404, problem: false },
        cron: { status: 404, problem: false },
        admin: { status: 404, problem: false },
      });
      expect(platform.services.get('core-events')?.running).toBe(false); // never started: nothing reached it
      // Only ticks were handled (ours, and the PingSources' own if a minute turned during the test).
      expect(await db.query('SELECT DISTINCT type FROM inbox_events')).toEqual([{ type: 'dev.knative.sources.ping' }]);
      expect(await db.query('SELECT count(*)::int AS n FROM ledger_entries')).toEqual([{ n: 0 }]);
    } finally {
      await platform.stop();
    }
  });
});
