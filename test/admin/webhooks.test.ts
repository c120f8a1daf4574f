import { functions } from '../../functions/registry';
import { createOperatorToken } from '../../functions/admin/queries/operator-tokens';
import type { RunningFunction } from '../../shared/runtime';
import { startTestFunction } from '../helpers/function-server';
import { insertEndpoint, insertMessage } from '../fixtures/webhook';
import { api, newMerchant } from '../helpers/merchant';
import { startWebhooksStack, verified, type WebhooksStack } from '../helpers/webhooks-stack';

// Webhooks across merchants through the operators' API, on real parts: the webhooks stack (PostgreSQL,
// hardhat, core, payment, the webhooks function, a receiver on a real socket) and the admin function.
// Two merchants: one whose receiver fails, one whose receiver answers. An operator finds the failing
// endpoint, reads its messages, watches it get disabled, enables it again and redelivers: the message
// arrives with its webhook-id, signed, and the endpoint's recovery is announced.
let ws: WebhooksStack;
let admin: RunningFunction;
let operatorToken: string;
const healthy = { merchantId: '', apiKey: '', endpointId: '' };

beforeAll(async () => {
  ws = await startWebhooksStack();
  admin = await startTestFunction('admin', await functions.admin(), ws.s.db.url, { SERVE: 'api' });
  operatorToken = (await createOperatorToken(ws.s.admin, 'on call', 'operator')).secret;
  const other = await newMerchant(ws.s.admin);
  const res = await api(ws.s.core.url, other.apiKey, 'POST', '/v1/webhook-endpoints', {
    url: `${ws.receiver.url}/healthy`,
  });
  Object.assign(healthy, { ...other, endpointId: (res.body as { id: string }).id });
}, 60_000);
afterAll(async () => {
  await admin.stop();
  await ws.stop();
});

const ops = async (method: string, path: string, body?: unknown) => {
  const res = await api(admin.url, operatorToken, method, path, body);
  return { ...res, body: res.body ?? {}, requestId: res.headers.get('x-request-id') };
};
/** A page's rows, as the test reads them. */
const rows = async <T>(path: string) => ((await ops('GET', path)).body as unknown as Page<T>).data;
type Endpoint = { id: string; enabled: boolean; disabledReason: string | null; undelivered: Record<string, unknown> };
type Page<T> = { data: T[]; nextCursor: string | null };
const auditOf = (requestId: string | null) =>
  ws.s.db.query<{ action: string; target: string; before: unknown; after: unknown }>(
    'SELECT action, target, before, after FROM audit_log WHERE request_id = $1',
    [requestId],
  );

it('finds the failing endpoint across merchants, its messages and their attempts; enabled again, a redelivery arrives', async () => {
  const failing = await ws.newEndpoint();
  ws.receiver.answer = (request) => (request.url.endsWith('/healthy') ? 204 : 503);
  const invoice = await ws.s.createInvoice({ asset: 'ETH', amount: '5' });
  await api(ws.s.core.url, healthy.apiKey, 'POST', '/v1/invoices', { asset: 'ETH', amount: '6' });
  await ws.settleOutbox();

  // The failing endpoint, with what has not arrived and why; the healthy one is not among them.
  const failingEndpoints = await rows<Endpoint>('/admin/v1/webhook-endpoints?state=failing');
  expect(failingEndpoints.map((e) => e.id)).toEqual([failing.id]);
  expect(failingEndpoints[0]).toMatchObject({
    enabled: true,
    undelivered: { retrying: 1, failed: 0, lastFailure: { statusCode: 503, error: 'answered 503' } },
  });
  expect(await rows<Endpoint>(`/admin/v1/webhook-endpoints?merchantId=${healthy.merchantId}`)).toMatchObject([
    { id: healthy.endpointId, undelivered: { retrying: 0, failed: 0, lastFailure: null } },
  ]);

  // Its messages, found by merchant and by the event they carry; one in detail with its attempts.
  const byMerchant = await rows<{ id: string; eventId: string }>(
    `/admin/v1/webhook-messages?merchantId=${ws.s.merchantId}&endpointId=${failing.id}&status=Pending`,
  );
  expect(byMerchant).toHaveLength(1);
  const message = byMerchant[0] ?? { id: '', eventId: '' };
  const byEvent = await rows<{ id: string }>(`/admin/v1/webhook-messages?eventId=${message.eventId}`);
  expect(byEvent.map((m) => m.id)).toEqual([message.id]);
  const detail = await ops('GET', `/admin/v1/webhook-messages/${message.id}`);
  expect(detail.body).toMatchObject({
    merchantId: ws.s.merchantId,
    endpoint: { id: failing.id, enabled: true, deleted: false },
    attempts: [{ statusCode: 503, responseBody: 'answered 503' }],
  });
  expect(JSON.parse(detail.body['body'] as string)).toMatchObject({ data: { id: invoice.id } });

  // Redelivered while the receiver answers 410: the platform disables the endpoint.
  ws.receiver.answer = (request) => (request.url.endsWith('/healthy') ? 204 : 410);
  const gone = await ops('POST', '/admin/v1/webhook-messages/redeliver', { ids: [message.id], note: 'retry now' });
  expect(gone.body).toEqual({ data: [{ id: message.id, outcome: 'requested' }] });
  expect(await auditOf(gone.requestId)).toEqual([
    {
      action: 'webhook-message.redeliver',
      target: `webhook-message:${message.id}`,
      before: null,
      after: { note: 'retry now' },
    },
  ]);
  await ws.settleOutbox();
  expect(await rows<Endpoint>('/admin/v1/webhook-endpoints?state=disabled')).toMatchObject([
    { id: failing.id, enabled: false, disabledReason: 'the endpoint answered 410 Gone' },
  ]);

  // A disabled endpoint gets no redelivery until it is enabled: refused, and nothing audited.
  const refused = await ops('POST', '/admin/v1/webhook-messages/redeliver', { ids: [message.id] });
  expect(refused.body).toEqual({ data: [{ id: message.id, outcome: 'endpoint-disabled' }] });
  expect(await auditOf(refused.requestId)).toEqual([]);

  // Enabled again by the operator, audited with its state before; a second enable is a conflict.
  const enabled = await ops('POST', `/admin/v1/webhook-endpoints/${failing.id}/enable`, { note: 'they moved host' });
  expect(enabled.status).toBe(200);
  expect(enabled.body).toMatchObject({ id: failing.id, enabled: true, disabledReason: null, awaitingRecovery: true });
  expect(await auditOf(enabled.requestId)).toEqual([
    {
      action: 'webhook-endpoint.enable',
      target: `webhook-endpoint:${failing.id}`,
      before: { enabled: false, disabledReason: 'the endpoint answered 410 Gone' },
      after: { enabled: true, note: 'they moved host' },
    },
  ]);
  const again = await ops('POST', `/admin/v1/webhook-endpoints/${failing.id}/enable`, { note: 'twice' });
  expect([again.status, again.body['type']]).toEqual([409, '/problems/state-conflict']);

  // Redelivered now the receiver answers: it arrives signed, with the same webhook-id; recovery announced.
  ws.receiver.answer = () => 204;
  ws.receiver.received.length = 0;
  const redelivered = await ops('POST', '/admin/v1/webhook-messages/redeliver', { ids: [message.id] });
  expect(redelivered.body).toEqual({ data: [{ id: message.id, outcome: 'requested' }] });
  await ws.settleOutbox();
  expect(ws.receiver.received.map((r) => r.headers['webhook-id'])).toEqual([message.id]);
  expect(ws.receiver.received.map(verified(failing.secret)).map((b) => b.data.id)).toEqual([invoice.id]);
  expect((await ws.messagesOf(failing.id)).map((m) => m.status)).toEqual(['Delivered']);
  const recovered = await ws.s.db.query<{ data: { endpointId: string } }>(
    "SELECT data FROM outbox_events WHERE type = 'io.knpay.webhook.endpoint.recovered.v1'",
  );
  expect(recovered.map((r) => r.data.endpointId)).toEqual([failing.id]);
  expect(await rows<Endpoint>('/admin/v1/webhook-endpoints?state=failing')).toEqual([]);
}, 60_000);

