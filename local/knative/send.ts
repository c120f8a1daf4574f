import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { OutgoingCloudEvent } from './kafka-source/record-to-event';

export interface SendResult {
  /** null when no response came (refused, reset, timed out). */
  status: number | null;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

// Kept-alive connections to the sinks, as Knative's dispatcher keeps them. node:http rather than
// fetch: undici's streams and abort signals cost this process ~0.3 ms of CPU per event (bench/e2e).
// An idle connection is closed after 4 s, before a Node server's 5 s keep-alive timeout can close it
// under a request about to be sent on it.
const agent = new Agent({ keepAlive: true, timeout: 4_000 });

/**
 * POSTs an event in binary content mode, as the dispatcher always does (knative-anchors.md §2d):
 * `ce-*` headers, Content-Type from datacontenttype, `Prefer: reply` and `Kn-Namespace`. Resolves,
 * never rejects: a failure to get an answer within timeoutMs is a null status.
 */
export function sendEvent(url: string, event: OutgoingCloudEvent, timeoutMs: number, namespace: string): Promise<SendResult> {
  const headers: Record<string, string> = { prefer: 'reply', 'kn-namespace': namespace, 'content-length': String(event.data?.length ?? 0) };
  for (const [name, value] of Object.entries(event.attributes)) {
    if (name === 'datacontenttype') headers['content-type'] = value;
    else headers[`ce-${name}`] = value;
  }
  return new Promise((resolve) => {
    const noAnswer = () => { resolve({ status: null, body: Buffer.alloc(0), headers: {} }); };
    try {
      const req = request(url, { method: 'POST', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', noAnswer);
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? null, body: Buffer.concat(chunks), headers: res.headers });
        });
      });
      const deadline = setTimeout(() => req.destroy(), timeoutMs);
      req.on('error', () => { clearTimeout(deadline); noAnswer(); });
      req.end(event.data ?? undefined);
    } catch {
      noAnswer(); // a header value HTTP cannot carry
    }
  });
}

const ERROR_DATA_MAX_BYTES = 1024;

/** The extensions Knative adds to a dead-lettered event (knative-anchors.md §3). */
export function errorExtensions(destination: string, result: SendResult): Record<string, string> {
  const extensions: Record<string, string> = { knativeerrordest: destination };
  if (result.status === null) return extensions;
  extensions['knativeerrorcode'] = String(result.status);
  extensions['knativeerrordata'] = result.body.subarray(0, ERROR_DATA_MAX_BYTES).toString('base64');
  for (const [name, value] of Object.entries(result.headers)) {
    if (name.startsWith('kne-') && value !== undefined) extensions[name.slice(4)] = Array.isArray(value) ? value.join(',') : value;
  }
  return extensions;
}
