import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { OutgoingCloudEvent } from './kafka-source/record-to-event';

export interface SendResult {
  /** null when no response came (refused, reset, timed out). */
  status: number | null;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

// Kept-alive connections to each sink, as Knative's dispatcher keeps them, through undici's Pool: half
// the CPU of a node:http request (~25 µs instead of ~50, measured), and fetch (undici's streams and
// abort signals) cost ~0.3 ms per event. An idle connection is closed after 4 s, before a Node
// server's 5 s keep-alive timeout can close it under a request about to be sent on it.
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { keepAliveTimeout: 4_000 });
    pools.set(origin, pool);
  }
  return pool;
}

/**
 * POSTs an event in binary content mode, as the dispatcher always does (eventing-kafka-broker's
 * WebClientCloudEventSender): `ce-*` headers, Content-Type from datacontenttype, `Prefer: reply` and
 * `Kn-Namespace`. Resolves, never rejects: no answer within timeoutMs (for the response to start, then
 * between its chunks) is a null status.
 */
export async function sendEvent(
  url: string,
  event: OutgoingCloudEvent,
  timeoutMs: number,
  namespace: string,
  /** The platform's own (cluster-network.ts): what lets a source reach a cluster-local Service. */
  platformHeaders: Record<string, string> = {},
  /** Gives the request up (a null status), as a stopping dispatcher does. */
  signal?: AbortSignal,
): Promise<SendResult> {
  const headers: Record<string, string> = { ...platformHeaders, prefer: 'reply', 'kn-namespace': namespace };
  for (const [name, value] of Object.entries(event.attributes)) {
    if (name === 'datacontenttype') headers['content-type'] = value;
    else headers[`ce-${name}`] = value;
  }
  try {
    const { origin, pathname, search } = new URL(url);
    const answer = await poolFor(origin).request({
      method: 'POST',
      path: `${pathname}${search}`,
      headers,
      body: event.data ?? '',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    return { status: answer.statusCode, body, headers: answer.headers };
  } catch {
    // Refused, reset, timed out, or a header value HTTP cannot carry.
    return { status: null, body: Buffer.alloc(0), headers: {} };
  }
}

/** Closes the kept-alive connections (the platform's stop). */
export async function closeSinkConnections(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((pool) => pool.close()));
}

const ERROR_DATA_MAX_BYTES = 1024;

/** The extensions Knative adds to a dead-lettered event (eventing-kafka-broker's RecordDispatcherImpl). */
export function errorExtensions(destination: string, result: SendResult): Record<string, string> {
  const extensions: Record<string, string> = { knativeerrordest: destination };
  if (result.status === null) return extensions;
  extensions['knativeerrorcode'] = String(result.status);
  extensions['knativeerrordata'] = result.body.subarray(0, ERROR_DATA_MAX_BYTES).toString('base64');
  for (const [name, value] of Object.entries(result.headers)) {
    if (name.startsWith('kne-') && value !== undefined)
      extensions[name.slice(4)] = Array.isArray(value) ? value.join(',') : value;
  }
  return extensions;
}
