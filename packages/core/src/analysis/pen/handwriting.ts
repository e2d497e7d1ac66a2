/**
 * Handwriting kinematics for writer's cramp (measures.md section 4; analysis contract, handwriting
 * rows).
 *
 * Pipeline: pen-down segments (segments.ts: split at pen_down = 0 and at gaps > 50 ms) → kinematics
 * per segment (kinematics.ts: resampled at 200 Hz when the device gives ≥ 133 Hz, else at its median
 * rate; 2nd-order Butterworth forward–backward, fc = 10 Hz; central differences) → strokes cut at the
 * zero crossings of the vertical velocity (with the 30 ms / 0.5 mm noise guard of 4.3) → per-stroke
 * measures averaged over the strokes.
 *
 * Several trials in one recording (`input.trials`, from the task's trial markers): the pipeline per kept
 * trial, on its samples only, and per metric the median over the trials ({@link analyzeHandwritingTrials});
 * the writing speed in letters/min per complete trial of the sentence parts.
 *
 * Orientation convention: `y_mm` grows downwards (screen coordinates, as recordings store it, and as
 * contract CSV files are read). An up-stroke is a stroke with vy < 0 (towards the top of the page), a
 * down-stroke one with vy > 0. Every metric here is symmetric in up and down (the stroke frequency
 * adds both means), so a file whose y grows upwards gives the same values; only the labels would swap.
 */
import { cvPct, lineFit, mean, median, quantile } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import { completeMetrics, type MetricDefinition } from '../metric.js';
import { wantsAny, type AnalyzeOptions, type TaskAnalyzer, type TaskResult } from '../task.js';
import {
  countAccelerationExtrema,
  countSpeedMaxima,
  handwritingRateHz,
  KINEMATIC_CUTOFF_HZ,
  ldljVelocity,
  medianSampleRateHz,
  penKinematics,
  sparc,
  type PenKinematics,
} from './kinematics.js';
import { dropUncalibratedMillimetres, withScaleRule } from './screen-scale.js';
import { recordingFacts, trialComplete } from './recording-facts.js';
import { pathLengthMm, penDownTimeMs, pressureMean, splitSegments, type Segment } from './segments.js';
import { medianOverTrials, trialsNote, withTrialsRule } from './trial-median.js';
import { penTrialInputs } from './trials.js';

/** Strokes shorter than this are noise and merged into their neighbours (measures.md 4.3), ms. */
export const MIN_STROKE_MS = 30;
/** Strokes with less vertical travel than this are noise and merged (measures.md 4.3), mm. */
export const MIN_STROKE_AMPLITUDE_MM = 0.5;
/** Below this median sampling rate the 4–8 Hz stroke rhythm is poorly resolved [S], Hz. */
export const LOW_RATE_HZ = 50;
/** A pen lift is a break (inside a word) unless the pen moves on by more than this many letter widths. */
export const WORD_GAP_LETTER_WIDTHS = 2;
/** Pressure at or above this value counts as saturated (PointerEvent pressure is 0–1). */
export const PRESSURE_SATURATION_LEVEL = 1;
/** Share of saturated pen-down samples from which PRESSURE_SATURATION is raised [S], %. */
export const PRESSURE_SATURATION_FLAG_PCT = 5;
/** Longest pen-down span for which build-up windows are computed (24 h), s. */
const MAX_BUILD_UP_SPAN_S = 24 * 3600;

/** Window of the build-up slopes (measures.md 4.2 H6: metrics per 30-s window), s. */
export const BUILD_UP_WINDOW_S = 30;

/** One stroke: the part of a pen-down segment between two successive zero crossings of vy. */
export interface Stroke {
  /** Index of the segment's kinematics in the list passed to {@link findStrokes}'s caller. */
  segment: number;
  /** Grid samples strictly between the two crossings: [start, end). */
  start: number;
  end: number;
  /** Crossing times (linear interpolation of vy between grid samples), s on the input clock. */
  t0S: number;
  t1S: number;
  /** `up`: vy < 0 (towards the top of the page, y growing downwards); `down`: vy > 0. */
  direction: 'up' | 'down';
  /** Vertical travel |y(t1) − y(t0)| between the crossings, mm (the stroke's size). */
  amplitudeMm: number;
}

