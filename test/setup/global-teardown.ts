import { dropDatabase } from '../../local/postgres';
import { testServer } from './state';

export default async function globalTeardown(): Promise<void> {
  const state = testServer.get();
  if (!state) return;
  await dropDatabase(state.server.adminUrl, state.template);
  await state.server.stop();
}
