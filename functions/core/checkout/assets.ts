import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The page's stylesheet and script, read once, sent inline (one request per first load) and allowed by
 * their hashes in the Content-Security-Policy. Beside this file in the source; build.mjs copies the
 * folder beside the bundle, so `__dirname/assets` finds them either way.
 */
function asset(name: string): { text: string; hash: string } {
  const text = readFileSync(join(__dirname, 'assets', name), 'utf8');
  return { text, hash: `'sha256-${createHash('sha256').update(text).digest('base64')}'` };
}

export const style = asset('checkout.css');
export const script = asset('checkout.js');
