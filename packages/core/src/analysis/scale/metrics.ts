/**
 * The scale metrics (measures.md 2.3; analysis contract, scale rows): their definitions and their
 * computation from the correctly played runs.
 */
import { lineFit, mean, median, sampleSd } from '../dsp/stats.js';
import type { Note } from '../inputs.js';
import type { MetricDefinition } from '../metric.js';
import { wantsAny, type AnalyzeOptions } from '../task.js';
import { RUN_NOTES, type Run, type RunSegmentation } from './runs.js';

const JABUSCH_2004 = 'Jabusch HC, Vauth H, Altenmüller E (2004) Mov Disord 19(2):171–180';
const VAN_VUGT_2012 = 'van Vugt FT, Jabusch HC, Altenmüller E (2012) Front Psychol 3:495';
const VAN_VUGT_2013 = 'van Vugt FT, Jabusch HC, Altenmüller E (2013) Front Psychol 4:134';
const JABUSCH_2009 = 'Jabusch HC et al. (2009) Hum Mov Sci';
const CHENG_2013 = 'Cheng FPH, Großbach M, Altenmüller E (2013) Front Hum Neurosci 7:868';

const RUNS =
  'Correct runs: one-way 15-note two-octave C-major runs matched at every index on any C; an up-and-down run shares its top note; runs with wrong, missing or extra notes are left out.';

function def(
  id: string,
  unit: string,
  definition: string,
  citation: string,
  origin: MetricDefinition['origin'],
  direction: MetricDefinition['direction'],
  logScale: boolean,
): MetricDefinition {
  return { id, task: 'scale', unit, definition, citation, version: '1.0.0', origin, direction, logScale };
}

const directional = (id: string, what: string, citation: string): MetricDefinition[] =>
  (['up', 'down'] as const).map((d) =>
    def(
      id.replace(/_ms$/, `_${d}_ms`),
      'ms',
      `${what}, over the correct ${d === 'up' ? 'ascending' : 'descending'} runs only. ${RUNS}`,
      `${citation}; measures.md §2.3`,
      'measures',
      'higher-worse',
      true,
    ),
  );

/** The block D passage analysis (passage.ts), as the definitions state it. */
const PASSAGE =
  'Block D passage recording (params.block d-passage): the notes played between the first trial-start and the last trial-end marker are cut into repetitions at onset gaps ≥ params.passagePauseMs (default 1500 ms), groups of fewer than 3 notes are stray notes; the template is the pitch sequence most repetitions have (ties: the one played first), and repetitions with exactly that sequence are the correct runs.';

/** What a scale metric's definition says for passages: its passage meaning, or that it is null. */
const FOR_PASSAGES: Readonly<Record<string, string>> = {
  velocity_sd: `For a passage, the same over its correct runs (each run's sample SD of its velocities). ${PASSAGE}`,
  correct_run_count: `For a passage, the number of correct runs (repetitions with the template's pitch sequence). ${PASSAGE}`,
  incorrect_run_count: `For a passage, the number of repetitions with another pitch sequence. ${PASSAGE}`,
  run_error_rate_pct: `For a passage, over its repetitions. ${PASSAGE}`,
  unmatched_note_count: `For a passage, the notes between the trial markers outside its correct runs (incorrect repetitions and stray notes). ${PASSAGE}`,
};

/**
 * The passage rule written into each scale metric (all but note_count, which counts every note of any
 * recording): its meaning for a passage, or that it is null for one; version 1.0.0 → 1.1.0.
 */
function withPassageRule(definitions: readonly MetricDefinition[]): MetricDefinition[] {
  return definitions.map((d) =>
    d.id === 'note_count'
      ? d
      : {
          ...d,
          definition: `${d.definition} ${FOR_PASSAGES[d.id] ?? 'Null for a block D passage recording (params.block d-passage), which has no scale runs (see passage_timing_sd_ms).'}`,
          version: d.version === '1.0.0' ? '1.1.0' : d.version,
        },
  );
}

