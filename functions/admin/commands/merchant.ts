import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scopes, scopeSchema } from '../../../shared/auth/api-keys';
import { env, loadConfig } from '../../../shared/config';
import { closeDb, createDb } from '../../../shared/db';
import { createLogger } from '../../../shared/logging/logger';
import { answerHelp } from '../../../shared/cli/help';
import { createMerchant, issueApiKey, revokeApiKey } from '../queries/merchants';

/**
 * `npm run merchant -- <command>`: the operator's way to make merchants and keys until the admin API
 * exists. Talks to $DATABASE_URL. A key's secret is printed once, here, and never again.
 */
const usage = `usage:
  npm run merchant -- --help                                                   this text
  npm run merchant -- create --name <name> [--email <e-mail>] [--scopes a,b]   a merchant and its first key
  npm run merchant -- add-key <merchant id> [--name <key name>] [--scopes a,b]  another key
  npm run merchant -- revoke-key <key id>
scopes: ${scopes.join(', ')} (default: all)
Talks to $DATABASE_URL (under make dev, its banner prints the line that sets it).`;

const scopeList = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()))
  .pipe(z.array(scopeSchema).min(1));

async function main(argv: string[]): Promise<number> {
  answerHelp(usage, argv);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      scopes: { type: 'string' },
    },
  });
  const [command, target] = positionals;
  const config = loadConfig(z.object({ DATABASE_URL: env.postgresUrl() }));
  const db = createDb({
    url: config.DATABASE_URL,
    poolSize: 1,
    connectTimeoutMs: 5_000,
    log: createLogger({ level: 'warn' }),
  });
  try {
    const keyScopes = values.scopes === undefined ? [...scopes] : scopeList.parse(values.scopes);
    if (command === 'create' && values.name) {
      const merchantId = await createMerchant(db, { name: values.name, email: values.email });
      const key = await issueApiKey(db, merchantId, 'default', keyScopes);
      console.log(JSON.stringify({ merchantId, keyId: key.keyId, apiKey: key.secret, scopes: key.scopes }, null, 2));
      return 0;
    }
    if (command === 'add-key' && target) {
      const key = await issueApiKey(db, target, values.name ?? 'default', keyScopes);
      console.log(
        JSON.stringify({ merchantId: target, keyId: key.keyId, apiKey: key.secret, scopes: key.scopes }, null, 2),
      );
      return 0;
    }
    if (command === 'revoke-key' && target) {
      const revoked = await revokeApiKey(db, target);
      console.log(revoked ? `revoked ${target}` : `no active key ${target}`);
      return revoked ? 0 : 1;
    }
    console.error(usage);
    return 64;
  } finally {
    await closeDb(db);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
