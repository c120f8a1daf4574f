import { randomUUID } from 'node:crypto';
import type { CloudEvent } from 'cloudevents';
import { Partitioners, type Producer } from 'kafkajs';
import { functions } from '../../functions/registry';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import type { RunningBroker } from '../../local/broker';
import { KafkaSinkEmulator } from '../../local/knative/kafka-sink';
import { KafkaSourceDispatcher } from '../../local/knative/kafka-source/dispatcher';
import { closeDb, wakeRelay, type Db } from '../../shared/db';
import { topics } from '../../shared/events';
import { OutboxRelay } from '../../shared/kafka/relay';
import { ensureTopics } from '../../shared/kafka/topics';
import type { Handle, RunningFunction } from '../../shared/runtime';
import { eventually, kafkaClient, quietLogger, startTestBroker } from '../broker/helpers';
import { insertInvoice } from '../fixtures/invoice';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api, newMerchant } from '../helpers/merchant';

// The path of a poisoned event, on real parts: a producer bug writes a settlement whose amount is a JSON
// number; the relay publishes it; core's KafkaSource delivers it, core refuses it (422, never retried)
// and the dispatcher dead-letters it through the dead-letters KafkaSink; the admin function's KafkaSource
// brings the dead letter in. Then the fix is deployed (core's handler replaced, here in the test: it now
// reads such an amount), an operator replays the letter, and the invoice is credited, once.
let broker: RunningBroker;
let database: TestDatabase;
let db: Db;
let producer: Producer;
let relay: OutboxRelay;
let deadLetters: KafkaSinkEmulator;
let core: RunningFunction;
let admin: RunningFunction;
const dispatchers: KafkaSourceDispatcher[] = [];

/** core's handle, as deployed: swapped in the test when the fix is "deployed". */
let coreHandle: Handle;
const realCore = functions.core();

beforeAll(async () => {
  broker = await startTestBroker();
  database = await createTestDatabase();
  db = adminDb(database.url);
  const kafka = kafkaClient(broker.address);
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await ensureTopics(kafkaAdmin, quietLogger);
  await kafkaAdmin.disconnect();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  relay = new OutboxRelay({ databaseUrl: database.url, producer, log: quietLogger, pollMs: 200 });
  relay.start();
  deadLetters = new KafkaSinkEmulator('dead-letters', topics.deadLetters.name, producer, quietLogger);
  await deadLetters.start();

  const coreModule = await realCore;
  coreHandle = coreModule.handle;
  const deployed: Handle = Object.assign(
    (event: CloudEvent<unknown>, context: Parameters<Handle>[1]) => coreHandle(event, context),
    {
      types: coreModule.handle.types,
      check: (event: CloudEvent<unknown>) => {
        coreHandle.check(event);
      },
    },
  );
  core = await startTestFunction('core', { ...coreModule, handle: deployed }, database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url);
  const source = (name: string, topic: string, sinkUrl: string, deadLetterUrl?: string) =>
    new KafkaSourceDispatcher(
      {
        name,
        namespace: 'knpay',
        topics: [topic],
        consumerGroup: name,
        initialOffset: 'earliest',
        ordering: 'ordered',
        delivery: { retry: 1, backoffPolicy: 'linear', backoffDelay: 'PT0.1S' },
        sinkUrl,
        ...(deadLetterUrl ? { deadLetterUrl } : {}),
      },
      kafka,
      quietLogger,
    );
  dispatchers.push(
    source('invoices-to-core', topics.invoices.name, core.url, deadLetters.url),
    source('dead-letters-to-admin', topics.deadLetters.name, admin.url),
  );
  for (const dispatcher of dispatchers) await dispatcher.start();
}, 60_000);

afterAll(async () => {
  for (const dispatcher of dispatchers) await dispatcher.stop();
  await relay.stop();
  await deadLetters.stop();
  await producer.disconnect();
  await core.stop();
  await admin.stop();
  await closeDb(db);
  await database.drop();
  await broker.close();
});

