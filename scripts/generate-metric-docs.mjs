// Writes docs/metrics.md and docs/metric-coverage.md from the metric catalogue and the task modules'
// coverage rows (packages/core/src/analysis/formats/docs.ts), formatted by prettier with the repository's
// settings. `npm run docs:metrics` builds core first; a core test fails when the committed files differ.
import { writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

const core = await import('../packages/core/dist/index.js');
const files = {
  'docs/metrics.md': core.renderMetricDocs(),
  'docs/metric-coverage.md': core.renderCoverageDocs(),
};
for (const [path, text] of Object.entries(files)) {
  const url = new URL(`../${path}`, import.meta.url);
  const options = (await prettier.resolveConfig(url)) ?? {};
  writeFileSync(url, await prettier.format(text, { ...options, parser: 'markdown' }));
  console.log(`wrote ${path}`);
}
