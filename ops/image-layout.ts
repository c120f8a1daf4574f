import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** The Dockerfile, and what its last stage copies from the build stage (its COPY lines). */
export function dockerfileLayout(): { dockerfile: string; lastStage: string; copies: { from: string; to: string }[] } {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const copies = [...lastStage.matchAll(/^COPY --from=build \/src\/(\S+) \.\/(\S+)$/gm)].map(([, from, to]) => ({
    from: from ?? '',
    to: to ?? '',
  }));
  return { dockerfile, lastStage, copies };
}

/** The build stage's code-cache line (`RUN KNPAY_WRITE_CODE_CACHE=1 … node …`): its variables and arguments. */
export function codeCacheStep(): { env: Record<string, string>; args: string[] } {
  const line = /^RUN (KNPAY_WRITE_CODE_CACHE=1 .*)$/m.exec(dockerfileLayout().dockerfile)?.[1];
  if (!line) throw new Error('the Dockerfile has no code-cache step');
  const words = line.split(' ');
  const assignments = words.filter((word) => /^[A-Z_0-9]+=/.test(word));
  const [program, ...args] = words.slice(assignments.length);
  if (program !== 'node') throw new Error(`the code-cache step runs ${program ?? 'nothing'}, not node`);
  const env = Object.fromEntries(assignments.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  return { env, args };
}

/**
 * A folder laid out as the image's last stage is, from what `npm run build` made (no Docker engine
 * runs here): the COPY lines, then, when `node` is given, the build stage's code-cache step run with
 * that Node (the image's major, for a cache V8 will take).
 */
export function layOutImage(dir: string, node?: string): void {
  for (const { from, to } of dockerfileLayout().copies) cpSync(join(ROOT, from), join(dir, to), { recursive: true });
  if (!node) return;
  const { env, args } = codeCacheStep();
  const step = spawnSync(node, args, { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'ignore' });
  if (step.status !== 0) throw new Error(`the code-cache step exited ${String(step.status)}`);
}
