import { randomUUID } from 'node:crypto';

/** Builds CloudEvents requests by hand, so the tests see exactly the bytes on the wire. */
export interface EventFields {
  id?: string;
  type: string;
  source?: string;
  subject?: string;
  data: unknown;
  extensions?: Record<string, string>;
}

export function blockSeen(chainId = 31337, number = 1): EventFields {
  return {
    type: 'io.knpay.chain.block.seen.v1',
    subject: `eip155:${String(chainId)}`,
    data: {
      chainId,
      number,
      hash: `0x${'ab'.repeat(32)}`,
      parentHash: `0x${'cd'.repeat(32)}`,
      timestamp: new Date().toISOString(),
    },
  };
}

export function binaryRequest(event: EventFields, headers: Record<string, string> = {}): RequestInit {
  const ce: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': event.id ?? randomUUID(),
    'ce-source': event.source ?? '/test',
    'ce-type': event.type,
    'content-type': 'application/json',
  };
  if (event.subject) ce['ce-subject'] = event.subject;
  for (const [name, value] of Object.entries(event.extensions ?? {})) ce[`ce-${name}`] = value;
  return { method: 'POST', headers: { ...ce, ...headers }, body: JSON.stringify(event.data) };
}

function structuredObject(event: EventFields): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.id ?? randomUUID(),
    source: event.source ?? '/test',
    type: event.type,
    ...(event.subject ? { subject: event.subject } : {}),
    datacontenttype: 'application/json',
    data: event.data,
    ...event.extensions,
  };
}

export function structuredRequest(event: EventFields): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(structuredObject(event)),
  };
}

export function batchRequest(events: EventFields[]): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify(events.map(structuredObject)),
  };
}
