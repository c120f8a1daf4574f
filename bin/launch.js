// The process entry of a function (`npm run serve -- <function>`, the container's command): runs the
// bundle dist/bin/serve.js with a V8 code cache beside it. Loading and compiling the bundle
// is the largest part of a cold start, and Node 20 has no module.enableCompileCache (Node 22.1+), so
// this does by hand what that would do: compile with the cache, and write one (after the first events
// have compiled the hot paths, and start.ts has warmed Prisma at 1 s) when there is none or V8
// rejected it. Plain JS so it runs unbuilt.
// Run it with MALLOC_ARENA_MAX=1 and MALLOC_MMAP_THRESHOLD_=262144 (npm run serve and the manifests
// do): one malloc arena instead of one per V8 worker thread saves ~9 MB of idle RSS; a fixed mmap
// threshold stops glibc from raising it past the multi-MB buffers a start reads and frees (the bundle,
// its cache, the query compiler), which then stay in the heap: ~7 MB more, for ~5 ms (bench/RESULTS.md).
// And with `node --v8-pool-size=1`: one V8 worker thread instead of Node's four, which on a pod's one or
// two CPUs only contend with the start's main thread: ~8 ms and ~1 MB less, steady state unchanged.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');

const WRITE_CACHE_AFTER_MS = 1500;
const bundle = path.resolve(__dirname, '../dist/bin/serve.js');
// V8 checks a cache against the source and its flags, not against how this file compiled it: key it
// by this file and the Node version as well.
const launcherKey = createHash('sha256')
  .update(fs.readFileSync(__filename))
  .update(process.version)
  .digest('hex')
  .slice(0, 12);
const cacheFile = `${bundle}.${launcherKey}.cache`;

function readCache() {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(script) {
  // Atomic, so concurrent starts never read half a cache; a read-only file system just means no cache.
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

// With --enable-source-maps (make dev sets it), stack traces should name the TypeScript sources: Node
// maps only what its own loader loaded, not a vm.Script, so the bundle is required plainly, without
// the code cache (a slower start, which a developer's machine can afford).
if (process.sourceMapsEnabled) {
  require(bundle);
  return;
}

let source;
try {
  // esbuild writes ASCII only (its default charset), so Latin-1 decodes it exactly, in half the time of
  // UTF-8 (~3 ms less for the 2.7 MB bundle).
  source = fs.readFileSync(bundle).toString('latin1');
} catch {
  console.error(`${bundle} is missing: run npm run build`);
  process.exit(1);
}
let cachedData = readCache();
// The bundle holds no import() (esbuild lowers them to require: --supported:dynamic-import=false):
// Node 20 does not restore a script's dynamic-import loader when it compiles from a code cache.
const script = new vm.Script(wrap(source), { filename: bundle, cachedData });
// KNPAY_WRITE_CODE_CACHE=1 (the Dockerfile's build stage): start, write the cache after the warm-up,
// and exit, so the image carries a cache and a read-only root file system costs nothing at start.
const writeAndExit = process.env.KNPAY_WRITE_CODE_CACHE === '1';
if (writeAndExit || cachedData === undefined || script.cachedDataRejected) {
  const timer = setTimeout(() => {
    writeCache(script);
    if (writeAndExit) process.exit(fs.existsSync(cacheFile) ? 0 : 1);
  }, WRITE_CACHE_AFTER_MS);
  if (!writeAndExit) timer.unref();
}
cachedData = undefined; // V8 has copied what it needs; the buffer would otherwise live as long as this module
const module_ = { exports: {} };
script
  .runInThisContext()
  .call(module_.exports, module_.exports, createRequire(bundle), module_, bundle, path.dirname(bundle));
