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
 * cannot be computed), and the input's flags are merged with the analysis's.
 * @throws CodedError from the analyser when nothing can be computed (e.g. `E_TOO_FEW_EVENTS`)
 */
export function analyze(input: AnalysisInput, options: AnalyzeOptions = { hand: null }): AnalysisOutput {
  const analyzer = ANALYZERS[input.task] as TaskAnalyzer;
  if (!analyzer) throw new CodedError('E_UNKNOWN_TASK');
  const result = analyzer.analyze(input, options);
  return {
    task: input.task,
    analysis_version: ANALYSIS_VERSION,
    metrics: completeMetrics(analyzer.metrics, result.metrics),
    quality_flags: normaliseFlags([...input.flags, ...result.flags]),
  };
}

/** The metric catalogue: every task's metrics, or one task's. */
export function metricCatalogue(task?: TaskId): MetricDefinition[] {
  const tasks = task ? [task] : (Object.keys(ANALYZERS) as TaskId[]);
  return tasks.flatMap((t) => [...ANALYZERS[t].metrics]);
}