/** A zero crossing of vy between grid samples `before` and `after` (vy nonzero at both, opposite signs). */
interface Crossing {
  before: number;
  after: number;
  tS: number;
  yMm: number;
}

/**
 * The strokes of one segment's kinematics: cut at every sign change of vy (exact zeros are skipped),
 * crossing time and position by linear interpolation between the two grid samples around it. Noise
 * guard (measures.md 4.3): while some stroke is shorter than {@link MIN_STROKE_MS} or has less
 * vertical travel than {@link MIN_STROKE_AMPLITUDE_MM}, the one with the least travel is removed
 * together with its two crossings, which merges it with its neighbours (of equal direction). Only
 * complete strokes (between two crossings) are returned; the parts before the first and after the
 * last crossing are not strokes.
 * @param kin - the kinematics of one segment
 * @param segment - the index stored in each stroke's `segment`
 */
export function findStrokes(kin: PenKinematics, segment = 0): Stroke[] {
  const { vy, y, tS } = kin;
  let crossings: Crossing[] = [];
  let last = -1;
  for (let i = 0; i < vy.length; i++) {
    if (vy[i] === 0 || !Number.isFinite(vy[i]!)) continue;
    if (last >= 0 && Math.sign(vy[i]!) !== Math.sign(vy[last]!)) {
      const frac = vy[last]! / (vy[last]! - vy[i]!);
      crossings.push({
        before: last,
        after: i,
        tS: tS[last]! + frac * (tS[i]! - tS[last]!),
        yMm: y[last]! + frac * (y[i]! - y[last]!),
      });
    }
    last = i;
  }
  const spurious = (a: Crossing, b: Crossing): boolean =>
    (b.tS - a.tS) * 1000 < MIN_STROKE_MS || Math.abs(b.yMm - a.yMm) < MIN_STROKE_AMPLITUDE_MM;
  for (;;) {
    let worst = -1;
    for (let k = 0; k + 1 < crossings.length; k++) {
      if (!spurious(crossings[k]!, crossings[k + 1]!)) continue;
      const travel = Math.abs(crossings[k + 1]!.yMm - crossings[k]!.yMm);
      if (worst < 0 || travel < Math.abs(crossings[worst + 1]!.yMm - crossings[worst]!.yMm)) worst = k;
    }
    if (worst < 0) break;
    crossings = [...crossings.slice(0, worst), ...crossings.slice(worst + 2)];
  }
  const strokes: Stroke[] = [];
  for (let k = 0; k + 1 < crossings.length; k++) {
    const a = crossings[k]!;
    const b = crossings[k + 1]!;
    strokes.push({
      segment,
      start: a.after,
      end: b.before + 1,
      t0S: a.tS,
      t1S: b.tS,
      direction: vy[a.after]! < 0 ? 'up' : 'down',
      amplitudeMm: Math.abs(b.yMm - a.yMm),
    });
  }
  return strokes;
}

/**
 * Stroke frequency (measures.md 4.3, contract `stroke_frequency_hz`): 1 / (mean up-stroke duration +
 * mean down-stroke duration), in up–down cycles per second. NaN without at least one stroke of each
 * direction.
 */
export function strokeFrequencyHz(strokes: readonly Stroke[]): number {
  const up = strokes.filter((s) => s.direction === 'up').map((s) => s.t1S - s.t0S);
  const down = strokes.filter((s) => s.direction === 'down').map((s) => s.t1S - s.t0S);
  if (!up.length || !down.length) return Number.NaN;
  return 1 / (mean(up) + mean(down));
}

/** A pen lift or a sample gap between two successive pen-down segments. */
interface Pause {
  /** True when the pen left the surface (pen_down = 0 samples between the segments). */
  lift: boolean;
  durationMs: number;
  /** Horizontal distance from the last pen-down point before to the first one after, mm. */
  dxMm: number;
}

/**
 * The pauses between successive segments. A pause is a lift when some sample between the two
 * segments has pen_down = 0; otherwise (the pen stayed down, or the input has no pen_down column,
 * which means always down) it is a sample gap > 50 ms.
 */
