import { loadConfig } from '../../../shared/config';
import type { Db } from '../../../shared/db';
import { notificationConfigSchema, type NotificationConfig } from '../config';
import { createMailer } from './mailer';

export interface SendingSetup {
  config: NotificationConfig;
  mailer: ReturnType<typeof createMailer>;
}

/**
 * Each running instance's setup, found by its database handle (which handlers are given): one process
 * runs one instance in production, but tests run several, each with its own SMTP server.
 */
const setups = new WeakMap<Db, SendingSetup>();

/** Reads the config and opens the SMTP pool, once, at the function's start. */
export function setUpSending(db: Db, env: NodeJS.ProcessEnv): SendingSetup {
  const config = loadConfig(notificationConfigSchema, env);
  const setup = { config, mailer: createMailer(config) };
  setups.set(db, setup);
  return setup;
}

export function sendingSetup(db: Db): SendingSetup {
  const setup = setups.get(db);
  if (!setup) throw new Error('notification: init has not run');
  return setup;
}
