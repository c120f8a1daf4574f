import express, { Router } from 'express';
import { loadConfig } from '../../../shared/config';
import { ProblemError } from '../../../shared/errors';
import type { ServiceContext } from '../../../shared/runtime';
import { webhooksConfigSchema } from '../config';
import { acceptCall } from '../inbound/accept-call';
import { providers } from '../inbound/providers';

/**
 * `POST /hooks/:provider`: chain-notification providers' webhooks (served on the public webhooks-inbound
 * Service). 202 once the scan is requested; 401 for a bad, missing or stale signature and 409 for a
 * replayed call, neither leaving a row; 404 for a provider unknown or not configured here.
 */
export function hookRoutes(context: ServiceContext): Router {
  const config = loadConfig(webhooksConfigSchema, context.env);
  const router = Router();
  router.post('/hooks/:provider', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const name = req.params['provider'];
    const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
    const secret = provider ? (config as Record<string, unknown>)[provider.secretVariable] : undefined;
    if (!provider || typeof secret !== 'string')
      throw new ProblemError('not-found', `No provider ${name} is configured here`);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const call = provider.verify(body, req.headers, secret);
    await acceptCall({ chainId: config.CHAIN_ID, transaction: context.transaction }, name, call, new Date());
    res.status(202).json({ accepted: true });
  });
  return router;
}