/** Every scale metric, contract IDs first. */
export const SCALE_METRICS: readonly MetricDefinition[] = [
  ...withPassageRule(scaleRunMetrics()),
  def(
    'passage_timing_sd_ms',
    'ms',
    `Trial-to-trial timing variability of a block D passage: each correct run's onsets normalised to its own start and duration, u[k] = (t_on[k] − t_on[0]) / D with D = t_on[N−1] − t_on[0] (tempo-normalised time); σ[k] = sample SD over the correct runs of u[k], converted to ms at the mean D; mean of σ[k] over the inner positions k = 1…N−2 (σ[0] = σ[N−1] = 0). Null with fewer than 2 correct runs or fewer than 3 notes, and for scale recordings. ${PASSAGE}`,
    `${VAN_VUGT_2012} (σ[k], applied to a free passage); measures.md §2.2 (block D), §2.3`,
    'measures',
    'higher-worse',
    true,
  ),
  def(
    'passage_duration_cv_pct',
    '%',
    `Tempo consistency of a block D passage: coefficient of variation of the correct runs' durations D = t_on[N−1] − t_on[0], sample SD / mean × 100. Null with fewer than 2 correct runs, and for scale recordings. ${PASSAGE}`,
    `${CHENG_2013} (CV as a tempo-normalised variability measure); measures.md §2.2 (block D), §2.3 [S]`,
    'measures',
    'higher-worse',
    true,
  ),
];

/** The scale metrics of measures.md 2.3, computed over the correct C-major runs. */
function scaleRunMetrics(): MetricDefinition[] {
  return [
    def(
      'note_count',
      'count',
      'Number of notes played: all note-ons with velocity > 0 (a note-on with velocity 0 is a note-off).',
      `${JABUSCH_2004}; measures.md §2.3`,
      'contract',
      'neutral',
      false,
    ),
    def(
      'ioi_mean_ms',
      'ms',
      `Mean inter-onset interval IOI[k] = t_on[k+1] − t_on[k] over all IOIs of the correct runs (14 per run). ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'contract',
      'neutral',
      false,
    ),
    def(
      'ioi_sd_ms',
      'ms',
      `mSD-IOI: mean over the correct runs (both directions) of each run's sample SD (n − 1) of its 14 IOIs. ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'contract',
      'higher-worse',
      true,
    ),
    def(
      'line_fit_residual_rms_ms',
      'ms',
      `Per correct run, least-squares line t_on[k] ≈ a + b·k (k = 0…14) and RMS(d) = √(Σd²/N) of the deviations d[k] = t_on[k] − (a + b·k), N = 15; mean over the correct runs. ${RUNS}`,
      `${VAN_VUGT_2012}; measures.md §2.3`,
      'contract',
      'higher-worse',
      true,
    ),
    def(
      'velocity_sd',
      'MIDI velocity',
      `Mean over the correct runs of each run's sample SD of its 15 note-on velocities (1–127). Never compare across keyboards. ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'contract',
      'higher-worse',
      true,
    ),
    ...directional('ioi_sd_ms', 'mSD-IOI (mean of the per-run sample SDs of the 14 IOIs)', JABUSCH_2004),
    ...directional(
      'line_fit_residual_rms_ms',
      'Mean of the per-run RMS(d) = √(Σd²/15) of the onset deviations from a least-squares line',
      VAN_VUGT_2012,
    ),
    def(
      'overall_unevenness_ms',
      'ms',
      `Median of the mSD-IOI values of the playing directions of this recording (ioi_sd_up_ms and ioi_sd_down_ms; the median of two is their mean); null unless both directions have a correct run. Jabusch's overall temporal unevenness is the median over both hands × both directions: with one hand per recording, take the median of the four directional values of a left- and a right-hand recording. ${RUNS}`,
      `${JABUSCH_2009}; measures.md §2.3, §1.1`,
      'measures',
      'higher-worse',
      true,
    ),
    def(
      'ioi_cv_pct',
      '%',
      `Mean over the correct runs of each run's coefficient of variation of its IOIs, sample SD / mean × 100 (tempo-normalised). ${RUNS}`,
      `${CHENG_2013}; measures.md §2.3`,
      'measures',
      'higher-worse',
      true,
    ),
    def(
      'legato_overlap_mean_ms',
      'ms',
      `Legato overlap O[k] = t_off[k] − t_on[k+1] (> 0 overlap, < 0 gap) of consecutive notes of a correct run (notes never released left out); mean over the runs of each run's mean. ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'measures',
      'neutral',
      false,
    ),
    def(
      'legato_overlap_sd_ms',
      'ms',
      `Mean over the correct runs of each run's sample SD of the legato overlaps O[k] = t_off[k] − t_on[k+1] (runs with at least 2 overlaps). ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'measures',
      'higher-worse',
      true,
    ),
    def(
      'key_down_duration_sd_ms',
      'ms',
      `Key-down duration D[k] = t_off[k] − t_on[k] (key release, not the pedal); mean over the correct runs of each run's sample SD of D (runs with at least 2 released notes). ${RUNS}`,
      `${JABUSCH_2004}; measures.md §2.3`,
      'measures',
      'higher-worse',
      true,
    ),
    def(
      'systematic_profile_rms_ms',
      'ms',
      `Systematic deviation profile m[k] = mean over the correct runs of one direction of the line-fit deviations d[k] (the individual "fingerprint"), summarised as its RMS over the 15 positions, √(Σm[k]²/15); mean over the directions with at least 2 correct runs. Trial-to-trial noise adds σ²/R to its square for R runs. ${RUNS}`,
      `${VAN_VUGT_2012}; ${VAN_VUGT_2013}; measures.md §2.3`,
      'measures',
      'neutral',
      true,
    ),
    def(
      'trial_to_trial_sd_ms',
      'ms',
      `Trial-to-trial variability: σ[k] = sample SD over the correct runs of one direction of the line-fit deviations d[k]; mean over the 15 positions; mean over the directions with at least 2 correct runs. ${RUNS}`,
      `${VAN_VUGT_2012}; measures.md §2.3`,
      'measures',
      'higher-worse',
      true,
    ),
    def(
      'tempo_error_ms',
      'ms',
      `Tempo error: ioi_mean_ms − target IOI, target IOI = 60000/(4·bpm) ms (sixteenth notes: 125 ms at 120 bpm, 187.5 ms at 80 bpm); null when the metronome tempo is unknown. Negative = faster than the metronome. ${RUNS}`,
      'measures.md §2.3 [S]',
      'measures',
      'neutral',
      false,
    ),
    def(
      'tempo_drift_ms_per_note',
      'ms/note',
      `Within-run tempo drift: least-squares slope of IOI[k] against k (k = 0…13) per correct run, mean over the runs; negative = accelerando. Drift inflates line_fit_residual_rms_ms more than ioi_sd_ms (Corrections 15). ${RUNS}`,
      `${VAN_VUGT_2012}; measures.md §2.3 notes`,
      'measures',
      'neutral',
      false,
    ),
    def(
      'correct_run_count',
      'count',
      `Number of correctly played one-way runs. ${RUNS}`,
      'measures.md §2.3 [S]',
      'measures',
      'lower-worse',
      false,
    ),
    def(
      'incorrect_run_count',
      'count',
      'Number of attempted runs with wrong, missing or extra notes: the notes outside correct runs, cut at pauses (onset gap > max(500 ms, 3 × median onset gap)), each piece of m notes counting max(1, round(m/14)) runs.',
      'measures.md §2.3 [S]',
      'measures',
      'higher-worse',
      false,
    ),
    def(
      'run_error_rate_pct',
      '%',
      'Error rate per run: incorrect_run_count / (correct_run_count + incorrect_run_count) × 100; null without any run.',
      'measures.md §2.3 [S]',
      'measures',
      'higher-worse',
      false,
    ),
    def(
      'unmatched_note_count',
      'count',
      'Number of notes that belong to no correct run (wrong, extra and stray notes, and the correct notes of runs with errors).',
      'measures.md §2.3 [S]',
      'measures',
      'higher-worse',
      false,
    ),
  ];
}

