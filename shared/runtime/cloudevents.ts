import { CloudEvent, HTTP, ValidationError } from 'cloudevents';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { ProblemError } from '../errors';

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
  time: z.iso.datetime({ offset: true }).nullish(),
});

/**
 * Reads the CloudEvents of a request in any content mode: binary (`ce-*` headers), structured
 * (`application/cloudevents+json`) or batched (`application/cloudevents-batch+json`). The SDK parses
 * binary and structured events without validating them, so each is validated here; anything that is
 * not a valid CloudEvents 1.0 event is a `malformed-event` (400: dead-lettered, never retried).
 */
export function readEvents(headers: IncomingHttpHeaders, body: Buffer): CloudEvent<unknown>[] {
  let parsed: CloudEvent<unknown> | CloudEvent<unknown>[];
  const stackTraceLimit = Error.stackTraceLimit;
  // The SDK builds ValidationErrors as arguments on every parse, thrown only for bad input: without a
  // stack trace to capture they cost nothing (they were a third of the SDK's ~75 µs per event). What
  // it throws becomes a problem body below, which carries no stack anyway.
  Error.stackTraceLimit = 0;
  try {
    // The SDK declares its interface type but returns CloudEvent instances.
    parsed = HTTP.toEvent<unknown>({ headers: stringHeaders(headers), body: bodyForSdk(headers, body) }) as
      | CloudEvent<unknown>
      | CloudEvent<unknown>[];
  } catch (error) {
    throw malformed(error);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  if (events.length === 0) throw new ProblemError('malformed-event', 'The batch holds no event');
  for (const event of events) {
    if (event.specversion !== '1.0') {
      throw new ProblemError('unsupported-spec-version', `specversion "${event.specversion}" is not supported; use 1.0`);
    }
    const attributes = contextAttributes.safeParse(event);
    if (!attributes.success) {
      throw new ProblemError('malformed-event', 'The event is not a valid CloudEvents 1.0 event', {
        errors: attributes.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
    }
  }
  return events;
}

/** Replies go back as Knative's function runtime sends them: one event in binary mode, several batched. */
export function writeReplies(events: CloudEvent<unknown>[]): { headers: Record<string, string>; body: string | Buffer } {
  const [first] = events;
  if (events.length === 1 && first) {
    const message = HTTP.binary(first);
    return { headers: message.headers as Record<string, string>, body: message.body as string | Buffer };
  }
  return { headers: { 'content-type': BATCH_CONTENT_TYPE }, body: Buffer.from(JSON.stringify(events.map((e) => e.toJSON()))) };
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
    const details = (error.errors ?? []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
    return new ProblemError('malformed-event', error.message.split('\n')[0], details.length > 0 ? { errors: details } : {});
  }
  if (error instanceof SyntaxError) return new ProblemError('malformed-event', 'The body is not valid JSON');
  return new ProblemError('malformed-event');
}
