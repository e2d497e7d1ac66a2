/**
 * Markdown renderings of the metric catalogue and of the coverage table. docs/metrics.md and
 * docs/metric-coverage.md are these renderings (written by `npm run docs:metrics`; a test fails when the
 * committed files differ), and `dystrack metrics --format markdown` prints the same tables.
 */
import { TASK_IDS, type TaskId } from '../../recording/tasks.js';
import { metricCatalogue } from '../analyze.js';
import type { MetricDefinition } from '../metric.js';
import { ANALYSIS_VERSION } from '../version.js';
import { METRIC_COVERAGE, type TaskCoverage } from './coverage-list.js';

/** A markdown table cell: pipes escaped, line breaks and runs of spaces collapsed. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
}

const DIRECTION: Record<MetricDefinition['direction'], string> = {
  'higher-worse': 'higher is worse',
  'lower-worse': 'lower is worse',
  neutral: 'neutral',
};

/**
 * A markdown table of metrics: ID, unit, definition, citation, and what only the markdown shows — the
 * metric's own algorithm version, whether the analysis contract requires it, the direction of worse and
 * whether change is judged on the log scale.
 * @param metrics - the metrics, in the order to list them
 */
export function renderMetricTable(metrics: readonly MetricDefinition[]): string {
  if (metrics.length === 0) return '_No metrics yet._';
  return table(
    ['ID', 'unit', 'definition', 'citation', 'version', 'origin', 'direction', 'log scale'],
    metrics.map((metric) => [
      `\`${metric.id}\``,
      metric.unit,
      metric.definition,
      metric.citation,
      metric.version,
      metric.origin,
      DIRECTION[metric.direction],
      metric.logScale ? 'yes' : 'no',
    ]),
  );
}

/**
 * Tells prettier to leave the next table as it is: aligned, a table of long definitions would be
 * padded to the longest cell on every row.
 */
const KEEP_TABLE = '<!-- prettier-ignore -->\n';

/**
 * The metric tables of some tasks, one `## <task>` section each.
 * @param tasks - the tasks to list (default: all, in TASK_IDS order)
 * @param options.keepTables - put a `prettier-ignore` comment before each table (for the docs files)
 */
export function renderMetricSections(
  tasks: readonly TaskId[] = TASK_IDS,
  options: { keepTables?: boolean } = {},
): string {
  const keep = options.keepTables ? KEEP_TABLE : '';
  return tasks
    .map((task) => {
      const metrics = metricCatalogue(task);
      return `## ${task}\n\n${metrics.length > 0 ? keep : ''}${renderMetricTable(metrics)}\n`;
    })
    .join('\n');
}

/** The whole of docs/metrics.md: every metric of the catalogue, by task. */
export function renderMetricDocs(): string {
  return `<!-- Generated from the metric catalogue by \`npm run docs:metrics\`; do not edit. -->

# Metrics

Every metric that \`dystrack analyze\` computes, by task (analysis_version ${ANALYSIS_VERSION}). The same list is
printed by \`dystrack metrics\` (\`--format json\` gives \`id\`, \`task\`, \`unit\`, \`definition\`, \`citation\` and
\`analysis_version\`). Metric IDs are public API: they are never renamed and never change meaning without a new
version. A metric that cannot be computed from an input is \`null\`.

Columns: **version** is the version of the metric's own algorithm; **origin** is \`contract\` for the IDs the
analysis contract requires and \`measures\` for the other metrics of measures.md; **direction** says whether a
larger value means worse or better motor control; **log scale** says whether change is judged on the log scale.
Which metrics of measures.md are implemented, and why the others are not, is in
[metric-coverage.md](metric-coverage.md).

${renderMetricSections(TASK_IDS, { keepTables: true })}`;
}

/**
 * The whole of docs/metric-coverage.md: for every task, each metric that measures.md names, the IDs
 * that implement it, and a note (why it is not implemented, or how it is).
 * @param coverage - the coverage rows (default: every task module's)
 */
export function renderCoverageDocs(coverage: readonly TaskCoverage[] = METRIC_COVERAGE): string {
  const sections = TASK_IDS.map((task) => {
    const rows = coverage.filter((entry) => entry.task === task).flatMap((entry) => entry.rows);
    const body =
      rows.length === 0
        ? '_No coverage rows yet._'
        : KEEP_TABLE +
          table(
            ['measures.md', 'metric', 'IDs', 'note'],
            rows.map((entry) => [
              entry.section,
              entry.name,
              entry.ids.length === 0 ? '—' : entry.ids.map((id) => `\`${id}\``).join(', '),
              entry.note ?? '',
            ]),
          );
    const implemented = rows.filter((entry) => entry.ids.length > 0).length;
    return `## ${task}\n\n${rows.length > 0 ? `${implemented} of ${rows.length} implemented.\n\n` : ''}${body}\n`;
  });
  return `<!-- Generated from the task modules' coverage rows by \`npm run docs:metrics\`; do not edit. -->

# Metric coverage

Every metric that measures.md names for a task, with the IDs of the metric catalogue that implement it
([metrics.md](metrics.md)) or the reason it is not implemented. "—" means not implemented.

${sections.join('\n')}`;
}
