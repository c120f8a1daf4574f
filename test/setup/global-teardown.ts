import { dropDatabasesStartingWith } from '../../local/postgres';
import { testServer } from './state';

/** Drops every database this run created (the template and any clone a failed test left), then the server. */
export default async function globalTeardown(): Promise<void> {
  const state = testServer.get();
  if (!state) return;
  await dropDatabasesStartingWith(state.server.adminUrl, `${state.run}_`);
  await state.server.stop();
}
