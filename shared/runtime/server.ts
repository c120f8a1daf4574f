import http, { type Server } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import { ProblemError } from '../errors';
import { answerClientErrors } from './client-errors';
import { eventEndpoint } from './event-endpoint';
import { healthRoutes } from './health';
import { errorHandler, notFound } from './http-errors';
import type { AppDeps } from './app-deps';
import type { Metrics } from './metrics';

/**
 * The HTTP face of a function, as Knative's Node.js function runtime lays it out: `POST /` takes
 * CloudEvents (event-endpoint.ts, straight from node:http), `/health/*` are the probes, `/metrics` is
 * for Prometheus, and the function's own routes (a merchant API, say) sit beside them, in express.
 */
export function createServer(deps: AppDeps): Server {
  const app = createApp(deps);
  // A Service set to `api` is public: it has no event endpoint at all, so POST / is a route like any
  // other it lacks (404). Events reach the function only through its cluster-local Service.
  const events = deps.service.config.SERVE === 'api' ? undefined : eventEndpoint(deps);
  const server = http.createServer((req, res) => {
    if (events && req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/?') === true)) events(req, res);
    else app(req, res);
  });
  answerClientErrors(server);
  return server;
}

function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(countRequests(deps.metrics));
  const serve = deps.service.config.SERVE;
  if (serve !== 'api') {
    app.all('/', (req, _res, next) => {
      next(new ProblemError('method-not-allowed', `${req.method} / is not supported: POST CloudEvents`));
    });
  }
  app.use(healthRoutes(deps.service.db, deps.lifecycle));
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  if (deps.module.routes && serve !== 'events') {
    app.use(deps.module.routes(deps.service));
  }
  app.use(notFound);
  app.use(errorHandler(deps.service.log));
  return app;
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
