import fc from 'fast-check';
import { functions } from '../../functions/registry';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { openApiRequests } from '../../local/fuzz/openapi-requests';
import { runFuzz } from '../../local/fuzz/run';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, newMerchant } from '../helpers/merchant';

// Requests generated from /admin/openapi.json (local/fuzz/openapi-requests.ts), with an owner token most
// of the time: every answer below 500, every 4xx a problem body. bench/fuzz.ts runs 10,000 and more.
let database: TestDatabase;
let db: Db;
let admin: RunningFunction;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
});
afterAll(async () => {
  await admin.stop();
  await closeDb(db);
  await database.drop();
});

it('answers 600 generated hostile requests with no 5xx and no bare 4xx', async () => {
  await newMerchant(db);
  const { secret } = await createOperatorToken(db, 'fuzz', 'owner');
  const document = (await (await fetch(`${admin.url}/admin/openapi.json`)).json()) as unknown;
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 100_000);
  const requests = fc.sample(openApiRequests(document, secret), { numRuns: 600, seed });
  const report = await runFuzz(requests, { api: admin.url, events: admin.url });
  expect({
    seed,
    serverErrors: report.serverErrors.slice(0, 3),
    bare4xx: report.bare4xx.slice(0, 3),
    unanswered: report.unanswered,
  }).toEqual({ seed, serverErrors: [], bare4xx: [], unanswered: 0 });
  // Not only refusals: the generated requests reach the routes' work.
  expect(Object.keys(report.byStatus).some((status) => status.startsWith('2'))).toBe(true);
}, 60_000);
