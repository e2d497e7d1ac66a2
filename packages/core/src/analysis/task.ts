import type { TaskId } from '../recording/tasks.js';
import type { QualityFlag } from './flags.js';
import type { AnalysisInput } from './inputs.js';
import type { MetricDefinition, MetricValues } from './metric.js';

/** Options of one analysis. */
export interface AnalyzeOptions {
  /** The hand that did the task, when the source says (`--hand`, or the recording's `hand`). */
  hand: 'left' | 'right' | null;
  /**
   * Only these metrics of the task (IDs of its catalogue), when given: the analyser may skip the work
   * that only other metrics need, and the output holds these IDs only. Default: every metric.
   */
  metrics?: ReadonlySet<string>;
}

/**
 * Whether an analysis with these options wants any of the metrics `ids` (every metric is wanted when
 * the options name none): an analyser skips the work of a group of metrics that none of them is wanted.
 */
export function wantsAny(options: AnalyzeOptions, ...ids: string[]): boolean {
  const wanted = options.metrics;
  if (!wanted) return true;
  for (const id of ids) if (wanted.has(id)) return true;
  return false;
}

/** What a task analyser computes from one input. */
export interface TaskResult {
  /**
   * Every metric of the task's catalogue (of `options.metrics` when given; others may be missing); null
   * when it cannot be computed.
   */
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
