import type { Request } from 'express';
import type { z } from 'zod';

/** What a route's work is given: the validated parts of the request and who is calling. */
export interface RouteInput<P, Q, B, C> {
  params: P;
  query: Q;
  body: B;
  /** Who the authentication said is calling (a merchant, an operator). */
  caller: C;
  req: Request;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
  /** An idempotent replay: the first answer's body as it was sent, sent again byte for byte. */
  replayed?: string;
}

/**
 * One operation of an HTTP API (the merchant API, the operators' API). The same zod schemas validate
 * the request at runtime and write the operation into the API's OpenAPI document, so the document
 * cannot drift from what the code accepts.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown, C = unknown> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express syntax: /v1/invoices/:id */
  path: string;
  operationId: string;
  summary: string;
  /** What the caller must hold: a merchant key's scope, an operator's role. */
  access: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Takes an Idempotency-Key header (Stripe's semantics). */
  idempotent?: boolean;
  response: { status: number; schema: z.ZodType; description: string };
  handle(input: RouteInput<P, Q, B, C>): Promise<RouteAnswer>;
}
