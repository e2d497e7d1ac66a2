/**
 * The one list of every task module's coverage rows (which metrics of measures.md are implemented, by
 * which IDs, and why the others are not). docs/metric-coverage.md is rendered from it, and a test checks
 * it against the metric catalogue.
 */
import type { TaskId } from '../../recording/tasks.js';
import type { CoverageRow } from '../coverage.js';
import { handwritingCoverage } from '../pen/coverage-handwriting.js';
import { precisionCoverage } from '../pen/coverage-precision.js';
import { spiralCoverage } from '../pen/coverage-spiral.js';
import { scaleCoverage } from '../scale/coverage.js';
import { tappingCoverage } from '../tapping/coverage.js';
import { tremorCoverage } from '../tremor/coverage.js';
import { typingCoverage } from '../typing/coverage.js';

/** The coverage rows of one task. */
export interface TaskCoverage {
  task: TaskId;
  rows: readonly CoverageRow[];
}

/** Coverage rows of every task, in the order of TASK_IDS. */
export const METRIC_COVERAGE: readonly TaskCoverage[] = [
  { task: 'typing', rows: typingCoverage },
  { task: 'tapping', rows: tappingCoverage },
  { task: 'scale', rows: scaleCoverage },
  { task: 'spiral', rows: spiralCoverage },
  { task: 'handwriting', rows: handwritingCoverage },
  { task: 'precision', rows: precisionCoverage },
  { task: 'tremor', rows: tremorCoverage },
];
