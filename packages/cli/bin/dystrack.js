#!/usr/bin/env node
// The `dystrack` executable. A committed, executable shim: tsc writes dist/main.js without the
// executable bit, so linking the bin straight to it would fail with "permission denied" after a build.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('dystrack: the command line is not built yet; run `npm run build` first.');
  process.exit(1);
}
await import(main.href);