function pausesBetween(input: PenInput, segments: readonly Segment[]): Pause[] {
  const pauses: Pause[] = [];
  for (let k = 0; k + 1 < segments.length; k++) {
    const a = segments[k]!;
    const b = segments[k + 1]!;
    let lift = false;
    if (input.penDown) for (let i = a.end; i < b.start && !lift; i++) lift = input.penDown[i] === 0;
    pauses.push({
      lift,
      durationMs: input.tMs[b.start]! - input.tMs[a.end - 1]!,
      dxMm: input.xMm[b.start]! - input.xMm[a.end - 1]!,
    });
  }
  return pauses;
}

/** Pen-down pressure samples (empty without a pressure column). */
function penDownPressures(input: PenInput, segments: readonly Segment[]): number[] {
  const values: number[] = [];
  if (!input.pressure) return values;
  for (const { start, end } of segments) for (let i = start; i < end; i++) values.push(input.pressure[i]!);
  return values;
}

/**
 * Relative slope of `values` against window centre times in minutes, as % of their mean per minute
 * (least squares). NaN with fewer than 2 windows or a zero mean.
 */
function relativeSlopePctPerMin(centresMin: number[], values: number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  if (m === 0) return Number.NaN;
  return (lineFit(centresMin, values).slope / m) * 100;
}

/**
 * The build-up windows w = 0 … count − 1, [a, b) with a = t0S + w·30 s and b = a + 30 s, as a function
 * from a time (s) to the windows that hold it (none, one, or — when rounding makes two windows
 * overlap by an ulp — two). Only the windows next to ⌊(t − t0S)/30⌋ can hold t.
 */
function buildUpWindows(t0S: number, count: number): (tS: number) => number[] {
  return (tS) => {
    const guess = Math.floor((tS - t0S) / BUILD_UP_WINDOW_S);
    const holding: number[] = [];
    for (let w = Math.max(guess - 1, 0); w <= Math.min(guess + 1, count - 1); w++) {
      const a = t0S + w * BUILD_UP_WINDOW_S;
      const b = a + BUILD_UP_WINDOW_S;
      if (tS >= a && tS < b) holding.push(w);
    }
    return holding;
  };
}

/** The kinematic measures of one stroke. */
interface StrokeMeasures {
  /** Speed maxima inside the stroke (NIV). */
  niv: number;
  /** Extrema of the tangential acceleration inside the stroke (NCA). */
  nca: number;
  /** Largest |vy| in the stroke, mm/s. */
  peakVy: number;
  ldlj: number;
  sparc: number;
}

/** Which smoothness measures of the strokes an analysis wants (they cost the most per stroke). */
interface SmoothnessWanted {
  ldlj: boolean;
  sparc: boolean;
}

/**
 * NIV, NCA, peak |vy|, LDLJ and SPARC of one stroke of the segment whose kinematics are `kin` (LDLJ and
 * SPARC NaN when not wanted).
 */
function strokeMeasures(kin: PenKinematics, s: Stroke, wanted: SmoothnessWanted): StrokeMeasures {
  let peakVy = 0;
  for (let i = s.start; i < s.end; i++) peakVy = Math.max(peakVy, Math.abs(kin.vy[i]!));
  return {
    niv: countSpeedMaxima(kin.speed, s.start, s.end),
    nca: countAccelerationExtrema(kin.tangentialAcc, s.start, s.end),
    peakVy,
    ldlj: wanted.ldlj
      ? ldljVelocity(kin.vx.subarray(s.start, s.end), kin.vy.subarray(s.start, s.end), kin.dtS)
      : Number.NaN,
    sparc: wanted.sparc ? sparc(kin.speed.subarray(s.start, s.end), kin.fs) : Number.NaN,
  };
}

/** Finite values only. */
const finite = (xs: number[]): number[] => xs.filter((v) => Number.isFinite(v));

const CITE_SEG = 'Marquardt & Mai 1994, J Neurosci Methods 52:39–45 (CSWin)';
const REF = (section: string): string => `measures.md §${section}`;

/** What the definition of every per-trial handwriting metric adds (several trials in one recording). */
export const HANDWRITING_TRIALS_NOTE = trialsNote(
  'handwriting trials',
  'handwriting_trial_count',
  'loops and copy',
  'sentence and fast sentence',
);

/** Parts of the handwriting task whose trials write the whole target sentence once (measures.md 4.2 H3, H4). */
export const SENTENCE_PARTS: ReadonlySet<string> = new Set(['sentence', 'fast']);

