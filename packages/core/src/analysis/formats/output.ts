/**
 * The printed forms of analysis results (analysis contract, "Output object"): the JSON object of one
 * input and the CSV table of many. Shared by the CLI and anything else that exports results.
 */
import Papa from 'papaparse';
import type { TaskId } from '../../recording/tasks.js';
import { metricCatalogue, type AnalysisOutput } from '../analyze.js';
import type { QualityFlag } from '../flags.js';
import type { MetricValues } from '../metric.js';

/** One analysed input as the contract prints it, keys in this order. */
export interface AnalysisRecord {
  task: TaskId;
  /** The input as the user gave it (the CLI: the path as given). */
  input: string;
  analysis_version: string;
  /** Every metric ID of the task, null when it cannot be computed. */
  metrics: MetricValues;
  quality_flags: QualityFlag[];
}

/**
 * The contract's output object of one input: `task`, `input`, `analysis_version`, `metrics`,
 * `quality_flags`, in this order.
 * @param input - the input as given (a path)
 * @param output - the analysis of that input
 */
export function analysisRecord(input: string, output: AnalysisOutput): AnalysisRecord {
  return {
    task: output.task,
    input,
    analysis_version: output.analysis_version,
    metrics: output.metrics,
    quality_flags: output.quality_flags,
  };
}

/** The columns of the CSV output that precede the metric IDs. */
export const ANALYSIS_CSV_FIXED_COLUMNS = ['input', 'task', 'analysis_version', 'quality_flags'] as const;

/**
 * The header of the CSV output of a task: `input`, `task`, `analysis_version`, `quality_flags`, then one
 * column per metric ID in catalogue order.
 * @param task - the task whose metric IDs become columns
 */
export function analysisCsvColumns(task: TaskId): string[] {
  return [...ANALYSIS_CSV_FIXED_COLUMNS, ...metricCatalogue(task).map((metric) => metric.id)];
}

/**
 * One CSV line (with its `\n`) of cells, quoted where needed (commas, quotes, line breaks, leading or
 * trailing spaces), as RFC 4180 with `\n` line ends.
 */
function csvLine(cells: readonly (string | number)[]): string {
  return `${Papa.unparse([cells as (string | number)[]], { newline: '\n' })}\n`;
}

/**
 * The CSV header line of a task's results.
 * @param task - the task whose metric IDs become columns
 */
export function analysisCsvHeader(task: TaskId): string {
  return csvLine(analysisCsvColumns(task));
}

/**
 * One CSV line of a result, in the columns of {@link analysisCsvHeader}: a null metric is an empty
 * cell, a number is written in JavaScript's shortest round-trip form (`0.1`, `1e-7`), and the quality
 * flags are joined with `;` (empty when there are none).
 * @param record - the result; its task's catalogue gives the columns
 */
export function analysisCsvRow(record: AnalysisRecord): string {
  const metricIds = metricCatalogue(record.task).map((metric) => metric.id);
  return csvLine([
    record.input,
    record.task,
    record.analysis_version,
    record.quality_flags.join(';'),
    ...metricIds.map((id) => {
      const value = record.metrics[id];
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
    }),
  ]);
}
