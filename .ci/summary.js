// Prints "N passed, N failed" from jest's JSON results (each file given: make test's, then make
// test-lts's on Node 24). A run that stopped before jest (lint, types, install) counts as one failure,
// so the line never claims a green run that did not happen.
const fs = require('node:fs');
const [status, ...files] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of files) {
  if (!fs.existsSync(file)) continue;
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
}
if (status !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
