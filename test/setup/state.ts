import type { PostgresServer } from '../../local/postgres';

// globalSetup and globalTeardown run in the same process: this is how the server handle crosses over.
const key = Symbol.for('knpay.test.postgres');
type Holder = { [key]?: { server: PostgresServer; run: string } };

export const testServer = {
  set(server: PostgresServer, run: string): void {
    (globalThis as Holder)[key] = { server, run };
  },
  get(): { server: PostgresServer; run: string } | undefined {
    return (globalThis as Holder)[key];
  },
};
