import fc from 'fast-check';

/**
 * Generated hostile requests for the merchant API (api-requests.ts) and a function's CloudEvents
 * endpoint (event-requests.ts), built from the values below: well-formed requests mutated at every
 * part (method, path, query, headers, body, each event attribute and data field), plus the inputs
 * that once reached past validation. Run by test/runtime/fuzz.test.ts (a few
 * hundred, in make test) and bench/fuzz.ts (10,000 and more, on demand).
 */
export interface FuzzRequest {
  target: 'api' | 'events';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Strings a careless server mishandles: unicode edge cases, NUL, injection, huge and odd numbers. */
export const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  'a\u0000b',
  '%zz',
  '%',
  '../../etc/passwd',
  "'; DROP TABLE invoices; --",
  '<script>alert(1)</script>',
  'constructor',
  '__proto__',
  'toString',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  'yesterday',
  'NaN',
  '-1',
  '1e309',
  String(2 ** 31),
  String(2 ** 53 + 1),
  ((1n << 256n) + 1n).toString(),
  ((1n << 256n) - 1n).toString(),
  'x'.repeat(5000),
  '\u202e',
  '😀',
);
export const text = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
export const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, 1e-7),
);
export const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(scalar, { maxLength: 3 }),
);

/** A value nested `depth` levels: what once exhausted the stack. */
export const deep = fc
  .integer({ min: 20, max: 1500 })
  .map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown);

/** A field kept as a valid value most of the time, otherwise replaced by something hostile. */
export function mutated<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: nasty });
}
