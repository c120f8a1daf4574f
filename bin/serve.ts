import { functions, isFunctionName } from '../functions/registry';
import { answerHelp } from '../shared/cli/help';
import { serve } from '../shared/runtime/serve';

const EX_USAGE = 64;
const usage =
  `usage: npm run serve -- <function>   (one of: ${Object.keys(functions).join(', ')})\n` +
  '  serves it on $PORT (8080); DATABASE_URL is required, the rest is in README (Configuration)';

/** `npm run serve -- <function>`, and what the container image runs (FUNCTION names it there). */
answerHelp(usage);
const name = process.argv[2] ?? process.env['FUNCTION'] ?? '';
if (isFunctionName(name)) {
  void serve(name, functions[name]);
} else {
  console.error(usage);
  process.exit(EX_USAGE);
}