/** Timing of one correct run. */
export interface RunTiming {
  direction: Run['direction'];
  iois: number[];
  /** Line-fit deviations d[k], k = 0…14. */
  deviations: number[];
  rmsDeviation: number;
  ioiSd: number;
  velocitySd: number;
  /** Legato overlaps O[k] of consecutive notes whose first note was released. */
  overlaps: number[];
  /** Key-down durations of the released notes. */
  durations: number[];
  /** Slope of IOI[k] on k, ms per note. */
  drift: number;
}

const INDEX = Array.from({ length: RUN_NOTES }, (_, k) => k);

/** IOIs, line-fit deviations and the other per-run values of one correct run (measures.md 2.3). */
export function runTiming(run: Run): RunTiming {
  const notes: Note[] = run.notes;
  const onsets = notes.map((n) => n.onMs);
  const iois = onsets.slice(1).map((t, k) => t - onsets[k]!);
  const { slope, intercept } = lineFit(INDEX, onsets);
  const deviations = onsets.map((t, k) => t - (intercept + slope * k));
  const rmsDeviation = Math.sqrt(deviations.reduce((s, d) => s + d * d, 0) / deviations.length);
  const overlaps: number[] = [];
  const durations: number[] = [];
  notes.forEach((note, k) => {
    if (note.offMs === null) return;
    durations.push(note.offMs - note.onMs);
    if (k + 1 < notes.length) overlaps.push(note.offMs - notes[k + 1]!.onMs);
  });
  return {
    direction: run.direction,
    iois,
    deviations,
    rmsDeviation,
    ioiSd: sampleSd(iois),
    velocitySd: sampleSd(notes.map((n) => n.velocity)),
    overlaps,
    durations,
    drift: lineFit(INDEX.slice(0, iois.length), iois).slope,
  };
}

