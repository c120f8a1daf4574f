import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import { PRUNE_BATCH } from '../../functions/cron/queries/retention';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { binaryRequest } from '../helpers/cloudevents';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, newMerchant } from '../helpers/merchant';

// cron's retention jobs, as their PingSources deliver them: the event log keeps retentionDays, the
// Idempotency-Keys their lifetime; a tick delivered twice does the work once.
let database: TestDatabase;
let db: Db;
let cron: RunningFunction;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  cron = await startTestFunction('cron', await functions.cron(), database.url);
});
afterAll(async () => {
  await cron.stop();
  await closeDb(db);
  await database.drop();
});

const tick = (id: string, data: Record<string, unknown>) =>
  fetch(
    cron.url,
    binaryRequest({
      id,
      type: 'dev.knative.sources.ping',
      source: `/apis/v1/namespaces/knpay/pingsources/${String(data['job'])}`,
      data,
    }),
  );

it('prunes event-log rows older than the retention, once per tick', async () => {
  await db.$executeRaw`
    INSERT INTO event_log (source, event_id, type, received_at)
    SELECT '/test', 'old-' || n, 'io.knpay.invoice.created.v1', now() - interval '91 days' FROM generate_series(1, 5) n
    UNION ALL
    SELECT '/test', 'new-' || n, 'io.knpay.invoice.created.v1', now() - interval '89 days' FROM generate_series(1, 3) n`;
  const id = randomUUID();
  expect((await tick(id, { job: 'prune-event-log', retentionDays: 90 })).status).toBe(204);
  const left = await db.eventLogEntry.findMany({ select: { eventId: true }, orderBy: { eventId: 'asc' } });
  expect(left.map((r) => r.eventId)).toEqual(['new-1', 'new-2', 'new-3']);

  // The same tick again (a redelivery) does nothing, even with something now old enough.
  await db.$executeRaw`
    INSERT INTO event_log (source, event_id, type, received_at) VALUES ('/test', 'late', 't', now() - interval '100 days')`;
  expect((await tick(id, { job: 'prune-event-log', retentionDays: 90 })).status).toBe(204);
  expect(await db.eventLogEntry.count({ where: { eventId: 'late' } })).toBe(1);
  expect((await tick(randomUUID(), { job: 'prune-event-log', retentionDays: 90 })).status).toBe(204);
  expect(await db.eventLogEntry.count({ where: { eventId: 'late' } })).toBe(0);
});

it('removes at most a batch per tick, so a backlog goes over several', async () => {
  await db.$executeRaw`
    INSERT INTO event_log (source, event_id, type, received_at)
    SELECT '/backlog', 'b-' || n, 't', now() - interval '200 days' FROM generate_series(1, ${PRUNE_BATCH + 5}) n`;
  await tick(randomUUID(), { job: 'prune-event-log', retentionDays: 90 });
  expect(await db.eventLogEntry.count({ where: { source: '/backlog' } })).toBe(5);
  await tick(randomUUID(), { job: 'prune-event-log', retentionDays: 90 });
  expect(await db.eventLogEntry.count({ where: { source: '/backlog' } })).toBe(0);
}, 30_000);

it('expires Idempotency-Keys past their 24 hours, keeping the rest', async () => {
  const { merchantId } = await newMerchant(db);
  await db.$executeRaw`
    INSERT INTO idempotency_keys (merchant_id, key, request_hash, status, response_body, created_at)
    VALUES (${merchantId}::uuid, 'old', 'h', 201, '{}', now() - interval '25 hours'),
           (${merchantId}::uuid, 'fresh', 'h', 201, '{}', now() - interval '23 hours')`;
  expect((await tick(randomUUID(), { job: 'expire-idempotency-keys' })).status).toBe(204);
  const left = await db.$queryRaw<{ key: string }[]>`SELECT key FROM idempotency_keys ORDER BY key`;
  expect(left).toEqual([{ key: 'fresh' }]);
});

it('refuses a retention of zero days (dead-lettered, never a purge of everything)', async () => {
  expect((await tick(randomUUID(), { job: 'prune-event-log', retentionDays: 0 })).status).toBe(422);
});
