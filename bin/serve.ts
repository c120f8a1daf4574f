import { functions, isFunctionName } from '../functions/registry';
import { serve } from '../shared/runtime/serve';

const EX_USAGE = 64;

/** `npm run serve -- <function>`, and what the container image runs (FUNCTION names it there). */
const name = process.argv[2] ?? process.env['FUNCTION'] ?? '';
if (isFunctionName(name)) {
  void serve(name, functions[name]);
} else {
  console.error(`usage: serve <function>  (one of: ${Object.keys(functions).join(', ')})`);
  process.exit(EX_USAGE);
}
