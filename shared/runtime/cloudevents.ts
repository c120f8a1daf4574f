import { CloudEvent, HTTP, ValidationError } from 'cloudevents';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { fieldErrors, ProblemError, type FieldError } from '../errors';
import { timestamp } from '../events/schemas/fields';
import { jsonDepth, MAX_JSON_DEPTH } from '../json';

const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json';

// RFC 3986 URI-reference and absolute URI, as ajv-formats' "fast" formats check them.
const URI_REFERENCE = /^(?:(?:[a-z][a-z0-9+\-.]*:)?\/?\/)?(?:[^\\\s#][^\s#]*)?(?:#[^\\\s]*)?$/i;
const URI = /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/)?[^\s]*$/i;

/**
 * The context attributes of a CloudEvents 1.0 event (spec §3.1), as the SDK's JSON schema states them.
 * Checked with zod rather than the SDK's validate(): its ajv code tests `source` with a 4 KB regex that
 * V8 compiles at a process's first event (~4.5 ms of every cold start) and again when it tiers up.
 */
const contextAttributes = z.object({
  id: z.string().min(1),
  source: z.string().min(1).regex(URI_REFERENCE, 'must be a URI-reference'),
  type: z.string().min(1),
  datacontenttype: z.string().min(1).nullish(),
  dataschema: z.string().regex(URI, 'must be an absolute URI').nullish(),
  subject: z.string().min(1).nullish(),
  time: timestamp.nullish(),
});

/**
 * Reads the CloudEvents of a request in any content mode: binary (`ce-*` headers), structured
 * (`application/cloudevents+json`) or batched (`application/cloudevents-batch+json`). The SDK parses
 * binary and structured events without validating them, so each is validated here; anything that is
 * not a valid CloudEvents 1.0 event is a `malformed-event` (400: dead-lettered, never retried).
 */
export function readEvents(headers: IncomingHttpHeaders, body: Buffer): CloudEvent<unknown>[] {
  checkAsSent(headers, body);
  let parsed: CloudEvent<unknown> | CloudEvent<unknown>[];
  const stackTraceLimit = Error.stackTraceLimit;
  // The SDK builds ValidationErrors as arguments on every parse, thrown only for bad input: without a
  // stack trace to capture they cost nothing (they were a third of the SDK's ~75 µs per event). What
  // it throws becomes a problem body below, which carries no stack anyway.
  Error.stackTraceLimit = 0;
  try {
    // The SDK declares its interface type but returns CloudEvent instances.
    parsed = HTTP.toEvent<unknown>({ headers: stringHeaders(headers), body: bodyForSdk(headers, body) }) as
      CloudEvent<unknown> | CloudEvent<unknown>[];
  } catch (error) {
    throw malformed(error);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  if (events.length === 0) throw new ProblemError('malformed-event', 'The batch holds no event');
  for (const event of events) {
    if (event.specversion !== '1.0') {
      throw new ProblemError(
        'unsupported-spec-version',
        `specversion "${event.specversion}" is not supported; use 1.0`,
      );
    }
    const attributes = contextAttributes.safeParse(event);
    if (!attributes.success) throw invalid(attributes.error.issues);
    if (jsonDepth(event.data) > MAX_JSON_DEPTH)
      throw new ProblemError('malformed-event', `The event's data nests deeper than ${String(MAX_JSON_DEPTH)} levels`);
  }
  return events;
}

const requiredHeaders = ['ce-specversion', 'ce-id', 'ce-source', 'ce-type'] as const;

/** Attributes are scalars (CloudEvents 1.0 §2: Boolean, Integer, String and forms of String). */
const structuredEvent = z
  .looseObject({
    specversion: z.string().min(1),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.string().min(1),
    time: timestamp.optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));

/**
 * What the SDK is lenient about, checked on the request as sent: it takes a missing ce-specversion
 * for 1.0, gives a structured event without an id a generated one, and keeps a ce-time that is no
 * time. The CloudEvents spec makes each of them an invalid event (400).
 */
function checkAsSent(headers: IncomingHttpHeaders, body: Buffer): void {
  const contentType = headers['content-type'] ?? '';
  if (!/^application\/cloudevents(-batch)?\+json/i.test(contentType)) {
    const missing = requiredHeaders.filter((name) => (headers[name] ?? '') === '');
    if (missing.length > 0)
      throw new ProblemError('malformed-event', `A binary-mode event needs ${missing.join(', ')}`, {
        errors: missing.map((name): FieldError => ({ in: 'header', path: name, message: 'required' })),
      });
    const time = headers['ce-time'];
    if (time !== undefined && !timestamp.safeParse(time).success)
      throw new ProblemError('malformed-event', 'ce-time must be an RFC 3339 time');
    return;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProblemError('malformed-event', 'The body is not valid JSON');
  }
  for (const item of Array.isArray(raw) ? raw : [raw]) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new ProblemError('malformed-event', 'An event must be a JSON object');
    const attributes = Object.fromEntries(
      Object.entries(item as Record<string, unknown>).filter(([name]) => name !== 'data' && name !== 'data_base64'),
    );
    const checked = structuredEvent.safeParse(attributes);
    if (!checked.success) throw invalid(checked.error.issues);
  }
}

function invalid(issues: z.core.$ZodIssue[]): ProblemError {
  return new ProblemError('malformed-event', 'The event is not a valid CloudEvents 1.0 event', {
    errors: fieldErrors(issues, 'attributes'),
  });
}

/** Replies go back as Knative's function runtime sends them: one event in binary mode, several batched. */
export function writeReplies(events: CloudEvent<unknown>[]): {
  headers: Record<string, string>;
  body: string | Buffer;
} {
  const [first] = events;
  if (events.length === 1 && first) {
    const message = HTTP.binary(first);
    return { headers: message.headers as Record<string, string>, body: message.body as string | Buffer };
  }
  return {
    headers: { 'content-type': BATCH_CONTENT_TYPE },
    body: Buffer.from(JSON.stringify(events.map((e) => e.toJSON()))),
  };
}

function stringHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return result;
}

// The SDK's parsers take text; keep non-text data (binary mode, e.g. application/octet-stream) as bytes.
function bodyForSdk(headers: IncomingHttpHeaders, body: Buffer): string | Buffer {
  const contentType = headers['content-type'] ?? '';
  const textual = contentType === '' || /json|^text\//i.test(contentType);
  return textual ? body.toString('utf8') : body;
}

function malformed(error: unknown): ProblemError {
  if (error instanceof ValidationError) {
    // The SDK words each fault as "attribute: what is wrong".
    const details = (error.errors ?? []).map((e): FieldError => {
      const text = typeof e === 'string' ? e : JSON.stringify(e);
      const named = /^(\w+): (.*)$/s.exec(text);
      return { in: 'attributes', path: named?.[1] ?? '(root)', message: named?.[2] ?? text };
    });
    return new ProblemError(
      'malformed-event',
      error.message.split('\n')[0],
      details.length > 0 ? { errors: details } : {},
    );
  }
  if (error instanceof SyntaxError) return new ProblemError('malformed-event', 'The body is not valid JSON');
  return new ProblemError('malformed-event');
}
