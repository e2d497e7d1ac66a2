// Type-checks every package with its own compiler settings: core without DOM or Node types,
// tasks and web with the DOM, server and cli with Node. Runs them in parallel on the cores we have.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const projects = [
  'packages/core',
  'packages/tasks',
  'packages/server',
  'packages/web',
  'packages/cli',
  'packages/validation',
  '.',
  'e2e',
];
const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--noEmit', '--pretty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ project, code, out }));
  });
}

const queue = [...projects];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
    for (let p = queue.shift(); p; p = queue.shift()) results.push(await check(p));
  }),
);
let failed = 0;
for (const r of results) {
  if (r.code !== 0) {
    failed++;
    process.stderr.write(`typecheck failed: ${r.project}\n${r.out}\n`);
  }
}
console.log(`typecheck: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
