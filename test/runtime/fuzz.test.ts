import fc from 'fast-check';
import { functions } from '../../functions/registry';
import { apiRequests } from '../../local/fuzz/api-requests';
import { eventRequests } from '../../local/fuzz/event-requests';
import { runFuzz } from '../../local/fuzz/run';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, newMerchant } from '../helpers/merchant';

/**
 * Generated hostile requests (local/fuzz) against the merchant API and core's event endpoint: every
 * answer is below 500 and every 4xx carries a problem body. bench/fuzz.ts runs the same at 10,000+.
 */
let db: TestDatabase;
let admin: Db;
let core: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = adminDb(db.url);
  core = await startTestFunction('core', await functions.core(), db.url);
});
afterAll(async () => {
  await core.stop();
  await closeDb(admin);
  await db.drop();
});

it('answers 800 generated hostile requests with no 5xx and no bare 4xx', async () => {
  const { apiKey } = await newMerchant(admin);
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 100_000);
  const requests = [
    ...fc.sample(apiRequests(apiKey), { numRuns: 400, seed }),
    ...fc.sample(eventRequests(), { numRuns: 400, seed }),
  ];
  const report = await runFuzz(requests, { api: core.url, events: core.url });
  expect({
    seed,
    serverErrors: report.serverErrors.slice(0, 3),
    bare4xx: report.bare4xx.slice(0, 3),
    unanswered: report.unanswered,
  }).toEqual({ seed, serverErrors: [], bare4xx: [], unanswered: 0 });
  expect(report.requests).toBe(800);
}, 60_000);
