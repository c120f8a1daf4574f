import { parseArgs } from 'node:util';
import { answerHelp } from '../../../shared/cli/help';
import { operatorTokenOf } from '../api/resources';
import { createOperatorToken, ownerExists } from '../queries/operator-tokens';
import { audited } from '../services/audited';
import { runCommand } from '../../../shared/cli/run';
import { cliActor, withDatabase } from './cli-db';

/**
 * `npm run admin -- bootstrap --name <who>`: the first owner token of the operators' API, printed once.
 * Refused when an active owner token exists: from then on owners make tokens through the API.
 */
const usage = `usage:
  npm run admin -- bootstrap --name <who>   the first owner token (refused when an owner exists)
Talks to $DATABASE_URL; the token is printed once and never again.`;

async function main(argv: string[]): Promise<number> {
  answerHelp(usage, argv);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' } },
  });
  if (positionals[0] !== 'bootstrap' || !values.name) {
    console.error(usage);
    return 64;
  }
  const name = values.name;
  return withDatabase(async (db) => {
    const created = await audited(db, cliActor(), {
      action: 'operator-token.bootstrap',
      run: async (tx) => {
        // Checked inside the transaction that creates it; two bootstraps at once serialise on the lock.
        await tx.$executeRaw`LOCK TABLE operator_tokens IN SHARE ROW EXCLUSIVE MODE`;
        if (await ownerExists(tx)) return undefined;
        const { row, secret } = await createOperatorToken(tx, name, 'owner');
        return {
          result: { ...operatorTokenOf(row), token: secret },
          target: `operator-token:${row.id}`,
          after: operatorTokenOf(row),
        };
      },
    });
    if (!created) {
      console.error('An owner token exists already: an owner makes more with POST /admin/v1/operator-tokens.');
      return 1;
    }
    console.log(
      JSON.stringify({ id: created.id, name: created.name, role: created.role, token: created.token }, null, 2),
    );
    return 0;
  });
}

runCommand(main);
