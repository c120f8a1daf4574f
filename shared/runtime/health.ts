import { Router } from 'express';
import { pingDb, type Db } from '../db';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../errors';
import type { Lifecycle } from './lifecycle';

const READINESS_TIMEOUT_MS = 2_000;

/** Knative's probe paths. Liveness says the process answers; readiness that it can do its work. */
export function healthRoutes(db: Db, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/health/liveness', (_req, res) => {
    res.type('text/plain').send('OK');
  });
  router.get('/health/readiness', async (req, res) => {
    const problem = lifecycle.shuttingDown
      ? problemBody('shutting-down', undefined, req.originalUrl)
      : (await pingDb(db, READINESS_TIMEOUT_MS))
        ? null
        : problemBody('service-unavailable', 'The database does not answer', req.originalUrl);
    if (problem === null) res.type('text/plain').send('OK');
    else res.status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  });
  return router;
}
