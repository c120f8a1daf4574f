import express, { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { fieldErrors, ProblemError } from '../errors';
import { jsonDepth, MAX_JSON_DEPTH } from '../json';
import type { RouteSpec } from './route';

export interface ApiOptions<C> {
  routes: RouteSpec<unknown, unknown, unknown, C>[];
  /** Checks the caller may do what a route's `access` names, and puts who it is in res.locals.caller. */
  authenticate(access: string): RequestHandler;
  bodyLimit: number;
  /** The API's OpenAPI document, served at `documentPath`. */
  document: Record<string, unknown>;
  documentPath: string;
}

/** Mounts a route table: auth, then each part of the request parsed by its schema, then the work. */
export function apiRouter<C>(options: ApiOptions<C>): Router {
  const { routes, bodyLimit, document, documentPath } = options;
  const router = Router();
  router.get(documentPath, (_req, res) => {
    res.json(document);
  });
  for (const route of routes) {
    const handlers: RequestHandler[] = [options.authenticate(route.access)];
    if (route.body)
      handlers.push(requireJson, express.json({ limit: bodyLimit, strict: false, type: () => true }), refuseDeepJson);
    handlers.push(async (req, res) => {
      const answer = await route.handle({
        params: parse(route.params, req.params, 'path'),
        query: parse(route.query, req.query, 'query'),
        body: parse(route.body, req.body, 'body'),
        caller: res.locals['caller'] as C,
        req,
      });
      // Stripe marks a replayed answer; its body is the bytes first sent, not a re-serialisation.
      if (answer.replayed !== undefined)
        res.status(answer.status).set('Idempotent-Replayed', 'true').type('application/json').send(answer.replayed);
      else res.status(answer.status).json(answer.body);
    });
    router[route.method](route.path, ...handlers);
  }
  refuseOtherMethods(router, [{ method: 'get', path: documentPath }, ...routes]);
  return router;
}

/** A known path asked with a method it does not take: 405 with the Allow header, as RFC 9110 says. */
function refuseOtherMethods(router: Router, routes: Pick<RouteSpec, 'method' | 'path'>[]): void {
  const methods = new Map<string, string[]>();
  for (const { method, path } of routes) methods.set(path, [...(methods.get(path) ?? []), method.toUpperCase()]);
  for (const [path, allowed] of methods) {
    const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].sort().join(', ');
    router.all(path, (_req, res) => {
      res.set('Allow', allow);
      throw new ProblemError('method-not-allowed', `${path} takes ${allow}`);
    });
  }
}

/** A body is JSON or refused: a form or text/plain must not change anything by accident. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is(['application/json', 'application/*+json']) === false) {
    throw new ProblemError(
      'unsupported-media-type',
      `Content-Type ${req.get('content-type') ?? '(none)'} is not accepted: send application/json`,
    );
  }
  next();
};

/** Capped before anything recursive (validation, fingerprints, Prisma) walks the body. */
const refuseDeepJson: RequestHandler = (req, _res, next) => {
  if (jsonDepth(req.body) > MAX_JSON_DEPTH)
    throw new ProblemError('bad-request', `The body nests deeper than ${String(MAX_JSON_DEPTH)} levels`);
  next();
};

function parse(schema: z.ZodType | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, where);
  throw new ProblemError('invalid-request', errors.map((e) => `${e.in} ${e.path}: ${e.message}`).join('; '), {
    errors,
  });
}