/** Mean of the finite values, NaN when there is none. */
function meanOf(values: number[]): number {
  return mean(values.filter(Number.isFinite));
}

/**
 * Systematic profile and trial-to-trial variability of one direction's runs: m[k] and σ[k] over runs,
 * summarised as RMS of m and mean of σ; NaN with fewer than 2 runs.
 */
function profile(timings: readonly RunTiming[]): { systematicRms: number; trialSd: number } {
  if (timings.length < 2) return { systematicRms: Number.NaN, trialSd: Number.NaN };
  const m: number[] = [];
  const sigma: number[] = [];
  for (let k = 0; k < RUN_NOTES; k++) {
    const column = timings.map((t) => t.deviations[k]!);
    m.push(mean(column));
    sigma.push(sampleSd(column));
  }
  return { systematicRms: Math.sqrt(mean(m.map((x) => x * x))), trialSd: mean(sigma) };
}

/** The contract's scale metrics: every other one is computed only when wanted. */
const CONTRACT_IDS = ['note_count', 'ioi_mean_ms', 'ioi_sd_ms', 'line_fit_residual_rms_ms', 'velocity_sd'];
const OTHER_RUN_IDS = scaleRunMetrics()
  .map((d) => d.id)
  .filter((id) => !CONTRACT_IDS.includes(id));

/**
 * Computes the scale metrics from a run segmentation (NaN where a metric cannot be computed; the
 * metric layer turns it into null): every metric, or with `options.metrics` the contract's metrics and
 * the others only when one of them is wanted.
 * @param noteCount - all notes of the input
 * @param segmentation - the runs of {@link segmentRuns}
 * @param tempoBpm - the metronome tempo, or null
 */
export function scaleMetricValues(
  noteCount: number,
  segmentation: RunSegmentation,
  tempoBpm: number | null,
  options: AnalyzeOptions = { hand: null },
): Record<string, number> {
  const timings = segmentation.correct.map(runTiming);
  const ioiMean = mean(timings.flatMap((t) => t.iois));
  const contract: Record<string, number> = {
    note_count: noteCount,
    ioi_mean_ms: ioiMean,
    ioi_sd_ms: meanOf(timings.map((t) => t.ioiSd)),
    line_fit_residual_rms_ms: meanOf(timings.map((t) => t.rmsDeviation)),
    velocity_sd: meanOf(timings.map((t) => t.velocitySd)),
  };
  if (!wantsAny(options, ...OTHER_RUN_IDS)) return contract;
  const up = timings.filter((t) => t.direction === 'up');
  const down = timings.filter((t) => t.direction === 'down');
  const ioiSdUp = meanOf(up.map((t) => t.ioiSd));
  const ioiSdDown = meanOf(down.map((t) => t.ioiSd));
  const profiles = [profile(up), profile(down)].filter((p) => Number.isFinite(p.systematicRms));
  const runsTotal = segmentation.correct.length + segmentation.incorrectCount;
  return {
    ...contract,
    ioi_sd_up_ms: ioiSdUp,
    ioi_sd_down_ms: ioiSdDown,
    line_fit_residual_rms_up_ms: meanOf(up.map((t) => t.rmsDeviation)),
    line_fit_residual_rms_down_ms: meanOf(down.map((t) => t.rmsDeviation)),
    overall_unevenness_ms: median(
      [ioiSdUp, ioiSdDown].filter(Number.isFinite).length === 2 ? [ioiSdUp, ioiSdDown] : [],
    ),
    ioi_cv_pct: meanOf(timings.map((t) => (t.ioiSd / mean(t.iois)) * 100)),
    legato_overlap_mean_ms: meanOf(timings.map((t) => mean(t.overlaps))),
    legato_overlap_sd_ms: meanOf(timings.map((t) => sampleSd(t.overlaps))),
    key_down_duration_sd_ms: meanOf(timings.map((t) => sampleSd(t.durations))),
    systematic_profile_rms_ms: meanOf(profiles.map((p) => p.systematicRms)),
    trial_to_trial_sd_ms: meanOf(profiles.map((p) => p.trialSd)),
    tempo_error_ms: tempoBpm !== null && tempoBpm > 0 ? ioiMean - 60_000 / (4 * tempoBpm) : Number.NaN,
    tempo_drift_ms_per_note: meanOf(timings.map((t) => t.drift)),
    correct_run_count: segmentation.correct.length,
    incorrect_run_count: segmentation.incorrectCount,
    run_error_rate_pct: runsTotal > 0 ? (100 * segmentation.incorrectCount) / runsTotal : Number.NaN,
    unmatched_note_count: segmentation.unmatchedNoteCount,
  };
}
