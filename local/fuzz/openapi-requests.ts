import fc from 'fast-check';
import { mutated, nasty, text, type FuzzRequest } from './hostile-values';

/**
 * Requests generated from an OpenAPI 3.1 document (the operators' API's /admin/openapi.json): each
 * operation's path parameters, query parameters and JSON body built from their schemas (enums, formats,
 * bounds), then mutated at every part, with a valid bearer token most of the time. What is generated
 * follows the document, so a route added to the API is fuzzed without a line here.
 */
interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
}

interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
}

/** A value its schema accepts, mostly; `mutated` makes it hostile some of the time. */
function valueOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf?.length) return fc.oneof(...schema.anyOf.map((s) => valueOf(s, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'email') return fc.constantFrom('ops@example.com', 'a+b@shop.example');
      return fc.string({ minLength: 1, maxLength: 30 });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOf(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
      if (depth > 3) return fc.constant({});
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([key, s]) => [key, mutated(valueOf(s, depth + 1))]),
        ),
        { requiredKeys: schema.required ?? [] },
      );
    default:
      return text;
  }
}

function operationRequest(path: string, method: string, op: Operation, token: string): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = fc.record(
    Object.fromEntries(
      params
        .filter((p) => p.in === 'path')
        .map((p) => [p.name, fc.oneof({ weight: 4, arbitrary: valueOf(p.schema) }, { weight: 1, arbitrary: nasty })]),
    ),
  );
  const queryParams = fc.record(
    Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, mutated(valueOf(p.schema))])),
    { requiredKeys: [] },
  );
  const bodySchema = op.requestBody?.content['application/json'].schema;
  const body = bodySchema ? mutated(valueOf(bodySchema)) : fc.constant(undefined);
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 1, arbitrary: fc.oneof(text, fc.constant('Bearer knpop_x')).map((t) => t.replace(/[^\x20-\x7e]/g, '')) },
  );
  const verb = fc.oneof(
    { weight: 12, arbitrary: fc.constant(method.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
  );
  return fc
    .record({ pathParams, queryParams, body, authorization, verb })
    .map(({ pathParams: values, queryParams: query, body: json, authorization: auth, verb: m }) => {
      const filled = path.replace(/\{(\w+)\}/g, (_all, name: string) =>
        // Lone surrogates cannot be percent-encoded: they become '?' (a path segment is bytes, not text).
        encodeURIComponent(asText(values[name]).replace(/[\ud800-\udfff]/g, '?')).replace(/%2F/gi, '/'),
      );
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query))
        if (value !== undefined) search.append(key, asText(value).replace(/[\ud800-\udfff]/g, '?'));
      const rendered = search.toString();
      return {
        target: 'api' as const,
        method: m,
        path: `${filled}${rendered ? `?${rendered}` : ''}`,
        headers: {
          authorization: auth,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      };
    });
}

/** A generated value as it goes into a URL: objects and arrays as their JSON. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Every operation of the document, equally likely. */
export function openApiRequests(document: unknown, token: string): fc.Arbitrary<FuzzRequest> {
  const paths = (document as { paths: Record<string, Record<string, Operation>> }).paths;
  const operations = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => operationRequest(path, method, op, token)),
  );
  return fc.oneof(...operations);
}
