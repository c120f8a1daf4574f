import { z } from 'zod';
import { problemBody } from '../errors';
import type { RouteSpec } from './route';

export interface DocumentOptions {
  title: string;
  description: string;
  /** The bearer credential: its scheme name and description (an API key, an operator token). */
  credential: { scheme: string; description: string };
  /** The extension naming what each operation needs: x-required-scope, x-required-role. */
  accessExtension: string;
  /** More top-level sections (the merchant API's `webhooks`). */
  extra?: Record<string, unknown>;
}

/** OpenAPI 3.1 from a route table: its JSON Schema dialect is draft 2020-12, which zod writes. */
export function openApiDocument(routes: RouteSpec[], options: DocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route, options.accessExtension) };
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: '1.0.0', description: options.description },
    components: {
      securitySchemes: {
        [options.credential.scheme]: { type: 'http', scheme: 'bearer', description: options.credential.description },
      },
      schemas: { Problem: problemSchema() },
    },
    security: [{ [options.credential.scheme]: [] }],
    paths,
    ...options.extra,
  };
}

function operation(route: RouteSpec, accessExtension: string): Record<string, unknown> {
  const parameters = [
    ...objectParameters(route.params, 'path'),
    ...objectParameters(route.query, 'query'),
    ...(route.idempotent
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description: 'Same key and body: the first answer again; same key, other body: 422. Kept 24 h.',
          },
        ]
      : []),
  ];
  const problem = {
    description: 'An RFC 9457 problem',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return {
    operationId: route.operationId,
    summary: route.summary,
    [accessExtension]: route.access,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } },
        }
      : {}),
    responses: {
      [String(route.response.status)]:
        route.response.status === 204
          ? { description: route.response.description }
          : {
              description: route.response.description,
              content: { 'application/json': { schema: jsonSchema(route.response.schema, 'output') } },
            },
      '4XX': problem,
      '5XX': problem,
    },
  };
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // The document declares the dialect once; each embedded schema drops its own $schema.
  const written: Record<string, unknown> = { ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) };
  delete written['$schema'];
  return written;
}

function problemSchema(): Record<string, unknown> {
  const example = problemBody('invalid-request', 'body amount: must be greater than zero');
  return {
    type: 'object',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
    },
    examples: [example],
  };
}
