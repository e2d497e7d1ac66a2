import type { QualityFlag } from '../flags.js';
import type { ScaleInput } from '../inputs.js';
import type { TaskAnalyzer } from '../task.js';
import { SCALE_METRICS, scaleMetricValues } from './metrics.js';
import { RUN_NOTES, segmentRuns } from './runs.js';

export { scaleFromMidiFile } from './from-midi.js';
export { scaleFromCsv } from './from-csv.js';
export { scaleFromRecording } from './from-recording.js';
export { simulateScale, type ScaleTruth, type SimulatedScale } from './simulate.js';
export { scaleCoverage } from './coverage.js';
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
 * `TOO_FEW_EVENTS` (fewer than 15 notes: no run is possible), `SUSTAIN_PEDAL` (CC 64 ≥ 64 at any time).
 * The hand option does not change the metrics: one recording is one hand, and per-hand summaries
 * (the overall unevenness over both hands, the hand ratio) are built across recordings.
 */
export const scaleAnalyzer: TaskAnalyzer<ScaleInput> = {
  task: 'scale',
  metrics: SCALE_METRICS,
  analyze(input) {
    const notes = [...input.notes].sort((a, b) => a.onMs - b.onMs);
    const segmentation = segmentRuns(notes);
    const flags: QualityFlag[] = [];
    if (notes.length < RUN_NOTES) flags.push('TOO_FEW_EVENTS');
    if (segmentation.correct.length === 0) flags.push('NO_CORRECT_RUN');
    if (segmentation.incorrectCount > 0 || segmentation.unmatchedNoteCount > 0) flags.push('WRONG_NOTES');
    if (input.sustain.some((change) => change.value >= 64)) flags.push('SUSTAIN_PEDAL');
    return { metrics: scaleMetricValues(notes.length, segmentation, input.tempoBpm), flags };
  },
};