it('dead-letters a poisoned settlement, and after the fix a replay credits it once', async () => {
  const { merchantId } = await newMerchant(db);
  const invoiceId = await insertInvoice(
    db,
    merchantId,
    { amount: '7000', amountPaid: '7000', amountSettled: '7000', status: 'Settled' },
    7000n,
  );
  // The producer bug: amounts as JSON numbers, which the catalog's schema refuses (base units are strings).
  const eventId = randomUUID();
  const poisoned = { invoiceId, merchantId, chainId: 31337, asset: 'native', amount: 7000, amountPaid: 7000 };
  await db.$executeRaw`
    INSERT INTO outbox_events (event_id, type, source, subject, topic, time, data)
    VALUES (${eventId}::uuid, 'io.knpay.invoice.settled.v1', '/knpay/payment', ${invoiceId}, ${topics.invoices.name},
            now(), ${JSON.stringify({ ...poisoned, additionalStatus: 'None' })}::jsonb)`;
  await db.$executeRaw`SELECT ${wakeRelay}`;

  const operator = (await createOperatorToken(db, 'ops', 'operator')).secret;
  const waiting = await eventually(
    () => api(admin.url, operator, 'GET', '/admin/v1/dead-letters?status=waiting'),
    (res) => ((res.body?.['data'] as unknown[] | undefined) ?? []).length === 1,
    20_000,
  );
  const [letter] = waiting.body?.['data'] as {
    id: string;
    event: { id: string; type: string };
    errorCode: number;
    errorData: string;
  }[];
  expect(letter?.event).toMatchObject({ id: eventId, type: 'io.knpay.invoice.settled.v1' });
  expect(letter?.errorCode).toBe(422);
  expect(letter?.errorData).toContain('invalid-event-data');
  const credits = () =>
    db.$queryRaw<{ amount: string }[]>`
      SELECT amount::text FROM ledger_entries WHERE merchant_id = ${merchantId}::uuid AND amount > 0`;
  expect(await credits()).toEqual([]);

  // The fix, deployed: core reads an amount sent as a number, as the producer's next release stops sending.
  const original = (await realCore).handle;
  coreHandle = Object.assign(
    (event: CloudEvent<unknown>, context: Parameters<Handle>[1]) => original(repaired(event), context),
    {
      types: original.types,
      check: (event: CloudEvent<unknown>) => {
        original.check(repaired(event));
      },
    },
  );

  const replay = await api(admin.url, operator, 'POST', '/admin/v1/dead-letters/replay', {
    ids: [letter?.id],
    note: 'fixed by reading numeric amounts',
  });
  expect(replay.body).toEqual({ data: [{ id: letter?.id, outcome: 'replayed' }] });
  await eventually(credits, (rows) => rows.length === 1, 20_000);
  expect(await credits()).toEqual([{ amount: '7000' }]);

  // Its fate: handled by core; a second replay finds nothing waiting; still one credit.
  const detail = await api(admin.url, operator, 'GET', `/admin/v1/dead-letters/${letter?.id ?? ''}`);
  expect(detail.body).toMatchObject({
    status: 'replayed',
    note: 'fixed by reading numeric amounts',
    resolvedBy: 'ops',
  });
  expect((detail.body?.['fate'] as { handledBy: { consumer: string }[] }).handledBy.map((h) => h.consumer)).toContain(
    'core',
  );
  const again = await api(admin.url, operator, 'POST', '/admin/v1/dead-letters/replay', { ids: [letter?.id] });
  expect(again.body).toEqual({ data: [{ id: letter?.id, outcome: 'not-waiting' }] });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await credits()).toEqual([{ amount: '7000' }]);
  const audit = await db.auditEntry.findMany({ where: { target: `dead-letter:${letter?.id ?? ''}` } });
  expect(audit.map((a) => [a.action, a.actor])).toEqual([['dead-letter.replay', 'ops']]);
}, 60_000);

/** The tolerant reader the fix adds: numeric amounts become the strings the schema expects. */
function repaired(event: CloudEvent<unknown>): CloudEvent<unknown> {
  const data = event.data as Record<string, unknown>;
  const fixed = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      typeof value === 'number' && key.startsWith('amount') ? String(value) : value,
    ]),
  );
  return event.cloneWith({ data: fixed });
}
