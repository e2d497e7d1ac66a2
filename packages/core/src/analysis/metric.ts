import type { TaskId } from '../recording/tasks.js';

/**
 * One metric of the catalogue. The ID ends with its unit (`_ms`, `_hz`, `_mm`, `_pct`, …; a
 * dimensionless ratio or count says so in its name, e.g. `_count`, `_ratio`, or is listed as such in
 * the analysis contract) and is public API: never renamed, never given another meaning without a new
 * `version`.
 */
export interface MetricDefinition {
  /** snake_case ID with the unit last, e.g. `hold_time_median_ms`. */
  id: string;
  task: TaskId;
  /** The unit as printed: `ms`, `Hz`, `mm`, `mm/s`, `%`, `count`, `1` (dimensionless), … */
  unit: string;
  /** What is computed, precisely enough to reimplement it. */
  definition: string;
  /** The source of the method (first author, year, journal), and the measures.md section. */
  citation: string;
  /** Version of this metric's algorithm (semver); bump when its computation changes. */
  version: string;
  /** `contract` for the required IDs of the analysis contract, `measures` for the other metrics of measures.md. */
  origin: 'contract' | 'measures';
  /**
   * Whether a larger value means worse motor control, better, or neither (for plots and change
   * statistics); and whether change is judged on the log scale (variability and amplitude measures,
   * measures.md 1.5 and 10.3).
   */
  direction: 'higher-worse' | 'lower-worse' | 'neutral';
  logScale: boolean;
}

/** Values of one analysis: every metric ID of the task, `null` when it cannot be computed (never NaN). */
export type MetricValues = Record<string, number | null>;

/** What a task analyser returns. */
export interface TaskAnalysis {
  metrics: MetricValues;
  /** Quality flag IDs (see flags.ts), sorted, without repeats. */
  flags: string[];
}

/**
 * Replaces NaN and ±Infinity by null and makes sure every metric of `definitions` is present.
 * @param definitions - the task's metric definitions
 * @param values - the computed values (missing IDs become null)
 */
export function completeMetrics(
  definitions: readonly MetricDefinition[],
  values: Record<string, number | null | undefined>,
): MetricValues {
  const out: MetricValues = {};
  for (const definition of definitions) {
    const value = values[definition.id];
    out[definition.id] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return out;
}
