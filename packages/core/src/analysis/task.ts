import type { TaskId } from '../recording/tasks.js';
import type { QualityFlag } from './flags.js';
import type { AnalysisInput } from './inputs.js';
import type { MetricDefinition, MetricValues } from './metric.js';

/** Options of one analysis. */
export interface AnalyzeOptions {
  /** The hand that did the task, when the source says (`--hand`, or the recording's `hand`). */
  hand: 'left' | 'right' | null;
}

/** What a task analyser computes from one input. */
export interface TaskResult {
  /** Every metric of the task's catalogue; null when it cannot be computed. */
  metrics: MetricValues;
  /** Flags raised by the analysis (the input's own flags are added by {@link analyze}). */
  flags: QualityFlag[];
}

/** A task's analysis: its metric catalogue and the function computing them. */
export interface TaskAnalyzer<I extends AnalysisInput = AnalysisInput> {
  task: TaskId;
  metrics: readonly MetricDefinition[];
  /**
   * Computes the metrics. Throws CodedError (`E_TOO_FEW_EVENTS`, …) only when nothing at all can be
   * computed; otherwise metrics that cannot be computed are null and a flag says why.
   */
  analyze(input: I, options: AnalyzeOptions): TaskResult;
}
