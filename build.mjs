// `npm run build`: bundles each process entry into dist/ with esbuild. A script rather than a CLI line
// because the bundle replaces one Prisma module (below) and must put a file beside its output.
import { Buffer } from 'node:buffer';
import { cpSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const QUERY_COMPILER_BASE64 = '@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.js';
const QUERY_COMPILER_SHIM = 'shared/db/query-compiler-wasm.js';
const RUNTIME_UTILS = '@prisma/client-runtime-utils';

// The bundle runs on the Node that builds it: the image builds and runs on 24; make dev and make test
// on this machine's 20 (make test-lts then runs that bundle on 24, where the workarounds are harmless).
const NODE_20 = Number(process.versions.node.split('.')[0]) < 21;
const node20Workarounds = {
  // Node 21 and later define navigator.userAgent ("Node.js/<major>"). On Node 20, pg's check for a
  // Cloudflare Worker falls through to the global Response, whose first touch loads undici (~6 ms of
  // every cold start) only to find it is not one. The bundle sees the navigator newer Nodes have.
  define: { navigator: JSON.stringify({ userAgent: 'Node.js/20' }) },
  // Node 20 does not restore a script's dynamic-import loader when launch.js compiles it from a code
  // cache, so import() is lowered to require.
  supported: { 'dynamic-import': false },
};

const result = await build({
  entryPoints: ['bin/serve.ts', 'bin/migrate.ts', 'bin/relay.ts', 'functions/payment/chain-source/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  outbase: '.',
  outdir: 'dist',
  external: ['pg-native'],
  // Prisma's query compiler ships as a 2.3 MB base64 string literal in a JS module: parsing it costs
  // ~8 ms of every cold start and the string stays alive as long as the process. The bundle reads
  // the binary from a file beside it instead (the shim says how); tests and tsx keep Prisma's module.
  alias: {
    [QUERY_COMPILER_BASE64]: `./${QUERY_COMPILER_SHIM}`,
    // Prisma's runtime requires the CommonJS build of its runtime utils, and an import would get the ESM
    // build: a second copy whose Sql class Prisma's sql tag does not recognise in a nested fragment. One copy.
    [RUNTIME_UTILS]: require.resolve(RUNTIME_UTILS),
  },
  ...(NODE_20 ? node20Workarounds : {}),
  // ASCII output (esbuild's default charset), so V8 keeps the source one byte per char. Identifiers too:
  // a 2.2 MB bundle instead of 2.7, whose source every function process holds (~1.5 MB less idle RSS).
  // Class names are minified with them, so logs type errors by `name` (shared/logging/logger.ts);
  // `keepNames` would restore them at a cost of ~5 MB. Stack traces map back with --enable-source-maps.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

const { wasm } = require(QUERY_COMPILER_BASE64);
const compiler = Buffer.from(wasm, 'base64');
for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) {
  if (QUERY_COMPILER_SHIM in inputs) writeFileSync(join(dirname(output), 'query-compiler.wasm'), compiler);
}

// The checkout page's stylesheet and script are read at start from `assets/` beside the code that
// serves them (functions/core/checkout/assets.ts): in the bundle, that is beside bin/serve.js.
cpSync('functions/core/checkout/assets', 'dist/bin/assets', { recursive: true });

// A code cache belongs to the bundle it was made from (bin/launch.js writes a new one).
const runtime = 'dist/bin';
for (const file of readdirSync(runtime)) if (file.endsWith('.cache')) rmSync(join(runtime, file));
