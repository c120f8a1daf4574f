import { connect } from 'node:net';
import type { RunningFunction } from '../../shared/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestFunction } from '../helpers/function-server';
import { batchRequest, binaryRequest, blockSeen, structuredRequest } from '../helpers/cloudevents';
import { recordingFunction } from '../fixtures/functions';

let db: TestDatabase;
let fn: RunningFunction;

beforeAll(async () => {
  db = await createTestDatabase();
  fn = await startTestFunction('recorder', recordingFunction, db.url, { BODY_LIMIT_BYTES: '2048' });
});
afterAll(async () => {
  await fn.stop();
  await db.drop();
});

function withoutHeader(init: RequestInit, name: string): RequestInit {
  const headers = Object.entries(init.headers as Record<string, string>).filter(([key]) => key !== name);
  return { ...init, headers: Object.fromEntries(headers) };
}

function withHeader(init: RequestInit, name: string, value: string): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), [name]: value } };
}

/** A structured-mode event with some attributes replaced (undefined: left out). */
function structured(attributes: Record<string, unknown>): RequestInit {
  const event = {
    ...(JSON.parse(structuredRequest(blockSeen()).body as string) as Record<string, unknown>),
    ...attributes,
  };
  return { ...structuredRequest(blockSeen()), body: JSON.stringify(event) };
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const cases: [string, () => RequestInit, number, string][] = [
  ['missing ce-id', () => withoutHeader(binaryRequest(blockSeen()), 'ce-id'), 400, 'malformed-event'],
  ['missing ce-source', () => withoutHeader(binaryRequest(blockSeen()), 'ce-source'), 400, 'malformed-event'],
  [
    'ce-source that is not a URI-reference',
    () => withHeader(binaryRequest(blockSeen()), 'ce-source', 'not a uri'),
    400,
    'malformed-event',
  ],
  [
    'ce-dataschema that is not an absolute URI',
    () => withHeader(binaryRequest(blockSeen()), 'ce-dataschema', '/schemas/block'),
    400,
    'malformed-event',
  ],
  ['empty ce-type', () => withHeader(binaryRequest(blockSeen()), 'ce-type', ''), 400, 'malformed-event'],
  [
    'bad specversion',
    () => withHeader(binaryRequest(blockSeen()), 'ce-specversion', '0.1'),
    400,
    'unsupported-spec-version',
  ],
  ['non-JSON body', () => ({ ...binaryRequest(blockSeen()), body: '{"chainId": 1,' }), 400, 'malformed-event'],
  [
    'structured body that is not JSON',
    () => ({ ...structuredRequest(blockSeen()), body: 'not json' }),
    400,
    'malformed-event',
  ],
  ['empty batch', () => ({ ...batchRequest([]), body: '[]' }), 400, 'malformed-event'],
  [
    'no CloudEvent at all',
    () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    400,
    'malformed-event',
  ],
  ['unknown type', () => binaryRequest({ ...blockSeen(), type: 'io.knpay.nothing.v1' }), 422, 'unknown-event-type'],
  [
    'catalog type this function does not handle',
    () => binaryRequest({ ...blockSeen(), type: 'io.knpay.invoice.settled.v1' }),
    422,
    'unknown-event-type',
  ],
  [
    'data violating the schema',
    () => binaryRequest({ ...blockSeen(), data: { chainId: -1, number: 'x' } }),
    422,
    'invalid-event-data',
  ],
  [
    'a batch with one bad event',
    () => batchRequest([blockSeen(), { ...blockSeen(), data: {} }]),
    422,
    'invalid-event-data',
  ],
  ['a compressed body', () => withHeader(binaryRequest(blockSeen()), 'content-encoding', 'gzip'), 400, 'bad-request'],
  [
    'missing ce-specversion (the SDK would take it for 1.0)',
    () => withoutHeader(binaryRequest(blockSeen()), 'ce-specversion'),
    400,
    'malformed-event',
  ],
  [
    'a ce-time that is no time',
    () => withHeader(binaryRequest(blockSeen()), 'ce-time', 'yesterday'),
    400,
    'malformed-event',
  ],
  [
    'a ce-time in year 0000',
    () => withHeader(binaryRequest(blockSeen()), 'ce-time', '0000-01-01T00:00:00Z'),
    400,
    'malformed-event',
  ],
  [
    'a structured event with an empty id (the SDK would make one up)',
    () => structured({ id: '' }),
    400,
    'malformed-event',
  ],
  ['a structured event with no id', () => structured({ id: undefined }), 400, 'malformed-event'],
  ['a context attribute given as an object', () => structured({ subject: { nested: true } }), 400, 'malformed-event'],
  ['a batch holding a non-object', () => ({ ...batchRequest([blockSeen()]), body: '[1]' }), 400, 'malformed-event'],
  ['data nested 40 levels deep', () => binaryRequest({ ...blockSeen(), data: nested(40) }), 400, 'malformed-event'],
  [
    'a chainId past 2^31 (PostgreSQL integer)',
    () => binaryRequest({ ...blockSeen(), data: { ...(blockSeen().data as object), chainId: 2 ** 31 } }),
    422,
    'invalid-event-data',
  ],
  [
    'body over the limit',
    () => binaryRequest({ ...blockSeen(), data: { pad: 'x'.repeat(4096) } }),
    413,
    'payload-too-large',
  ],
];

describe('malformed events get a 4xx problem body and change nothing', () => {
  it.each(cases)('%s', async (_name, request, status, problem) => {
    const res = await fetch(fn.url, request());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: `/problems/${problem}`, status });
    expect(typeof body['title']).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('names the failing context attribute of a malformed event', async () => {
    const res = await fetch(fn.url, withHeader(binaryRequest(blockSeen()), 'ce-source', 'not a uri'));
    expect(await res.json()).toMatchObject({
      errors: [{ in: 'attributes', path: 'source', message: 'must be a URI-reference' }],
    });
  });

  it('names the failing fields of invalid data', async () => {
    const res = await fetch(
      fn.url,
      binaryRequest({ ...blockSeen(), data: { ...(blockSeen().data as object), hash: 'nope' } }),
    );
    // The same member, `errors`, with the same shape as the merchant API's validation problems.
    const body = (await res.json()) as { errors: { in: string; path: string }[] };
    expect(body.errors).toContainEqual(expect.objectContaining({ in: 'data', path: 'hash' }));
  });

  it('stored nothing for any of them', async () => {
    expect(await db.query('SELECT source, event_id, type FROM inbox_events')).toEqual([]);
    expect(await db.query('SELECT * FROM outbox_events')).toEqual([]);
  });

  it.each([
    ['a malformed request line', 'GET /\x01 HTTP/1.1\r\nhost: x\r\n\r\n', 400, 'bad-request'],
    [
      'headers over 16 KiB',
      `GET / HTTP/1.1\r\nhost: x\r\nx-pad: ${'a'.repeat(17_000)}\r\n\r\n`,
      431,
      'header-too-large',
    ],
    [
      'an Expect it cannot meet',
      'POST / HTTP/1.1\r\nhost: x\r\nexpect: 200-ok\r\ncontent-length: 0\r\n\r\n',
      417,
      'expectation-failed',
    ],
  ])('answers %s, refused by the HTTP parser, with a problem body', async (_name, raw, status, problem) => {
    const answer = await rawRequest(fn.port, raw);
    expect(answer.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${String(status)} `));
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      type: `/problems/${problem}`,
      status,
    });
  });

  it('answers plain HTTP mistakes with problems too', async () => {
    const notFound = await fetch(`${fn.url}/no/such/route`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ type: '/problems/not-found' });
    const wrongMethod = await fetch(fn.url, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
  });
});

/** Sends bytes as they are and reads the whole answer (the server closes the connection). */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.on('error', reject);
  });
}
