import type { Request } from 'express';
import type { z } from 'zod';
import type { Scope } from '../../../shared/auth/api-keys';

/** What a route's work is given: the validated parts of the request and who is calling. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  merchantId: string;
  req: Request;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
  /** An idempotent replay: the first answer's body as it was sent, sent again byte for byte. */
  replayed?: string;
}

/**
 * One operation of the merchant API. The same zod schemas validate the request at runtime and write
 * the operation into /openapi.json, so the document cannot drift from what the code accepts.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express syntax: /v1/invoices/:id */
  path: string;
  operationId: string;
  summary: string;
  scope: Scope;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Takes an Idempotency-Key header (Stripe's semantics). */
  idempotent?: boolean;
  response: { status: number; schema: z.ZodType; description: string };
  handle(input: RouteInput<P, Q, B>): Promise<RouteAnswer>;
}

/** Keeps each route's own types while the table holds them side by side. */
export function defineRoute<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec;
}