it('pages messages across endpoints and merchants newest first, with no gap and no repeat', async () => {
  const merchants = [(await newMerchant(ws.s.admin)).merchantId, (await newMerchant(ws.s.admin)).merchantId];
  const made: string[] = [];
  for (const [n, merchantId] of [...merchants, ...merchants, ...merchants].entries()) {
    const endpointId = await insertEndpoint(ws.s.admin, merchantId);
    for (let i = 0; i < 3; i++) {
      const createdAt = new Date(Date.UTC(2030, 0, 1, 0, n, i % 2)); // some share a time: the id breaks the tie
      made.push(await insertMessage(ws.s.admin, endpointId, merchantId, { status: 'Failed', attempts: 9, createdAt }));
    }
  }
  const seen: string[] = [];
  let path = '/admin/v1/webhook-messages?status=Failed&createdFrom=2030-01-01T00:00:00Z&limit=4';
  for (;;) {
    const page = (await ops('GET', path)).body as unknown as Page<{ id: string; createdAt: string }>;
    seen.push(...page.data.map((m) => m.id));
    if (!page.nextCursor) break;
    path = `/admin/v1/webhook-messages?status=Failed&createdFrom=2030-01-01T00:00:00Z&limit=4&cursor=${page.nextCursor}`;
  }
  const expected = await ws.s.db.query<{ id: string }>(
    'SELECT id::text FROM webhook_messages WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC',
    [made],
  );
  expect(seen).toEqual(expected.map((r) => r.id));
  const ofOne = await rows<{ merchantId: string }>(`/admin/v1/webhook-messages?merchantId=${merchants[1] ?? ''}`);
  expect(ofOne.map((m) => m.merchantId)).toEqual(Array(9).fill(merchants[1]));
});

it('answers unknown ids and bad filters with problems', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const missing = await ops('POST', '/admin/v1/webhook-messages/redeliver', { ids: [unknown] });
  expect(missing.body).toEqual({ data: [{ id: unknown, outcome: 'not-found' }] });
  expect((await ops('GET', `/admin/v1/webhook-messages/${unknown}`)).status).toBe(404);
  expect((await ops('POST', `/admin/v1/webhook-endpoints/${unknown}/enable`, { note: 'x' })).status).toBe(404);
  const bad = await ops('GET', '/admin/v1/webhook-messages?status=Lost&createdFrom=yesterday');
  expect(bad.status).toBe(422);
  expect(bad.contentType).toMatch(/^application\/problem\+json/);
  expect((await ops('POST', `/admin/v1/webhook-endpoints/${unknown}/enable`, {})).status).toBe(422);
});
