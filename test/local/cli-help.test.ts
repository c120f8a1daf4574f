import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/process';

// Every command a newcomer runs answers --help with its usage, with no configuration at all (no
// DATABASE_URL, no make dev running), and exits 0.
const run = promisify(execFile);

it.each([
  'bin/serve.ts',
  'bin/relay.ts',
  'bin/migrate.ts',
  'functions/admin/commands/merchant.ts',
  'local/dev.ts',
  'local/demo.ts',
  'local/pay.ts',
  'local/dev-reset.ts',
  'local/new-migration.ts',
])('%s --help', async (entry) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(ROOT, entry), '--help'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '' },
  });
  expect(stdout).toMatch(/^usage:/);
});
