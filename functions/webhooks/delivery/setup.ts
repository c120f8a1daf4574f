import type { Agent } from 'undici';
import { loadConfig } from '../../../shared/config';
import type { Db } from '../../../shared/db';
import { allowedRanges } from '../../../shared/webhooks/address-policy';
import { webhooksConfigSchema, type WebhooksConfig } from '../config';
import { webhookClient } from './send';

export interface DeliverySetup {
  config: WebhooksConfig;
  allowed: ReadonlySet<string>;
  client: Agent;
}

/**
 * Each running instance's setup, found by its database handle (which handlers are given): one process
 * runs one instance in production, but tests run several, each with its own address policy.
 */
const setups = new WeakMap<Db, DeliverySetup>();

/** Reads the config and makes the HTTP client, once, at the function's start. */
export function setUpDelivery(db: Db, env: NodeJS.ProcessEnv): void {
  const config = loadConfig(webhooksConfigSchema, env);
  const allowed = allowedRanges(config.WEBHOOK_ALLOW_PRIVATE);
  setups.set(db, { config, allowed, client: webhookClient(allowed) });
}

export function deliverySetup(db: Db): DeliverySetup {
  const setup = setups.get(db);
  if (!setup) throw new Error('webhooks: init has not run');
  return setup;
}
