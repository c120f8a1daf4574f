import type { Agent } from 'undici';
import { loadConfig } from '../../../shared/config';
import { allowedRanges } from '../../../shared/webhooks/address-policy';
import { webhooksConfigSchema, type WebhooksConfig } from '../config';
import { webhookClient } from './send';

export interface DeliverySetup {
  config: WebhooksConfig;
  allowed: ReadonlySet<string>;
  client: Agent;
}

let setup: DeliverySetup | undefined;

/** Reads the config and makes the HTTP client, once, at the function's start. */
export function setUpDelivery(env: NodeJS.ProcessEnv): void {
  const config = loadConfig(webhooksConfigSchema, env);
  const allowed = allowedRanges(config.WEBHOOK_ALLOW_PRIVATE);
  setup = { config, allowed, client: webhookClient(allowed) };
}

export function deliverySetup(): DeliverySetup {
  if (!setup) throw new Error('webhooks: init has not run');
  return setup;
}
