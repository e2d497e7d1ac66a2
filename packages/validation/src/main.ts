#!/usr/bin/env node
// `npm run validate -- --data DIR`: runs every data set adapter on the real data in DIR (default
// ../shared/data beside the repository), prints one table of the reproduced results with their
// thresholds, and exits 1 when a check fails or a data set is missing: it never skips silently.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Check } from './check.js';
import { DATASETS } from './datasets/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function parseArgs(argv: string[]): { data: string; only: string | null } {
  let data = resolve(repoRoot, '../shared/data');
  let only: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data' && argv[i + 1]) data = resolve(argv[++i]!);
    else if (arg === '--only' && argv[i + 1]) only = argv[++i]!;
    else if (arg === '--help' || arg === '-h') {
      console.log('Usage: npm run validate -- [--data DIR] [--only DATASET]');
      process.exit(0);
    } else {
      console.error(`validate: unknown argument ${JSON.stringify(arg)}`);
      process.exit(2);
    }
  }
  return { data, only };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<number> {
  const { data, only } = parseArgs(process.argv.slice(2));
  if (!existsSync(data)) {
    console.error(`validate: the data directory ${data} does not exist`);
    return 1;
  }
  const datasets = DATASETS.filter((d) => only === null || d.folder === only);
  if (datasets.length === 0) {
    console.error(only ? `validate: no data set ${only}` : 'validate: no data set adapters');
    return 1;
  }
  const checks: Check[] = [];
  const details: string[] = [];
  let failures = 0;
  for (const dataset of datasets) {
    const folder = join(data, dataset.folder);
    const started = performance.now();
    if (!existsSync(folder)) {
      console.error(`validate: ${dataset.folder}: missing in ${data}`);
      failures++;
      continue;
    }
    try {
      const report = await dataset.run(folder);
      if (report.checks.length === 0) throw new Error('the adapter ran no check');
      checks.push(...report.checks);
      if (report.details.length)
        details.push(`${dataset.folder} — ${dataset.title}`, ...report.details.map((l) => `  ${l}`), '');
    } catch (error) {
      failures++;
      console.error(
        `validate: ${dataset.folder}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    console.error(
      `validate: ${dataset.folder} done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const rows = [
    ['data set', 'check', 'value', 'threshold', 'published', 'result'],
    ...checks.map((c) => [
      c.dataset,
      c.name,
      c.value,
      c.threshold,
      c.published ?? '—',
      c.pass ? 'pass' : 'FAIL',
    ]),
  ];
  console.log(table(rows));
  if (details.length) console.log(`\n${details.join('\n')}`);
  failures += checks.filter((c) => !c.pass).length;
  console.log(
    `\nvalidation: ${checks.length - checks.filter((c) => !c.pass).length} of ${checks.length} checks passed${failures ? `, ${failures} failure(s)` : ''}`,
  );
  return failures ? 1 : 0;
}

process.exitCode = await main();
