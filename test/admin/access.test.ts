import { functions } from '../../functions/registry';
import type { OperatorRole } from '../../shared/auth/operator-tokens';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { createOperatorToken, revokeOperatorToken } from '../../functions/admin/queries/operator-tokens';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { adminDb, api } from '../helpers/merchant';
import { adminRoutes as routes } from './access-routes';

// Every route of the operators' API × every kind of caller → the status it must answer. The table is
// checked against /admin/openapi.json, so a route added without a row here fails this test. Each call
// gets fresh fixtures; a successful change must leave exactly one audit row under its request id, a
// refused one none.
let database: TestDatabase;
let db: Db;
let admin: RunningFunction;
const tokens = {} as Record<OperatorRole | 'revoked', string>;

beforeAll(async () => {
  database = await createTestDatabase();
  db = adminDb(database.url);
  admin = await startTestFunction('admin', await functions.admin(), database.url, { SERVE: 'api' });
  for (const role of ['viewer', 'operator', 'owner'] as const)
    tokens[role] = (await createOperatorToken(db, `test ${role}`, role)).secret;
  const revoked = await createOperatorToken(db, 'test revoked', 'owner');
  await revokeOperatorToken(db, revoked.row.id);
  tokens.revoked = revoked.secret;
});
afterAll(async () => {
  await admin.stop();
  await closeDb(db);
  await database.drop();
});

const ranks: OperatorRole[] = ['viewer', 'operator', 'owner'];
const callers = ['none', 'malformed', 'unknown', 'revoked', ...ranks] as const;

function credential(caller: (typeof callers)[number]): string | null {
  if (caller === 'none') return null;
  if (caller === 'malformed') return 'not-a-token';
  if (caller === 'unknown') return `knpop_${'A'.repeat(43)}`;
  return tokens[caller];
}

function expected(route: (typeof routes)[number], caller: (typeof callers)[number]): number {
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown' || caller === 'revoked') return 401;
  return ranks.indexOf(caller) >= ranks.indexOf(route.role) ? route.status : 403;
}

it('has a row for every operation /admin/openapi.json lists, and the role it declares', async () => {
  const document = (await (await fetch(`${admin.url}/admin/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { 'x-required-role': string }>>;
  };
  const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => `${method.toUpperCase()} ${path} ${op['x-required-role']}`),
  );
  expect(listed.sort()).toEqual(routes.map((r) => `${r.operation} ${r.role}`).sort());
});

describe.each(routes)('$operation', (route) => {
  it.each(callers.map((caller) => [caller, expected(route, caller)] as const))(
    'caller %s → %i',
    async (caller, status) => {
      const call = await route.call(db);
      const res = await api(admin.url, credential(caller), call.method, call.path, call.body);
      expect(res.status).toBe(status);
      if (status >= 400) {
        expect(res.contentType).toMatch(/^application\/problem\+json/);
        if (status === 403) expect(res.body?.['type']).toBe('/problems/insufficient-role');
      }
      const requestId = res.headers.get('x-request-id');
      const audited = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM audit_log WHERE request_id = ${requestId}`;
      const changed = call.method !== 'GET' && status < 400;
      expect(audited[0]?.n).toBe(changed ? 1 : 0);
    },
  );
});
