import express, { type Express, type RequestHandler } from 'express';
import type { InStatement, InTransaction } from '../db';
import { ProblemError } from '../errors';
import { readEvents, writeReplies } from './cloudevents';
import { healthRoutes } from './health';
import { errorHandler, notFound } from './http-errors';
import { invokeAll } from './invoke';
import type { Lifecycle } from './lifecycle';
import type { Metrics } from './metrics';
import type { FunctionModule, ServiceContext } from './types';

export interface AppDeps {
  module: FunctionModule;
  service: ServiceContext;
  metrics: Metrics;
  lifecycle: Lifecycle;
  inTransaction: InTransaction;
  inStatement: InStatement;
}

/**
 * The HTTP face of a function, as Knative's Node.js function runtime lays it out: `POST /` takes
 * CloudEvents, `/health/*` are the probes, `/metrics` is for Prometheus, and the function's own
 * routes (a merchant API, say) sit beside them.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(countRequests(deps.metrics));
  app.use(healthRoutes(deps.service.db, deps.lifecycle));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.post('/', express.raw({ type: () => true, limit: deps.service.config.BODY_LIMIT_BYTES }), receiveEvents(deps));
  app.all('/', (req, _res, next) => { next(new ProblemError('method-not-allowed', `${req.method} / is not supported: POST CloudEvents`)); });
  if (deps.module.routes) {
    app.use(deps.module.routes(deps.service));
  }
  app.use(notFound);
  app.use(errorHandler(deps.service.log));
  return app;
}

function receiveEvents(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    if (deps.lifecycle.shuttingDown) {
      res.setHeader('connection', 'close');
      throw new ProblemError('shutting-down');
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const traceparent = req.get('traceparent');
    // The W3C header travels beside binary-mode events; it fills the extension when the event has none.
    const events = readEvents(req.headers, body).map((event) =>
      traceparent && event['traceparent'] === undefined ? event.cloneWith({ traceparent }) : event,
    );
    const replies = await invokeAll(events, {
      name: deps.service.name,
      handle: deps.module.handle,
      db: deps.service.db,
      log: deps.service.log,
      metrics: deps.metrics,
      lifecycle: deps.lifecycle,
      inTransaction: deps.inTransaction,
      inStatement: deps.inStatement,
      transaction: deps.service.transaction,
      timeoutMs: deps.service.config.HANDLER_TIMEOUT_MS,
    });
    if (replies.length === 0) {
      res.status(204).end();
      return;
    }
    const reply = writeReplies(replies);
    res.status(200).set(reply.headers).send(reply.body);
  };
}

function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : '(unmatched)';
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
}