/** The handwriting metric catalogue (contract IDs first). */
export const HANDWRITING_METRICS: readonly MetricDefinition[] = [
  ...withTrialsRule(perTrialMetrics(), HANDWRITING_TRIALS_NOTE),
  {
    id: 'writing_speed_letters_per_min',
    task: 'handwriting',
    unit: 'letters/min',
    definition:
      'Writing speed of the sentence parts (H3 sentence, H4 fast sentence): letters of the target sentence ' +
      '(params.textLetters: its Unicode letters, without spaces and punctuation) × 60 / the total writing time of ' +
      'the trial (first to last pen-down sample, s), per kept trial ended with Done (trials cut short by Finish ' +
      'or the time limit left out), median over those trials. Null for loops and copy (how much text was written ' +
      'is unknown), and for input without trial markers or without the letter count (contract CSV, older ' +
      'recordings).',
    citation: `Bain et al. 1995, Brain 118:1461–1472; ${REF('4.3')}, ${REF('4.4')}`,
    version: '1.0.0',
    origin: 'measures',
    direction: 'lower-worse',
    logScale: false,
  },
  {
    id: 'handwriting_trial_count',
    task: 'handwriting',
    unit: 'count',
    definition:
      'Number of trials analysed: the kept trials of a recording of several (trial markers of the handwriting ' +
      'task; redone and empty attempts left out, cut-short ones kept by the rule of the other metrics) with ' +
      'samples; 1 for an input without trial markers (contract CSV input, older recordings), which is analysed ' +
      'as one drawing.',
    citation: `[S] project definition; ${REF('4.2')} (loops 2 ×, sentence 3 ×, fast sentence and copy 1 ×)`,
    version: '1.0.0',
    origin: 'measures',
    direction: 'neutral',
    logScale: false,
  },
];

