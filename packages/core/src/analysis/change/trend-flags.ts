import type { TaskId } from '../../recording/tasks.js';

/**
 * Flags that only say how the data were cleaned, that one secondary metric is uncertain, or what the
 * setup was; a session with only these stays in trend statistics. Every other flag — the trial-level problems of measures.md
 * section 1 item 7 (too few events, pauses and sample gaps, wrong notes, pen lifted, tab hidden), short
 * or incomplete recordings, capture flags such as `ABORTED`, and any flag this list does not know —
 * leaves the session out of baselines and change statistics (it is still stored and shown).
 */
export const INFORMATIONAL_FLAGS: ReadonlySet<string> = new Set([
  'DUPLICATE_TIMESTAMPS',
  'IRREGULAR_SAMPLING',
  'AUTO_REPEAT_DROPPED',
  'COMPOSITION_DROPPED',
  'HOLD_OUT_OF_RANGE',
  'ALTERNATION_ERRORS',
  'NO_TREMOR_PEAK',
  'WK_MODEL_VIOLATION',
  'NO_METRONOME',
  'LATENCY_UNCALIBRATED',
  'NOMINAL_SCALE',
  'POOR_SPIRAL_FIT',
  'PRESSURE_SATURATION',
  // capture flags that describe the setup, not a bad trial: `recordingSetupKey` keeps such sessions apart
  'COARSE_TIMER',
  'NOT_PEN',
  'SIMULATED',
]);

/**
 * Whether a quality flag leaves a session out of trend statistics (measures.md 1 item 7: "exclude
 * flagged trials from trend statistics but keep them").
 *
 * `NO_TREMOR_PEAK` does not: a tremor that disappears is a result, not a bad trial. `PEN_LIFTS` does for
 * spirals and tracing but not for handwriting, where lifting the pen between letters is normal.
 * @param flag - a quality flag ID (analysis or capture)
 * @param task - the task of the session
 */
export function excludesFromTrend(flag: string, task: TaskId): boolean {
  if (flag === 'PEN_LIFTS') return task !== 'handwriting';
  return !INFORMATIONAL_FLAGS.has(flag);
}
