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
import { spawnTs } from '../helpers/process';

// A merchant's suspension through the operators' API, seen from the merchant API (core) and the ledger;
// the audit log it leaves, which nothing can rewrite; the first owner token from the bootstrap command.
let database: TestDatabase;
let db: Db;
let core: RunningFunction;
let admin: RunningFunction;
let operator: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  core = await startTestFunction('core', await functions.core(), database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
  operator = (await createOperatorToken(db, 'alice', 'operator')).secret;
});
afterAll(async () => {
  await admin.stop();
  await core.stop();
  await closeDb(db);
  await database.drop();
});

/** An invoice already settled on chain (a confirmed payment of its amount), not yet credited. */
function settledInvoice(merchantId: string, amount: bigint): Promise<string> {
  const units = amount.toString();
  return insertInvoice(
    db,
    merchantId,
    { amount: units, amountPaid: units, amountSettled: units, status: 'Settled' },
    amount,
  );
}

describe('a suspended merchant', () => {
  it('is refused on its next request, still credited for money sent, and back when reinstated', async () => {
    const merchant = await newMerchant(db);
    const asMerchant = (method: string, path: string, body?: unknown) =>
      api(core.url, merchant.apiKey, method, path, body);
    expect((await asMerchant('GET', '/v1/invoices')).status).toBe(200);
    const invoiceId = await settledInvoice(merchant.merchantId, 5_000n);

    const suspended = await api(admin.url, operator, 'POST', `/admin/v1/merchants/${merchant.merchantId}/suspend`, {
      reason: 'KYC documents expired',
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ suspended: true, suspendedReason: 'KYC documents expired' });

    // The very next request, with a key that worked a moment ago: 403, and no new invoice.
    const refused = await asMerchant('GET', '/v1/invoices');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: '/problems/merchant-suspended', status: 403 });
    const create = await asMerchant('POST', '/v1/invoices', { amount: '1000', asset: 'native' });
    expect(create.status).toBe(403);
    expect(await db.invoice.count({ where: { merchantId: merchant.merchantId } })).toBe(1);

    // Money already sent is credited: the settlement reaches the ledger as for anyone.
    const settle = await fetch(
      core.url,
      binaryRequest({
        id: randomUUID(),
        type: 'io.knpay.invoice.settled.v1',
        source: '/knpay/payment',
        subject: invoiceId,
        data: {
          invoiceId,
          merchantId: merchant.merchantId,
          chainId: 31337,
          asset: 'native',
          amount: '5000',
          amountPaid: '5000',
          additionalStatus: 'None',
        },
      }),
    );
    expect(settle.status).toBe(204);
    const credited = await db.$queryRaw<{ amount: string }[]>`
      SELECT amount::text FROM ledger_entries WHERE merchant_id = ${merchant.merchantId}::uuid AND amount > 0`;
    expect(credited).toEqual([{ amount: '5000' }]);

    const again = await api(admin.url, operator, 'POST', `/admin/v1/merchants/${merchant.merchantId}/suspend`, {
      reason: 'twice',
    });
    expect([again.status, again.body?.['type']]).toEqual([409, '/problems/state-conflict']);

    const reinstated = await api(
      admin.url,
      operator,
      'POST',
      `/admin/v1/merchants/${merchant.merchantId}/reinstate`,
      {},
    );
    expect(reinstated.body).toMatchObject({ suspended: false, suspendedAt: null });
    expect((await asMerchant('GET', '/v1/invoices')).status).toBe(200);

    // Its history in the audit log, newest first: who, what, before and after.
    const history = await api(admin.url, operator, 'GET', `/admin/v1/audit-log?target=merchant:${merchant.merchantId}`);
    const entries = (history.body?.['data'] ?? []) as {
      actor: string;
      action: string;
      before: { suspended: boolean };
      after: { suspended: boolean };
    }[];
    expect(entries.map((e) => [e.actor, e.action, e.before.suspended, e.after.suspended])).toEqual([
      ['alice', 'merchant.reinstate', true, false],
      ['alice', 'merchant.suspend', false, true],
    ]);
  });
});

describe('the audit log', () => {
  it('refuses UPDATE and DELETE from any client, even with the database URL', async () => {
    await expect(db.$executeRawUnsafe("UPDATE audit_log SET actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await db.auditEntry.count({ where: { actor: 'mallory' } })).toBe(0);
  });

  it('pages newest first with a cursor, and filters by action', async () => {
    const first = await api(admin.url, operator, 'GET', '/admin/v1/audit-log?limit=1&action=merchant.suspend');
    const data = first.body?.['data'] as { action: string }[];
    expect(data.map((e) => e.action)).toEqual(['merchant.suspend']);
    const bad = await api(admin.url, operator, 'GET', '/admin/v1/audit-log?cursor=nonsense');
    expect(bad.status).toBe(422);
  });
});

describe('npm run admin -- bootstrap', () => {
  it('prints the first owner token once, and refuses while an owner exists', async () => {
    const fresh = await createTestDatabase();
    try {
      const run = async () => {
        const child = spawnTs('functions/admin/commands/admin.ts', ['bootstrap', '--name', 'root'], {
          DATABASE_URL: fresh.url,
        });
        return { code: (await child.exited).code, output: child.output() };
      };
      const first = await run();
      expect(first.code).toBe(0);
      const printed = JSON.parse(first.output.slice(first.output.indexOf('{'))) as { role: string; token: string };
      expect(printed.role).toBe('owner');
      const second = await run();
      expect(second.code).toBe(1);
      expect(second.output).toContain('An owner token exists already');

      const freshAdmin = await startTestFunction('admin', await functions.admin(), fresh.url, { SERVE: 'api' });
      try {
        const list = await api(freshAdmin.url, printed.token, 'GET', '/admin/v1/operator-tokens');
        expect(list.status).toBe(200);
        const tokens = list.body?.['data'] as { name: string; role: string; lastUsedAt: string | null }[];
        expect(tokens).toHaveLength(1);
        expect(tokens[0]).toMatchObject({ name: 'root', role: 'owner' });
        expect(tokens[0]?.lastUsedAt).not.toBeNull();
        expect(JSON.stringify(list.body)).not.toContain(printed.token);
      } finally {
        await freshAdmin.stop();
      }
    } finally {
      await fresh.drop();
    }
  }, 60_000);
});
