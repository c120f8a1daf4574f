import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import type { RunningBroker } from '../../local/broker';
import { crdDirectory, CrdValidator, loadManifests, servedByCrd } from '../../local/knative/manifests';
import { startPlatform } from '../../local/knative/platform';
import { OutboxRelay } from '../../shared/kafka/relay';
import { ensureTopics } from '../../shared/kafka/topics';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { binaryRequest } from '../helpers/cloudevents';
import { ROOT } from '../helpers/process';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';
import { startChainNode, type ChainNode } from '../../local/chain/node';
import { testChainEnv } from '../fixtures/chain';

const MANIFESTS = resolve(ROOT, 'test/fixtures/knative-path');
let broker: RunningBroker;
let db: TestDatabase;
let node: ChainNode;

beforeAll(async () => {
  node = await startChainNode();
  broker = await startTestBroker();
  db = await createTestDatabase();
  const admin = kafkaClient(broker.address).admin();
  await admin.connect();
  await ensureTopics(admin, quietLogger);
  await admin.disconnect();
});
afterAll(async () => {
  await node.stop();
  await db.drop();
  await broker.close();
});

describe('an event along the whole local path', () => {
  (existsSync(crdDirectory()) ? it : it.skip)('the fixture manifests validate against the upstream CRDs', () => {
    const validator = new CrdValidator(crdDirectory());
    for (const manifest of loadManifests(MANIFESTS).filter(servedByCrd))
      expect([manifest.metadata.name, validator.problems(manifest)]).toEqual([manifest.metadata.name, []]);
  });

  it('tick → cron (from zero) → outbox → relay → broker → KafkaSource → payment (from zero) → chain scanned into the database; a bad command → 422 → dead-letter topic', async () => {
    const kafka = kafkaClient(broker.address, 'platform');
    const producer = kafka.producer();
    await producer.connect();
    const relay = new OutboxRelay({ databaseUrl: db.url, producer, log: quietLogger, pollMs: 200 });
    relay.start();
    const platform = await startPlatform({
      manifestsDir: MANIFESTS,
      secrets: {
        'knpay-database/url': db.url,
        'knpay-chain/rpc-url': node.url,
        'knpay-wallet/xpub': testChainEnv['DEPOSIT_XPUB'] ?? '',
        'knpay-smtp/url': 'smtp://127.0.0.1:9',
        'knpay-webhooks/secret-key': 'test:hQ9F1btOroaREb06G9ORQNDkl59WO6mdAIxRcMlnLpM=',
      },
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'silent' },
      idleMs: 10_000,
      firstPort: 0,
      log: quietLogger,
      kafka,
    });
    try {
      const payment = platform.services.get('payment');
      expect(payment?.running).toBe(false);
      const tick = (chainId: number) =>
        binaryRequest(
          {
            id: randomUUID(),
            type: 'dev.knative.sources.ping',
            source: '/apis/v1/namespaces/knpay/pingsources/scan-chain',
            data: { job: 'scan-chain', chainId },
          },
          platform.platformHeaders,
        );
      expect((await fetch(platform.services.get('cron')?.url ?? '', tick(31337))).status).toBe(204);
      // The effect: payment, started from zero by the delivery, scanned the chain into chain_blocks.
      const head = Number(
        await fetch(node.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}',
        })
          .then((r) => r.json() as Promise<{ result: string }>)
          .then((r) => BigInt(r.result)),
      );
      const scanned = await eventually(
        () => db.query<{ n: string }>('SELECT max(number)::text AS n FROM chain_blocks WHERE chain_id = 31337'),
        (rows) => rows[0]?.n === String(head),
        30_000,
      );
      expect(scanned).toEqual([{ n: String(head) }]);
      // A command for a chain this deployment does not watch can never be handled.
      expect((await fetch(platform.services.get('cron')?.url ?? '', tick(1))).status).toBe(204);

      const dead: KafkaMessage[] = [];
      const reader = kafka.consumer({ groupId: 'dead-letter-reader', maxWaitTimeInMs: 200 });
      await reader.connect();
      await reader.subscribe({ topic: 'knpay.dead-letters', fromBeginning: true });
      await reader.run({
        eachMessage: ({ message }) => {
          dead.push(message);
          return Promise.resolve();
        },
      });
      const [letter] = await eventually(
        () => dead,
        (d) => d.length >= 1,
        30_000,
      );
      await reader.disconnect();

      const header = (name: string) => letter?.headers?.[name]?.toString();
      expect(header('ce_type')).toBe('io.knpay.chain.scan.requested.v1');
      expect(header('ce_source')).toBe('/knpay/cron');
      expect(header('ce_knativeerrorcode')).toBe('422'); // payment watches chain 31337 only: dead-lettered
      expect(header('ce_knativeerrordest')).toBe(payment?.url ?? '');
      expect(Buffer.from(header('ce_knativeerrordata') ?? '', 'base64').toString()).toContain('rejected-event');
      expect(payment?.running).toBe(true); // started from zero by the delivery
      const metrics = await (
        await fetch(`${payment?.url ?? ''}/metrics`, { headers: platform.platformHeaders })
      ).text();
      // 422 is never retried: payment saw the event exactly once.
      expect(metrics).toMatch(
        /knpay_events_handled_total\{type="io.knpay.chain.scan.requested.v1",outcome="rejected",service="payment"\} 1\n/,
      );
    } finally {
      await platform.stop();
      await relay.stop();
      await producer.disconnect();
    }
  }, 60_000);
});
