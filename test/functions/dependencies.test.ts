import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/process';

// What production installs (npm ci --omit=dev) must hold every package the functions, the relay and
// their shared code import at run time; a package only local/, test/ or bench/ use stays a devDependency.
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The packages a file imports for its values (`import type` costs nothing at run time). */
function packagesImported(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^import (?!type )[^;]*? from '([^'.][^']*)';/gms)].map((m) => m[1] ?? '');
  return specifiers
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)));
}

it('lists every package the production code imports in dependencies', () => {
  const missing = ['functions', 'shared', 'bin'].flatMap((dir) =>
    sources(dir).flatMap((file) =>
      packagesImported(file)
        .filter((name) => !(name in manifest.dependencies))
        .map((name) => `${relative(ROOT, join(ROOT, file))}: ${name}`),
    ),
  );
  expect(missing).toEqual([]);
});

it('keeps what only local/ uses out of dependencies', () => {
  for (const devOnly of ['crc-32', 'maildev', 'hardhat', 'smtp-server', 'mailparser'])
    expect(Object.keys(manifest.dependencies)).not.toContain(devOnly);
});
