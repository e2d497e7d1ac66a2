import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import prettierConfig from '../../../../../.prettierrc.json' with { type: 'json' };
import committedCoverage from '../../../../../docs/metric-coverage.md?raw';
import committedMetrics from '../../../../../docs/metrics.md?raw';
import { TASK_IDS } from '../../recording/tasks.js';
import { metricCatalogue } from '../analyze.js';
import type { MetricDefinition } from '../metric.js';
import { METRIC_COVERAGE } from './coverage-list.js';
import { renderCoverageDocs, renderMetricDocs, renderMetricTable } from './docs.js';

/** What `npm run docs:metrics` writes: the rendering, formatted by prettier with the repository's settings. */
function formatted(markdown: string): Promise<string> {
  return prettier.format(markdown, { ...(prettierConfig as prettier.Options), parser: 'markdown' });
}

const metric = (overrides: Partial<MetricDefinition>): MetricDefinition => ({
  id: 'tremor_peak_frequency_hz',
  task: 'spiral',
  unit: 'Hz',
  definition: 'Welch peak in 3–12 Hz',
  citation: 'Someone 2020 J Test; measures.md §3.3',
  version: '1.0.0',
  origin: 'contract',
  direction: 'neutral',
  logScale: false,
  ...overrides,
});

describe('generated metric docs', () => {
  it('docs/metrics.md is the rendering of the current catalogue (run `npm run docs:metrics`)', async () => {
    expect(committedMetrics).toBe(await formatted(renderMetricDocs()));
  });

  it('docs/metric-coverage.md is the rendering of the task modules’ coverage rows (run `npm run docs:metrics`)', async () => {
    expect(committedCoverage).toBe(await formatted(renderCoverageDocs()));
  });

  it('docs/metrics.md lists every metric ID of the catalogue', () => {
    for (const definition of metricCatalogue()) expect(committedMetrics).toContain(`\`${definition.id}\``);
  });

  it('renderMetricTable escapes pipes and flattens line breaks, so a definition stays in its cell', () => {
    const markdown = renderMetricTable([
      metric({ definition: 'P = Σ PSD·Δf over |f − f_peak| ≤ 1 Hz,\nthen √P', logScale: true }),
    ]);
    const lines = markdown.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      '| `tremor_peak_frequency_hz` | Hz | P = Σ PSD·Δf over \\|f − f_peak\\| ≤ 1 Hz, then √P | Someone 2020 J Test; measures.md §3.3 | 1.0.0 | contract | neutral | yes |',
    );
    // every row has as many unescaped separators as the header
    const separators = (line: string) => line.replaceAll('\\|', '').split('|').length;
    expect(separators(lines[2]!)).toBe(separators(lines[0]!));
  });

  it('renderCoverageDocs counts implemented rows and marks the others with a dash', () => {
    const markdown = renderCoverageDocs([
      {
        task: 'tremor',
        rows: [
          { section: '7.3', name: 'peak frequency', ids: ['tremor_peak_frequency_hz'] },
          { section: '7.3', name: 'occurrence', ids: [], note: 'needs windows' },
        ],
      },
    ]);
    expect(markdown).toContain('## tremor\n\n1 of 2 implemented.');
    expect(markdown).toContain('| 7.3 | occurrence | — | needs windows |');
    expect(markdown).toContain('| 7.3 | peak frequency | `tremor_peak_frequency_hz` |  |');
  });
});

describe('metric coverage rows', () => {
  const rows = METRIC_COVERAGE.flatMap(({ task, rows }) => rows.map((row) => ({ task, ...row })));

  it('every coverage entry is of a known task', () => {
    for (const entry of METRIC_COVERAGE) expect(TASK_IDS).toContain(entry.task);
  });

  it.each(TASK_IDS)('every ID in the %s coverage rows is a metric of that task in the catalogue', (task) => {
    const ids = new Set(metricCatalogue(task).map((definition) => definition.id));
    const unknown = rows
      .filter((row) => row.task === task)
      .flatMap((row) => row.ids.filter((id) => !ids.has(id)));
    expect(unknown).toEqual([]);
  });

  it.each(TASK_IDS)('every %s metric of the catalogue appears in some coverage row', (task) => {
    const covered = new Set(rows.filter((row) => row.task === task).flatMap((row) => row.ids));
    const uncovered = metricCatalogue(task)
      .map((definition) => definition.id)
      .filter((id) => !covered.has(id));
    expect(uncovered).toEqual([]);
  });

  it('every row without IDs says why it is not implemented', () => {
    const unexplained = rows.filter((row) => row.ids.length === 0 && !row.note?.trim());
    expect(unexplained.map((row) => `${row.task} ${row.section} ${row.name}`)).toEqual([]);
  });

  it('every row names its measures.md section (— for the project’s own metrics) and metric', () => {
    for (const row of rows) {
      expect(row.section).toMatch(/^(\d+(\.\d+)*|—)/);
      expect(row.name.trim()).not.toBe('');
    }
  });
});
