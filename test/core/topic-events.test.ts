import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import type { RunningFunction } from '../../shared/runtime';
import { binaryRequest } from '../helpers/cloudevents';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';

let db: TestDatabase;
let core: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  core = await startTestFunction('core', await functions.core(), db.url);
});
afterAll(async () => {
  await core.stop();
  await db.drop();
});

const ref = { invoiceId: randomUUID(), merchantId: randomUUID() };
const deliver = (type: string, data: unknown) =>
  fetch(core.url, binaryRequest({ id: randomUUID(), type, source: '/knpay/payment', subject: ref.invoiceId, data }));

describe('core, fed the whole knpay.invoices topic by its KafkaSource', () => {
  it('acknowledges the invoice events it has no use for, with no work and no dead letter', async () => {
    expect(
      (await deliver('io.knpay.invoice.processing.v1', { ...ref, amountPaid: '1', additionalStatus: 'None' })).status,
    ).toBe(204);
    expect(
      (await deliver('io.knpay.invoice.expired.v1', { ...ref, amountPaid: '0', partiallyPaid: false })).status,
    ).toBe(204);
    expect(await db.query('SELECT consumer FROM inbox_events')).toEqual([]);
  });

  it('still refuses such an event when its data breaks the catalog (422), and a type from another topic', async () => {
    const broken = await deliver('io.knpay.invoice.processing.v1', { ...ref, amountPaid: '-1' });
    expect(broken.status).toBe(422);
    const foreign = await deliver('io.knpay.chain.scan.requested.v1', { chainId: 31337, reason: 'schedule' });
    expect([foreign.status, ((await foreign.json()) as { type: string }).type]).toEqual([
      422,
      '/problems/unknown-event-type',
    ]);
  });
});