/** The handwriting metrics computed for each trial. */
function perTrialMetrics(): MetricDefinition[] {
  return withScaleRule([
    {
      id: 'stroke_frequency_hz',
      task: 'handwriting',
      unit: 'Hz',
      definition:
        '1 / (mean up-stroke duration + mean down-stroke duration): up–down cycles per second. Strokes are cut at ' +
        'zero crossings of the vertical velocity of the resampled, 10-Hz low-passed pen position (crossings closer ' +
        'than 30 ms or with < 0.5 mm vertical travel merged); only complete strokes between two crossings count.',
      citation: `${CITE_SEG}; Zeuner et al. 2007, Mov Disord 22:1102–1109; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'contract',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'niv_per_stroke',
      task: 'handwriting',
      unit: 'count/stroke',
      definition:
        'Number of inversions of velocity: local maxima of tangential speed strictly inside each stroke ' +
        '(first and last grid sample excluded), averaged over strokes; a fluent stroke has 1.',
      citation: `${CITE_SEG}; LEKH, Acta Neurol Belg 2024; ${REF('4.3')} (correction 6)`,
      version: '1.0.0',
      origin: 'contract',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'mean_speed_mm_per_s',
      task: 'handwriting',
      unit: 'mm/s',
      definition:
        'Path length / pen-down time on the raw samples: length summed within pen-down segments (split at ' +
        'pen_down = 0 and gaps > 50 ms), time = sum of segment durations.',
      citation: `Analysis contract; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'contract',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'pressure_mean',
      task: 'handwriting',
      unit: '0–1',
      definition: 'Mean pressure over pen-down samples; null without a pressure column.',
      citation: `Hermsdörfer et al. 2011, Hum Mov Sci 30:807–817; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'contract',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'stroke_count',
      task: 'handwriting',
      unit: 'count',
      definition: 'Number of complete strokes (between two retained vertical-velocity zero crossings).',
      citation: `${CITE_SEG}; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'neutral',
      logScale: false,
    },
    {
      id: 'stroke_duration_mean_ms',
      task: 'handwriting',
      unit: 'ms',
      definition:
        'Mean time between successive retained vertical-velocity zero crossings (up and down strokes).',
      citation: `${CITE_SEG}; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'stroke_duration_cv_pct',
      task: 'handwriting',
      unit: '%',
      definition: 'Sample SD / mean × 100 of the stroke durations.',
      citation: `${CITE_SEG}; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: true,
    },
    {
      id: 'stroke_amplitude_mean_mm',
      task: 'handwriting',
      unit: 'mm',
      definition: 'Mean vertical travel of a stroke (|Δy| between its two crossings): the stroke size.',
      citation: `${CITE_SEG}; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'neutral',
      logScale: true,
    },
    {
      id: 'stroke_amplitude_cv_pct',
      task: 'handwriting',
      unit: '%',
      definition: 'Sample SD / mean × 100 of the stroke sizes (vertical travel).',
      citation: `${CITE_SEG}; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: true,
    },
    {
      id: 'peak_vertical_velocity_mean_mm_per_s',
      task: 'handwriting',
      unit: 'mm/s',
      definition: 'Maximum |vy| within each stroke, averaged over strokes.',
      citation: `${CITE_SEG}; Zeuner et al. 2007; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'peak_vertical_velocity_cv_pct',
      task: 'handwriting',
      unit: '%',
      definition: 'Sample SD / mean × 100 of the per-stroke peak |vy| (variability of peak velocity).',
      citation: `${CITE_SEG}; Zeuner et al. 2007, Mov Disord 22:1102–1109; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: true,
    },
    {
      id: 'nca_per_stroke',
      task: 'handwriting',
      unit: 'count/stroke',
      definition:
        'Number of changes of acceleration: local extrema (maxima and minima) of the tangential acceleration ' +
        'd‖v‖/dt strictly inside each stroke, averaged over strokes; a fluent bell-shaped stroke has 2. Not yet ' +
        'checked against the CSWin definition.',
      citation: `${CITE_SEG}; ${REF('4.3')} (correction 6)`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'peak_acceleration_p95_mm_per_s2',
      task: 'handwriting',
      unit: 'mm/s²',
      definition:
        '95th percentile (type 7) of the acceleration magnitude ‖a‖ over all resampled pen-down samples ' +
        '(10-Hz low-passed position, central differences).',
      citation: `Bukhari-Parlakturk et al. 2023 (peak accelerations); ${REF('4.3')} (this definition [S])`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'neutral',
      logScale: true,
    },
    {
      id: 'ldlj_stroke_median',
      task: 'handwriting',
      unit: '1',
      definition:
        'Median over strokes of the log dimensionless jerk, velocity form: −ln((T³ / max‖v‖²) · ∫‖d²v/dt²‖² dt) ' +
        'on the velocity vector of each stroke (T = its duration on the grid); higher = smoother.',
      citation:
        'Hogan & Sternad 2009, J Mot Behav 41:529–534; Balasubramanian et al. 2012, IEEE Trans Biomed Eng ' +
        `59:2126–2136 and 2015, J Neuroeng Rehabil 12:112; ${REF('4.3')} (correction 5)`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'sparc_stroke_median',
      task: 'handwriting',
      unit: '1',
      definition:
        'Median over strokes of the spectral arc length of the tangential speed (authors’ defaults: fc = 10 Hz, ' +
        'amplitude threshold 0.05, padlevel 4); closer to 0 = smoother. Strokes are not rest-to-rest movements, ' +
        'for which SPARC was validated.',
      citation: `Balasubramanian et al. 2015, J Neuroeng Rehabil 12:112; ${REF('4.3')} (correction 22)`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'pressure_cv_pct',
      task: 'handwriting',
      unit: '%',
      definition: 'Sample SD / mean × 100 of pressure over pen-down samples; null without a pressure column.',
      citation: `Hermsdörfer et al. 2011; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'neutral',
      logScale: true,
    },
    {
      id: 'pressure_saturation_pct',
      task: 'handwriting',
      unit: '%',
      definition:
        'Share of pen-down samples with pressure ≥ 1 (the top of the 0–1 range: the digitiser saturated); ' +
        'null without a pressure column.',
      citation: `${REF('4.1')} (saturation of consumer tablets), ${REF('4.3')} [S]`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'pen_lift_count',
      task: 'handwriting',
      unit: 'count',
      definition:
        'Pen lifts between pen-down segments: pauses with pen_down = 0 samples between them (a pause without ' +
        'them, or in an input without a pen_down column, is a sample gap, not a lift).',
      citation: `LEKH, Acta Neurol Belg 2024; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'break_count',
      task: 'handwriting',
      unit: 'count',
      definition:
        'Pen lifts inside words: lifts after which the pen goes on at a horizontal distance ≤ 2 letter widths ' +
        'from where it left. Letter width = mean horizontal advance per up–down cycle = 2 × Σ(horizontal extent ' +
        'of the segments with strokes) / Σ(their strokes). Null without strokes.',
      citation: `LEKH, Acta Neurol Belg 2024; ${REF('4.3')} (rule [S])`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'paper_time_s',
      task: 'handwriting',
      unit: 's',
      definition:
        'Time the pen touched the surface: sum of pen-down segment durations plus the sample gaps between ' +
        'segments that are not lifts (the pen stayed down).',
      citation: `LEKH, Acta Neurol Belg 2024; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'air_time_s',
      task: 'handwriting',
      unit: 's',
      definition:
        'Time in the air between pen-down segments: sum of lift durations (last pen-down sample before to first ' +
        'after), whether or not hover samples were recorded; not before the first or after the last contact.',
      citation: `LEKH, Acta Neurol Belg 2024; ${REF('4.3')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
    {
      id: 'total_writing_time_s',
      task: 'handwriting',
      unit: 's',
      definition: 'First to last pen-down sample (paper time + air time).',
      citation: `Exploratory battery, J Clin Mov Disord 2017 (total writing duration); ${REF('4.1')}`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'neutral',
      logScale: false,
    },
    {
      id: 'stroke_frequency_slope_pct_per_min',
      task: 'handwriting',
      unit: '%/min',
      definition:
        'Build-up: least-squares slope of the stroke frequency of successive full 30-s windows (from the first ' +
        'pen-down sample; strokes by start time) against window centre time, as % of the mean over windows per ' +
        'minute; null with fewer than 2 windows with strokes of both directions (recordings < 60 s).',
      citation: `${REF('4.2')} H6 and ${REF('4.3')} (build-up slope [S])`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'lower-worse',
      logScale: false,
    },
    {
      id: 'pressure_slope_pct_per_min',
      task: 'handwriting',
      unit: '%/min',
      definition:
        'Build-up: least-squares slope of the mean pen-down pressure of successive full 30-s windows against ' +
        'window centre time, as % of the mean over windows per minute; null without pressure or < 2 windows.',
      citation: `${REF('4.2')} H6 and ${REF('4.3')} (build-up slope [S])`,
      version: '1.0.0',
      origin: 'measures',
      direction: 'higher-worse',
      logScale: false,
    },
  ]);
}

/**
 * Computes every handwriting metric (see {@link HANDWRITING_METRICS}). Never throws for short or
 * degenerate input: metrics that cannot be computed are null (never NaN) and TOO_FEW_EVENTS is raised when no complete stroke of each direction was found.
 */
export function analyzeHandwriting(input: PenInput, options: AnalyzeOptions = { hand: null }): TaskResult {
  const smoothness: SmoothnessWanted = {
    ldlj: wantsAny(options, 'ldlj_stroke_median'),
    sparc: wantsAny(options, 'sparc_stroke_median'),
  };
  const flags: QualityFlag[] = [];
  const values: Record<string, number> = {};
  const segments = splitSegments(input);
  const pauses = pausesBetween(input, segments);
  const lifts = pauses.filter((p) => p.lift);
  if (lifts.length) flags.push('PEN_LIFTS');
  if (pauses.length > lifts.length) flags.push('SAMPLE_GAPS');

  // contract metrics on the raw samples
  const downMs = penDownTimeMs(input, segments);
  values.mean_speed_mm_per_s = downMs > 0 ? pathLengthMm(input, segments) / (downMs / 1000) : Number.NaN;
  values.pressure_mean = pressureMean(input, segments) ?? Number.NaN;

  // pressure
  const pressures = penDownPressures(input, segments);
  if (pressures.length) {
    const saturated = pressures.filter((p) => p >= PRESSURE_SATURATION_LEVEL).length;
    values.pressure_saturation_pct = (saturated / pressures.length) * 100;
    if (values.pressure_saturation_pct >= PRESSURE_SATURATION_FLAG_PCT) flags.push('PRESSURE_SATURATION');
    values.pressure_cv_pct = mean(pressures) > 0 ? cvPct(pressures) : Number.NaN;
  }

  // timing of contact and lifts
  const gapMs = pauses.filter((p) => !p.lift).reduce((s, p) => s + p.durationMs, 0);
  const airMs = lifts.reduce((s, p) => s + p.durationMs, 0);
  if (segments.length) {
    values.paper_time_s = (downMs + gapMs) / 1000;
    values.air_time_s = airMs / 1000;
    values.total_writing_time_s =
      (input.tMs[segments[segments.length - 1]!.end - 1]! - input.tMs[segments[0]!.start]!) / 1000;
    values.pen_lift_count = lifts.length;
  }

  // kinematics and strokes
  const nativeHz = medianSampleRateHz(input, segments);
  if (nativeHz < LOW_RATE_HZ || nativeHz <= 2 * KINEMATIC_CUTOFF_HZ) flags.push('LOW_SAMPLING_RATE');
  const fs = handwritingRateHz(nativeHz);
  // Each segment's kinematics are used right away (strokes, their measures, the accelerations) and
  // then dropped: a long recording never holds the kinematics of all its segments at once.
  const strokes: Stroke[] = [];
  const measures: StrokeMeasures[] = [];
  const accParts: Float64Array[] = [];
  let extentMm = 0;
  let extentStrokes = 0;
  for (const segment of segments) {
    const kin = Number.isFinite(fs) ? penKinematics(input, segment, { fs }) : null;
    if (!kin) continue;
    const found = findStrokes(kin, accParts.length);
    accParts.push(kin.acc);
    for (const stroke of found) {
      strokes.push(stroke);
      measures.push(strokeMeasures(kin, stroke, smoothness));
    }
    if (found.length) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = segment.start; i < segment.end; i++) {
        lo = Math.min(lo, input.xMm[i]!);
        hi = Math.max(hi, input.xMm[i]!);
      }
      extentMm += hi - lo;
      extentStrokes += found.length;
    }
  }
  if (accParts.length) {
    const acc = new Float64Array(accParts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of accParts) {
      acc.set(part, offset);
      offset += part.length;
    }
    values.peak_acceleration_p95_mm_per_s2 = quantile(acc, 0.95);
  }
  const letterWidthMm = extentStrokes > 0 ? (2 * extentMm) / extentStrokes : Number.NaN;
  if (letterWidthMm > 0) {
    values.break_count = lifts.filter(
      (p) => Math.abs(p.dxMm) <= WORD_GAP_LETTER_WIDTHS * letterWidthMm,
    ).length;
  }

  values.stroke_count = strokes.length;
  values.stroke_frequency_hz = strokeFrequencyHz(strokes);
  if (!Number.isFinite(values.stroke_frequency_hz)) flags.push('TOO_FEW_EVENTS');
  if (strokes.length) {
    const durations = strokes.map((s) => (s.t1S - s.t0S) * 1000);
    const sizes = strokes.map((s) => s.amplitudeMm);
    const peakVy = measures.map((m) => m.peakVy);
    values.niv_per_stroke = mean(measures.map((m) => m.niv));
    values.nca_per_stroke = mean(measures.map((m) => m.nca));
    values.stroke_duration_mean_ms = mean(durations);
    values.stroke_duration_cv_pct = cvPct(durations);
    values.stroke_amplitude_mean_mm = mean(sizes);
    values.stroke_amplitude_cv_pct = cvPct(sizes);
    values.peak_vertical_velocity_mean_mm_per_s = mean(peakVy);
    values.peak_vertical_velocity_cv_pct = cvPct(peakVy);
    values.ldlj_stroke_median = median(finite(measures.map((m) => m.ldlj)));
    values.sparc_stroke_median = median(finite(measures.map((m) => m.sparc)));
  }

  // build-up over 30-s windows (none for spans beyond any real recording: the loader refuses spans over
  // 24 h, and analyse() called directly must not allocate a window per 30 s of a corrupt time stamp)
  const spanS = segments.length
    ? (input.tMs[segments[segments.length - 1]!.end - 1]! - input.tMs[segments[0]!.start]!) / 1000
    : 0;
  const buildUp = wantsAny(options, 'stroke_frequency_slope_pct_per_min', 'pressure_slope_pct_per_min');
  if (buildUp && segments.length && spanS <= MAX_BUILD_UP_SPAN_S) {
    const t0S = input.tMs[segments[0]!.start]! / 1000;
    const tEndS = input.tMs[segments[segments.length - 1]!.end - 1]! / 1000;
    const windows = Math.floor((tEndS - t0S) / BUILD_UP_WINDOW_S);
    const windowsOf = buildUpWindows(t0S, windows);
    // one pass over the strokes and the pen-down samples, each added to the window(s) holding its time
    const windowStrokes: Stroke[][] = Array.from({ length: windows }, () => []);
    for (const s of strokes) for (const w of windowsOf(s.t0S)) windowStrokes[w]!.push(s);
    const pressureSum = new Float64Array(windows);
    const pressureCount = new Float64Array(windows);
    if (input.pressure) {
      for (const { start, end } of segments) {
        for (let i = start; i < end; i++) {
          for (const w of windowsOf(input.tMs[i]! / 1000)) {
            pressureSum[w] = pressureSum[w]! + input.pressure[i]!;
            pressureCount[w] = pressureCount[w]! + 1;
          }
        }
      }
    }
    const freqCentres: number[] = [];
    const freqs: number[] = [];
    const pressCentres: number[] = [];
    const press: number[] = [];
    for (let w = 0; w < windows; w++) {
      const centreMin = (w + 0.5) * (BUILD_UP_WINDOW_S / 60);
      const f = strokeFrequencyHz(windowStrokes[w]!);
      if (Number.isFinite(f)) {
        freqCentres.push(centreMin);
        freqs.push(f);
      }
      if (pressureCount[w]! > 0) {
        pressCentres.push(centreMin);
        press.push(pressureSum[w]! / pressureCount[w]!);
      }
    }
    values.stroke_frequency_slope_pct_per_min = relativeSlopePctPerMin(freqCentres, freqs);
    values.pressure_slope_pct_per_min = relativeSlopePctPerMin(pressCentres, press);
  }

  const metrics = completeMetrics(HANDWRITING_METRICS, values);
  return { metrics: dropUncalibratedMillimetres(input, HANDWRITING_METRICS, metrics), flags };
}

