import type { OutgoingCloudEvent } from './kafka-source/record-to-event';

export interface SendResult {
  /** null when no response came (refused, reset, timed out). */
  status: number | null;
  body: Buffer;
  headers: Headers | null;
}

/**
 * POSTs an event in binary content mode, as the dispatcher always does (knative-anchors.md §2d):
 * `ce-*` headers, Content-Type from datacontenttype, `Prefer: reply` and `Kn-Namespace`.
 */
export async function sendEvent(url: string, event: OutgoingCloudEvent, timeoutMs: number, namespace: string): Promise<SendResult> {
  const headers: Record<string, string> = { prefer: 'reply', 'kn-namespace': namespace };
  for (const [name, value] of Object.entries(event.attributes)) {
    if (name === 'datacontenttype') headers['content-type'] = value;
    else headers[`ce-${name}`] = value;
  }
  try {
    const response = await fetch(url, { method: 'POST', headers, body: event.data ? new Uint8Array(event.data) : undefined, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  } catch {
    return { status: null, body: Buffer.alloc(0), headers: null };
  }
}

const ERROR_DATA_MAX_BYTES = 1024;

/** The extensions Knative adds to a dead-lettered event (knative-anchors.md §3). */
export function errorExtensions(destination: string, result: SendResult): Record<string, string> {
  const extensions: Record<string, string> = { knativeerrordest: destination };
  if (result.status === null) return extensions;
  extensions['knativeerrorcode'] = String(result.status);
  extensions['knativeerrordata'] = result.body.subarray(0, ERROR_DATA_MAX_BYTES).toString('base64');
  result.headers?.forEach((value, name) => {
    if (name.toLowerCase().startsWith('kne-')) extensions[name.slice(4).toLowerCase()] = value;
  });
  return extensions;
}
