// In the esbuild bundle only (build.mjs aliases Prisma's `query_compiler_*.wasm-base64.js` here): the
// query compiler as bytes read from the file build.mjs writes beside the bundle, rather than a 2.3 MB
// base64 literal to parse. Prisma's generated client hands `wasm` to Buffer.from(wasm, 'base64'),
// which copies a Buffer as it is (the encoding applies to strings only), then compiles it.
// A getter, so the bytes are read when the client first needs them and not kept afterwards.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = {
  get wasm() {
    return readFileSync(join(__dirname, 'query-compiler.wasm'));
  },
};