/**
 * The writing speed of one trial, letters/min: `textLetters` × 60 / its total writing time, for a
 * complete trial of a sentence part (see `writing_speed_letters_per_min`); NaN otherwise.
 */
export function trialWritingSpeed(
  facts: { part?: string; textLetters?: number },
  complete: boolean,
  totalWritingTimeS: number | null | undefined,
): number {
  if (!complete || facts.part === undefined || !SENTENCE_PARTS.has(facts.part)) return Number.NaN;
  if (facts.textLetters === undefined || typeof totalWritingTimeS !== 'number' || !(totalWritingTimeS > 0)) {
    return Number.NaN;
  }
  return (facts.textLetters * 60) / totalWritingTimeS;
}

/**
 * The handwriting analysis of an input with several kept trials (`input.trials`): {@link
 * analyzeHandwriting} per trial (on its samples only), each metric the median over the trials where it
 * is not null, the writing speed per complete sentence trial ({@link trialWritingSpeed}) and its median,
 * `handwriting_trial_count` the number of trials analysed, and the flags of every trial's analysis (a
 * flag raised for any one trial is raised for the recording). Without trials, the input is one drawing
 * (writing speed null, trial count 1).
 */
export function analyzeHandwritingTrials(
  input: PenInput,
  options: AnalyzeOptions = { hand: null },
): TaskResult {
  const trials = penTrialInputs(input);
  if (!trials) {
    const single = analyzeHandwriting(input, options);
    return { metrics: { ...single.metrics, handwriting_trial_count: 1 }, flags: single.flags };
  }
  const facts = recordingFacts(input);
  const results = trials.map(({ trial, input: sub }) => {
    const result = analyzeHandwriting(sub, options);
    const speed = trialWritingSpeed(facts, trialComplete(trial), result.metrics['total_writing_time_s']);
    return { ...result, metrics: { ...result.metrics, writing_speed_letters_per_min: speed } };
  });
  const metrics = medianOverTrials(
    results.map((r) => r.metrics),
    HANDWRITING_METRICS.map((d) => d.id),
  );
  metrics['handwriting_trial_count'] = results.length;
  return {
    metrics: completeMetrics(HANDWRITING_METRICS, metrics),
    flags: [...new Set(results.flatMap((r) => r.flags))].sort(),
  };
}

/** Handwriting analysis (measures.md section 4): see {@link analyzeHandwritingTrials}. */
export const handwritingAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'handwriting',
  metrics: HANDWRITING_METRICS,
  analyze: (input, options) => analyzeHandwritingTrials(input, options),
};
