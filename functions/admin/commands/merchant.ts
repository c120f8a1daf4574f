import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scopes, scopeSchema } from '../../../shared/auth/api-keys';
import { answerHelp } from '../../../shared/cli/help';
import { merchantOf } from '../api/resources';
import { createMerchant, issueApiKey, reinstateMerchant, revokeApiKey, suspendMerchant } from '../queries/merchants';
import { audited } from '../services/audited';
import { runCommand } from '../../../shared/cli/run';
import { cliActor, withDatabase } from './cli-db';

/**
 * `npm run merchant -- <command>`: merchants and keys from the operator's machine, a thin client of the
 * queries the operators' API runs, audited the same way (as cli:<user>). Talks to $DATABASE_URL. A key's
 * secret is printed once, here, and never again.
 */
const usage = `usage:
  npm run merchant -- --help                                                   this text
  npm run merchant -- create --name <name> [--email <e-mail>] [--scopes a,b]   a merchant and its first key
  npm run merchant -- add-key <merchant id> [--name <key name>] [--scopes a,b]  another key
  npm run merchant -- revoke-key <key id>
  npm run merchant -- suspend <merchant id> --reason <why>                      its API keys are refused (403)
  npm run merchant -- reinstate <merchant id>
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
      reason: { type: 'string' },
    },
  });
  const [command, target] = positionals;
  const keyScopes = values.scopes === undefined ? [...scopes] : scopeList.parse(values.scopes);
  return withDatabase(async (db) => {
    const actor = cliActor();
    const print = (value: unknown) => {
      console.log(JSON.stringify(value, null, 2));
      return 0;
    };
    if (command === 'create' && values.name) {
      const name = values.name;
      const made = await audited(db, actor, {
        action: 'merchant.create',
        run: async (tx) => {
          const merchantId = await createMerchant(tx, { name, email: values.email });
          const key = await issueApiKey(tx, merchantId, 'default', keyScopes);
          return {
            result: { merchantId, key },
            target: `merchant:${merchantId}`,
            after: { name, email: values.email },
          };
        },
      });
      if (!made) return 1;
      const { merchantId, key } = made;
      return print({ merchantId, keyId: key.keyId, apiKey: key.secret, scopes: key.scopes });
    }
    if (command === 'add-key' && target) {
      const key = await audited(db, actor, {
        action: 'api-key.issue',
        run: async (tx) => {
          const issued = await issueApiKey(tx, target, values.name ?? 'default', keyScopes);
          return {
            result: issued,
            target: `api-key:${issued.keyId}`,
            after: { merchantId: target, scopes: issued.scopes },
          };
        },
      });
      return key ? print({ merchantId: target, keyId: key.keyId, apiKey: key.secret, scopes: key.scopes }) : 1;
    }
    if (command === 'revoke-key' && target) {
      const revoked = await audited(db, actor, {
        action: 'api-key.revoke',
        target: `api-key:${target}`,
        run: async (tx) => ((await revokeApiKey(tx, target)) ? { result: true, after: { revoked: true } } : undefined),
      });
      console.log(revoked ? `revoked ${target}` : `no active key ${target}`);
      return revoked ? 0 : 1;
    }
    if ((command === 'suspend' && target && values.reason) || (command === 'reinstate' && target)) {
      const reason = values.reason ?? '';
      const row = await audited(db, actor, {
        action: `merchant.${command}`,
        target: `merchant:${target}`,
        run: async (tx) => {
          const changed =
            command === 'suspend' ? await suspendMerchant(tx, target, reason) : await reinstateMerchant(tx, target);
          return changed && { result: changed, after: merchantOf(changed) };
        },
      });
      if (!row) {
        console.error(`merchant ${target}: not found, or already ${command === 'suspend' ? 'suspended' : 'active'}`);
        return 1;
      }
      return print(merchantOf(row));
    }
    console.error(usage);
    return 64;
  });
}

runCommand(main);
