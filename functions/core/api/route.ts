import type { Request } from 'express';
import type { z } from 'zod';
import type { Scope } from '../../../shared/auth/api-keys';
import type { RouteAnswer, RouteSpec as ApiRouteSpec } from '../../../shared/http-api/route';

export type { RouteAnswer };

/** Who calls the merchant API: the merchant whose API key authenticated the request (api/auth.ts). */
export interface MerchantCaller {
  merchantId: string;
}

/** What a merchant route's work is given: the validated parts of the request and the merchant calling. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  merchantId: string;
  req: Request;
}

/** One operation of the merchant API: a shared/http-api route whose access is an API key's scope. */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: ApiRouteSpec['method'];
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

export type MerchantRoute = ApiRouteSpec<unknown, unknown, unknown, MerchantCaller>;

/** Keeps each route's own types while the table holds them side by side. */
export function defineRoute<P, Q, B>(spec: RouteSpec<P, Q, B>): MerchantRoute {
  const { scope, ...rest } = spec;
  const route: ApiRouteSpec<P, Q, B, MerchantCaller> = {
    ...rest,
    access: scope,
    handle: ({ caller, ...input }) => spec.handle({ ...input, merchantId: caller.merchantId }),
  };
  return route;
}
