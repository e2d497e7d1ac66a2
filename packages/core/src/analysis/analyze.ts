import { CodedError } from '../errors/catalogue.js';
import type { TaskId } from '../recording/tasks.js';
import { normaliseFlags, type QualityFlag } from './flags.js';
import type { AnalysisInput } from './inputs.js';
import { completeMetrics, type MetricDefinition, type MetricValues } from './metric.js';
import { handwritingAnalyzer } from './pen/handwriting.js';
import { precisionAnalyzer } from './pen/precision.js';
import { spiralAnalyzer } from './pen/spiral.js';
import { scaleAnalyzer } from './scale/index.js';
import { tappingAnalyzer } from './tapping/index.js';
import type { AnalyzeOptions, TaskAnalyzer } from './task.js';
import { tremorAnalyzer } from './tremor/index.js';
import { typingAnalyzer } from './typing/index.js';
import { ANALYSIS_VERSION } from './version.js';

/** The analyser of every task. */
export const ANALYZERS: { [T in TaskId]: TaskAnalyzer<Extract<AnalysisInput, { task: T }>> } = {
  typing: typingAnalyzer,
  tapping: tappingAnalyzer,
  scale: scaleAnalyzer,
  spiral: spiralAnalyzer,
  handwriting: handwritingAnalyzer,
  precision: precisionAnalyzer,
  tremor: tremorAnalyzer,
};

/** One analysed input, as the analysis contract prints it. */
export interface AnalysisOutput {
  task: TaskId;
  analysis_version: string;
  metrics: MetricValues;
  quality_flags: QualityFlag[];
}

/**
 * Analyses one input with its task's analyser: every metric of the task is present (null when it
 * cannot be computed) — or, with `options.metrics`, those metrics only, in catalogue order — and the
 * input's flags are merged with the analysis's (with `options.metrics`, flags about the work skipped
 * for other metrics may be missing).
 * @throws CodedError `E_UNKNOWN_METRIC` when `options.metrics` names a metric that is not the task's;
 *   from the analyser when nothing can be computed (e.g. `E_TOO_FEW_EVENTS`)
 */
export function analyze(input: AnalysisInput, options: AnalyzeOptions = { hand: null }): AnalysisOutput {
  const analyzer = ANALYZERS[input.task] as TaskAnalyzer;
  if (!analyzer) throw new CodedError('E_UNKNOWN_TASK');
  const definitions = selectedMetrics(analyzer, options.metrics);
  const result = analyzer.analyze(input, options);
  return {
    task: input.task,
    analysis_version: ANALYSIS_VERSION,
    metrics: completeMetrics(definitions, result.metrics),
    quality_flags: normaliseFlags([...input.flags, ...result.flags]),
  };
}

/** The definitions of the metrics wanted: all of the task's, or those named (checked to be the task's). */
function selectedMetrics(analyzer: TaskAnalyzer, wanted: ReadonlySet<string> | undefined) {
  if (!wanted) return analyzer.metrics;
  const known = new Set(analyzer.metrics.map((d) => d.id));
  const unknown = [...wanted].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new CodedError(
      'E_UNKNOWN_METRIC',
      `not a metric of the ${analyzer.task} task: ${unknown.join(', ')} (\`dystrack metrics ${analyzer.task}\` lists them)`,
    );
  }
  return analyzer.metrics.filter((d) => wanted.has(d.id));
}

/** The metric catalogue: every task's metrics, or one task's. */
export function metricCatalogue(task?: TaskId): MetricDefinition[] {
  const tasks = task ? [task] : (Object.keys(ANALYZERS) as TaskId[]);
  return tasks.flatMap((t) => [...ANALYZERS[t].metrics]);
}
