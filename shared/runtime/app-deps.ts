import type { InStatement, InTransaction } from '../db';
import type { Lifecycle } from './lifecycle';
import type { Metrics } from './metrics';
import type { FunctionModule, ServiceContext } from './types';

/** What a function's HTTP face (server.ts) and its event endpoint (event-endpoint.ts) are built from. */
export interface AppDeps {
  module: FunctionModule;
  service: ServiceContext;
  metrics: Metrics;
  lifecycle: Lifecycle;
  inTransaction: InTransaction;
  inStatement: InStatement;
}
