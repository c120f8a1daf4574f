import { randomUUID } from 'node:crypto';
import { functions } from '../../functions/registry';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { insertInvoice } from '../fixtures/invoice';
import { binaryRequest } from '../helpers/cloudevents';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api, newMerchant } from '../helpers/merchant';

// An operator marks invoices by hand: the change, its audit row and its event commit together, and the
// marked settlement reaches core's ledger like any other, credited once, for what the chain paid.
let database: TestDatabase;
let db: Db;
let core: RunningFunction;
let admin: RunningFunction;
let operator: string;
let merchantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  core = await startTestFunction('core', await functions.core(), database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
  operator = (await createOperatorToken(db, 'carol', 'operator')).secret;
  merchantId = (await newMerchant(db)).merchantId;
});
afterAll(async () => {
  await admin.stop();
  await core.stop();
  await closeDb(db);
  await database.drop();
});

function invoice(status: 'New' | 'Expired', paid?: bigint): Promise<string> {
  const fields = { status, amountPaid: (paid ?? 0n).toString(), expiresAt: new Date(Date.now() - 1_000) };
  return insertInvoice(db, merchantId, fields, paid);
}

/** The outbox row the mark wrote, delivered to core as its KafkaSource would. */
async function deliverToCore(invoiceId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ eventId: string; type: string; source: string; data: unknown }[]>`
    SELECT event_id::text AS "eventId", type, source, data FROM outbox_events WHERE subject = ${invoiceId}`;
  const res = await fetch(
    core.url,
    binaryRequest({
      id: row?.eventId ?? '',
      type: row?.type ?? '',
      source: row?.source ?? '',
      subject: invoiceId,
      data: row?.data,
    }),
  );
  return res.status;
}

const credits = (invoiceId: string) =>
  db.$queryRaw<{ amount: string }[]>`
    SELECT amount::text FROM ledger_entries WHERE invoice_id = ${invoiceId}::uuid AND amount > 0`;

it('settles an expired, partly paid invoice for what was paid, credited once; Invalid is then refused', async () => {
  const id = await invoice('Expired', 400n);
  const res = await api(admin.url, operator, 'POST', `/admin/v1/invoices/${id}/mark`, {
    status: 'Settled',
    reason: 'the buyer sent the rest by bank transfer',
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'Settled', additionalStatus: 'Marked' });
  const [event] = await db.$queryRaw<{ type: string; data: Record<string, unknown> }[]>`
    SELECT type, data FROM outbox_events WHERE subject = ${id}`;
  expect(event).toMatchObject({
    type: 'io.knpay.invoice.settled.v1',
    data: { amountPaid: '400', additionalStatus: 'Marked', merchantId },
  });
  expect(await deliverToCore(id)).toBe(204);
  expect(await deliverToCore(id)).toBe(204);
  expect(await credits(id)).toEqual([{ amount: '400' }]);

  const invalid = await api(admin.url, operator, 'POST', `/admin/v1/invoices/${id}/mark`, {
    status: 'Invalid',
    reason: 'changed my mind',
  });
  expect(invalid.status).toBe(409);
  expect(String(invalid.body?.['detail'])).toMatch(/never taken back/);
  expect(await credits(id)).toEqual([{ amount: '400' }]);
  const audit = await db.auditEntry.findMany({ where: { target: `invoice:${id}` } });
  expect(audit.map((a) => [a.action, a.actor, (a.after as { reason: string }).reason])).toEqual([
    ['invoice.mark-settled', 'carol', 'the buyer sent the rest by bank transfer'],
  ]);
});

it('marks a new invoice Invalid, announced with the reason marked', async () => {
  const id = await invoice('New');
  const res = await api(admin.url, operator, 'POST', `/admin/v1/invoices/${id}/mark`, {
    status: 'Invalid',
    reason: 'test order',
  });
  expect(res.body).toMatchObject({ status: 'Invalid', additionalStatus: 'Marked' });
  const events = await db.$queryRaw<{ type: string; data: Record<string, unknown> }[]>`
    SELECT type, data FROM outbox_events WHERE subject = ${id}`;
  expect(events).toEqual([
    { type: 'io.knpay.invoice.invalid.v1', data: { invoiceId: id, merchantId, reason: 'marked' } },
  ]);
});

it('refuses to settle what the chain never paid, and changes nothing', async () => {
  const id = await invoice('Expired');
  const res = await api(admin.url, operator, 'POST', `/admin/v1/invoices/${id}/mark`, {
    status: 'Settled',
    reason: 'x',
  });
  expect([res.status, res.body?.['type']]).toEqual([409, '/problems/state-conflict']);
  expect(await db.invoice.findUnique({ where: { id }, select: { status: true } })).toEqual({ status: 'Expired' });
  expect(await db.outboxEvent.count({ where: { subject: id } })).toBe(0);
  expect(await db.auditEntry.count({ where: { target: `invoice:${id}` } })).toBe(0);
  const missing = await api(admin.url, operator, 'POST', `/admin/v1/invoices/${randomUUID()}/mark`, {
    status: 'Invalid',
    reason: 'x',
  });
  expect(missing.status).toBe(404);
});
