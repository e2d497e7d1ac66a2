import { ANALYSIS_VERSION, TASK_IDS, metricCatalogue, renderMetricSections } from '@dystrack/core';
import type { Command } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print } from '../io.js';
import { parseVariadic, taskArgument } from './analyze.js';

const HELP = `Usage: dystrack metrics [TASK] [--format markdown|json]

Lists every metric that 'dystrack analyze' computes, or those of TASK (one of: ${TASK_IDS.join(', ')}).

Options:
  --format markdown   the default: a table per task with the ID, unit, definition, citation, the
                      metric's own algorithm version, origin (contract or measures), direction and
                      whether change is judged on the log scale
  --format json       an array of { id, task, unit, definition, citation, analysis_version }, where
                      analysis_version is the version that 'analyze' prints with the metric
  -h, --help          show this help

docs/metrics.md is the same list.`;

/** One entry of `dystrack metrics --format json`: exactly these keys, in this order (analysis contract). */
export interface MetricListEntry {
  id: string;
  task: string;
  unit: string;
  definition: string;
  citation: string;
  analysis_version: string;
}

/** `dystrack metrics [TASK]`: the metric catalogue. */
export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'list the metrics that analyze computes',
  help: HELP,
  async run(args, io) {
    const parsed = parseVariadic(args, { format: { type: 'string' } }, 'metrics');
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length > 1) {
      throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[1])}`, 'metrics');
    }
    const task = parsed.positionals[0] === undefined ? null : taskArgument(parsed.positionals[0], 'metrics');
    const format = parsed.values.format ?? 'markdown';
    if (format === 'json') {
      const entries: MetricListEntry[] = metricCatalogue(task ?? undefined).map((metric) => ({
        id: metric.id,
        task: metric.task,
        unit: metric.unit,
        definition: metric.definition,
        citation: metric.citation,
        analysis_version: ANALYSIS_VERSION,
      }));
      print(io.stdout, JSON.stringify(entries, null, 2));
      return EXIT_OK;
    }
    if (format !== 'markdown') {
      throw new UsageError(`invalid --format ${JSON.stringify(format)} (markdown or json)`, 'metrics');
    }
    print(
      io.stdout,
      `# Dystrack metrics (analysis_version ${ANALYSIS_VERSION})\n\n${renderMetricSections(task ? [task] : TASK_IDS)}`,
    );
    return EXIT_OK;
  },
};
