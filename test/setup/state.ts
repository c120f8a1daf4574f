import type { PostgresServer } from '../../local/postgres';

// globalSetup and globalTeardown run in the same process: this is how the server handle crosses over.
const key = Symbol.for('knpay.test.postgres');
type Holder = { [key]?: { server: PostgresServer; template: string } };

export const testServer = {
  set(server: PostgresServer, template: string): void {
    (globalThis as Holder)[key] = { server, template };
  },
  get(): { server: PostgresServer; template: string } | undefined {
    return (globalThis as Holder)[key];
  },
};
