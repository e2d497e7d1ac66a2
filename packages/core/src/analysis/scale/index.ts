import type { QualityFlag } from '../flags.js';
import type { ScaleInput } from '../inputs.js';
import type { TaskAnalyzer } from '../task.js';
import { SCALE_METRICS, scaleMetricValues } from './metrics.js';
import { passageMetricValues, segmentPassage } from './passage.js';
import { RUN_NOTES, segmentRuns } from './runs.js';

export { scaleFromMidiFile } from './from-midi.js';
export { scaleFromCsv } from './from-csv.js';
export { scaleFromRecording } from './from-recording.js';
export { simulateScale, type ScaleTruth, type SimulatedScale } from './simulate.js';
export { scaleCoverage } from './coverage.js';
export * from './profile.js';
export { SCALE_METRICS } from './metrics.js';
export {
  scaleRecordingToSmf,
  scaleRecordingToSmfWithInfo,
  SMF_MS_PER_TICK,
  type ScaleSmf,
  type ScaleSmfOptions,
} from './to-smf.js';

/**
 * The MIDI scale analysis (measures.md 2.3): notes are sorted by onset, segmented into correct and
 * incorrect two-octave C-major runs ({@link segmentRuns}), and the timing metrics are computed over
 * the correct runs only. Never throws on a valid input: with no correct run every timing metric is
 * null (flag `NO_CORRECT_RUN`).
 *
 * Flags: `WRONG_NOTES` (an incorrect run or a note outside every correct run), `NO_CORRECT_RUN`,
 * `TOO_FEW_EVENTS` (fewer than 15 notes: no run is possible), `SUSTAIN_PEDAL` (the pedal down, CC 64 ≥
 * 64, while playing: inside the input's play window — between the trial markers of a recording —
 * including a pedal already down when it starts; at any time without a window).
 *
 * A block D passage (`input.passagePauseMs` set) is analysed by {@link segmentPassage} and
 * {@link passageMetricValues} instead: repetitions cut at the pauses within the play window, the
 * most frequent pitch sequence as the template; the scale timing metrics are null. Its flags:
 * `NO_CORRECT_RUN` (no repetition), `TOO_FEW_EVENTS` (fewer than 2 correct repetitions: the passage
 * timing metrics are null), `WRONG_NOTES` (a repetition with another pitch sequence, or stray notes),
 * `SUSTAIN_PEDAL` as for scales.
 * The hand option does not change the metrics: one recording is one hand, and per-hand summaries
 * (the overall unevenness over both hands, the hand ratio) are built across recordings.
 */
export const scaleAnalyzer: TaskAnalyzer<ScaleInput> = {
  task: 'scale',
  metrics: SCALE_METRICS,
  analyze(input, options) {
    const notes = [...input.notes].sort((a, b) => a.onMs - b.onMs);
    if (typeof input.passagePauseMs === 'number') {
      const passage = segmentPassage(notes, input.passagePauseMs, input.playWindowMs ?? null);
      const flags: QualityFlag[] = [];
      if (passage.correct.length === 0) flags.push('NO_CORRECT_RUN');
      if (passage.correct.length < 2) flags.push('TOO_FEW_EVENTS');
      if (passage.incorrectCount > 0 || passage.unmatchedNoteCount > 0) flags.push('WRONG_NOTES');
      if (sustainWhilePlaying(input)) flags.push('SUSTAIN_PEDAL');
      return { metrics: passageMetricValues(notes.length, passage), flags };
    }
    const segmentation = segmentRuns(notes);
    const flags: QualityFlag[] = [];
    if (notes.length < RUN_NOTES) flags.push('TOO_FEW_EVENTS');
    if (segmentation.correct.length === 0) flags.push('NO_CORRECT_RUN');
    if (segmentation.incorrectCount > 0 || segmentation.unmatchedNoteCount > 0) flags.push('WRONG_NOTES');
    if (sustainWhilePlaying(input)) flags.push('SUSTAIN_PEDAL');
    return { metrics: scaleMetricValues(notes.length, segmentation, input.tempoBpm, options), flags };
  },
};

/**
 * Whether the sustain pedal (CC 64 ≥ 64) was down while playing: a change to down inside the play
 * window, or the pedal left down by the last change before the window starts; without a window, any
 * change to down (measures.md 2.2: the task's pedal check before the trial is no pedal use).
 */
export function sustainWhilePlaying(input: Pick<ScaleInput, 'sustain' | 'playWindowMs'>): boolean {
  const window = input.playWindowMs ?? null;
  if (!window) return input.sustain.some((change) => change.value >= 64);
  let before: number | null = null;
  for (const change of input.sustain) {
    if (change.ms < window.startMs) before = change.value;
    else if (change.ms <= window.endMs && change.value >= 64) return true;
  }
  return before !== null && before >= 64;
}
