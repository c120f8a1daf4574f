import type { FunctionModule } from '../shared/runtime/types';

/** The six functions, loaded on demand so a process pays only for the one it serves. */
export const functions = {
  core: () => import('./core'),
  payment: () => import('./payment'),
  webhooks: () => import('./webhooks'),
  notification: () => import('./notification'),
  cron: () => import('./cron'),
  admin: () => import('./admin'),
} satisfies Record<string, () => Promise<FunctionModule>>;

export type FunctionName = keyof typeof functions;

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(functions, name);
}
