/**
 * Digital spiral analysis (measures.md section 3; analysis contract, spiral rows and the "Spiral
 * centre" and "No tremor" notes).
 *
 * Pipeline:
 * 1. Pen-down segments (`splitSegments`: lifts and gaps > 50 ms); speed, drawing time, lifts and
 *    pressure from the raw samples.
 * 2. Geometry from the raw pen-down samples (`fitSpiral`): centre by least squares of r = a + bθ
 *    started from the first pen-down point and from the centroid (the better fit kept); θ increases
 *    along the drawing, b < 0 ⇔ inward; `POOR_SPIRAL_FIT` when R² < 0.9 or less than one turn.
 * 3. Tremor from the unfiltered radial residual r − (a + bθ) of the raw samples, resampled to 100 Hz
 *    on the real time stamps per segment; Welch (2-s Hann windows, 50 % overlap, linear detrend, one-
 *    sided density) pooled over segments; peak in 3–12 Hz refined by parabolic interpolation of
 *    log-PSD; P_band over |f − f_peak| ≤ 1 Hz; A_pp = 2√2·√P_band. The values stay numeric without a
 *    clear peak, and `NO_TREMOR_PEAK` is raised (see `tremorPeak` for when a peak stood out).
 * 4. r(θ) indices (SWVI, smoothness, zero crossings) and LDLJ per turn from the kinematic positions
 *    (`penKinematics`: 100 Hz, 2nd-order Butterworth forward–backward at 10 Hz, correction 19; the
 *    first and last 0.1 s of each segment left out as filter transients), with the centre and
 *    rotation sense of step 2, on a monotonic θ grid of 2° steps.
 * 5. Several spirals in one recording (`input.trials`, from the spiral task's trial markers): steps 1–4
 *    per kept spiral, and per metric the median over the spirals (`analyzeSpirals`).
 */
import { CodedError } from '../../errors/catalogue.js';
import { cvPct, mean, median, norm2 } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { PenInput } from '../inputs.js';
import type { MetricDefinition } from '../metric.js';
import type { TaskAnalyzer } from '../task.js';
import { ldljVelocity, penKinematics } from './kinematics.js';
import { pathLengthMm, penDownTimeMs, pressureMean, splitSegments, type Segment } from './segments.js';
import {
  fitSpiral,
  smoothnessIndices,
  spiralWidthVariability,
  thetaGrid,
  unwrappedAngles,
  type SpiralFit,
} from './spiral-geometry.js';
import { dropUncalibratedMillimetres, withScaleRule } from './screen-scale.js';
import { pooledWelch, resampleSegments, SPECTRUM_FS_HZ, tremorPeak } from './spiral-spectrum.js';
import { penTrialInputs } from './trials.js';

/** Fits with R² below this are flagged `POOR_SPIRAL_FIT` [S]. */
export const MIN_SPIRAL_R_SQUARED = 0.9;
/** Drawings of less than this many turns are flagged `POOR_SPIRAL_FIT` [S]. */
export const MIN_SPIRAL_TURNS = 1;

const SPECTRUM =
  'radial residual r − (a + bθ) of the raw pen-down samples (centre and fit as spiral_tightness_mm_per_turn), ' +
  'resampled to 100 Hz by linear interpolation on the real time stamps within each pen-down segment; Welch PSD ' +
  '(2-s periodic Hann windows, 50 % overlap, linear detrend per window, one-sided density) averaged over all ' +
  'windows of all segments ≥ 2 s';
const TREMOR_CITATION =
  'Elble & Ellenbogen 2017, Tremor Other Hyperkinet Mov 7:481; Pullman 1998, Mov Disord 13(Suppl 3):85–89; ' +
  'measures.md §3.3, corrections 8–9';
const THETA_GRID =
  'on the monotonic θ grid: positions resampled to 100 Hz and low-passed (2nd-order Butterworth, forward–' +
  'backward, fc 10 Hz) per segment, the first and last 0.1 s of each segment left out (filter transients), r and ' +
  'θ around the fitted centre, only samples whose θ exceeds all earlier θ, r linearly interpolated every 2° of θ';

const metric = (
  id: string,
  unit: string,
  definition: string,
  citation: string,
  direction: MetricDefinition['direction'],
  logScale: boolean,
  origin: MetricDefinition['origin'] = 'measures',
): MetricDefinition => ({
  id,
  task: 'spiral',
  unit,
  definition,
  citation,
  version: '1.0.0',
  origin,
  direction,
  logScale,
});

/** What the definition of every per-spiral metric adds (several spirals in one recording). */
export const TRIALS_NOTE =
  ' A recording of several spirals (the spiral task: trial markers and params.attempts) is analysed per kept ' +
  'spiral (redone, empty and cut-short attempts left out), and the value is the median over the kept spirals ' +
  'where it is computed (spiral_trial_count); an input without trial markers (contract CSV, older recordings) is ' +
  'one drawing.';

/** `x.y.z` → `x.(y+1).0`. */
function bumpMinor(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${(minor ?? 0) + 1}.0`;
}

/**
 * The per-recording rule for several spirals written into each metric: {@link TRIALS_NOTE} added to the
 * definition, minor version bumped (values of one-drawing inputs are unchanged).
 */
function withTrialsRule(definitions: readonly MetricDefinition[]): MetricDefinition[] {
  return definitions.map((d) => ({
    ...d,
    definition: d.definition + TRIALS_NOTE,
    version: bumpMinor(d.version),
  }));
}

/** The metrics computed around the fitted centre (spiral-geometry.ts `fitSpiral`). */
const CENTRE_FIT_METRICS: ReadonlySet<string> = new Set([
  'tremor_peak_frequency_hz',
  'tremor_amplitude_pp_mm',
  'relative_band_power',
  'ftm_like_severity_score',
  'spiral_tightness_mm_per_turn',
  'spiral_fit_residue_ratio',
  'spiral_turn_count',
  'spiral_width_variability',
  'first_order_smoothness_log',
  'second_order_smoothness_log',
  'first_order_zero_crossings_per_turn',
  'ldlj_per_turn_median',
]);

/**
 * Patch versions of the metrics computed around the fitted centre. Change history: x.y.0 → x.y.1, the
 * centre found by Gauss–Newton after a few Nelder–Mead steps instead of by Nelder–Mead alone (centres
 * within the former 10⁻⁷-of-the-extent tolerance; values within 10⁻⁶ relative on the public data sets).
 */
function withCentreFitPatch(definitions: readonly MetricDefinition[]): MetricDefinition[] {
  return definitions.map((d) => {
    if (!CENTRE_FIT_METRICS.has(d.id)) return d;
    const [major, minor, patch] = d.version.split('.').map(Number);
    return { ...d, version: `${major}.${minor ?? 0}.${(patch ?? 0) + 1}` };
  });
}

/** The spiral metric catalogue. */
export const SPIRAL_METRICS: readonly MetricDefinition[] = [
  ...withCentreFitPatch(withTrialsRule(withScaleRule(perSpiralMetrics()))),
  metric(
    'spiral_trial_count',
    'count',
    'Number of spirals analysed: the kept spirals of a recording of several (trial markers of the spiral task; ' +
      'redone, empty and cut-short attempts left out) with at least 3 pen-down samples; 1 for an input without ' +
      'trial markers (contract CSV input, older recordings), which is analysed as one drawing.',
    '[S] project definition; measures.md §3.2 item 3 (5 freehand + 2 traced spirals per hand)',
    'neutral',
    false,
  ),
];

/** The metrics computed for each spiral. */
function perSpiralMetrics(): MetricDefinition[] {
  return [
    metric(
      'tremor_peak_frequency_hz',
      'Hz',
      `Frequency of the largest PSD bin in 3–12 Hz of the ${SPECTRUM}, refined by the vertex of the parabola ` +
        'through log-PSD at that bin and its two neighbours (kept within 3–12 Hz). Numeric even without a clear ' +
        'peak (then flagged NO_TREMOR_PEAK: the peak bin is not a local maximum, is < 5× the median PSD of the ' +
        'bins 1–3 Hz from it, or lies within ±0.25 Hz of k·f_turn, k = 1–5).',
      TREMOR_CITATION,
      'neutral',
      false,
      'contract',
    ),
    metric(
      'tremor_amplitude_pp_mm',
      'mm',
      `Peak-to-peak radial tremor displacement 2√2·√P_band, P_band = Σ PSD·Δf over the bins with |f − f_peak| ≤ ` +
        `1 Hz of the ${SPECTRUM} (f_peak = tremor_peak_frequency_hz).`,
      TREMOR_CITATION,
      'higher-worse',
      true,
      'contract',
    ),
    metric(
      'mean_speed_mm_per_s',
      'mm/s',
      'Path length summed within pen-down segments / pen-down time (sum of segment durations); segments split at ' +
        'pen_down = 0 and gaps > 50 ms.',
      'Saunders-Pullman et al. 2008, Mov Disord 23:531–537; measures.md §3.3',
      'lower-worse',
      false,
      'contract',
    ),
    metric(
      'spiral_width_variability',
      '1',
      `SWVI = SD(w)/|mean(w)| (sample SD) of the loop spacing w(θ) = r(θ + 2π) − r(θ) for θ ≤ θ_max − 2π, ${THETA_GRID}. ` +
        '0 for a perfect Archimedean spiral.',
      'San Luciano et al. 2016, PLoS One 11:e0162799 (index name); formula [S]; measures.md §3.3, correction 7',
      'higher-worse',
      true,
      'contract',
    ),
    metric(
      'pressure_mean',
      '0–1',
      'Mean pressure over pen-down samples; null without a pressure column.',
      'AAN 2016 abstract P1.039 (pressure in DYT1/DYT6 dystonia); measures.md §3.3',
      'neutral',
      false,
      'contract',
    ),
    metric(
      'relative_band_power',
      '1',
      `P_band (as tremor_amplitude_pp_mm) / Σ PSD·Δf over 1–20 Hz of the ${SPECTRUM}.`,
      '[S] project definition, by analogy with the phone-tremor relative band power; measures.md §3.3, §7.3',
      'higher-worse',
      false,
    ),
    metric(
      'ftm_like_severity_score',
      '0–4',
      'FTM_est = (log10(tremor_amplitude_pp_mm/10) + 1.27)/0.6, clipped to 0–4 (Elble 2017 relation, which is in cm). ' +
        'Only a conversion aid, valid for the mean of Fahn–Tolosa–Marín template spirals in essential tremor; not ' +
        'for dystonia and not for one spiral.',
      'Elble & Ellenbogen 2017, Tremor Other Hyperkinet Mov 7:481; measures.md §3.3, correction 4',
      'higher-worse',
      false,
    ),
    metric(
      'spiral_tightness_mm_per_turn',
      'mm/turn',
      'Loop spacing 2π·|b| of the least-squares fit r = a + bθ: centre fitted by least squares of r = a + bθ ' +
        '(Nelder–Mead from the first pen-down point and from the centroid, the better fit kept), θ = s·unwrap(atan2(y − ' +
        'c_y, x − c_x)) with s the sign of the net rotation, raw pen-down samples.',
      'San Luciano et al. 2016, PLoS One 11:e0162799; Wang et al. 2008, J Neurosci Methods 171:264–270 (centre fit); ' +
        'formula [S]; measures.md §3.3, correction 7',
      'neutral',
      false,
    ),
    metric(
      'spiral_fit_residue_ratio',
      '1',
      'RMS of r − (a + bθ) over the raw pen-down samples / mean r (fit as spiral_tightness_mm_per_turn).',
      'AAN 2016 abstract P1.039 ("residue of radius vs θ"); formula [S]; measures.md §3.3',
      'higher-worse',
      true,
    ),
    metric(
      'first_order_smoothness_log',
      'ln(mm²/rad²)',
      `ln(mean((dr/dθ − b)²)), dr/dθ by central differences ${THETA_GRID}; b from the Archimedean fit.`,
      'Saunders-Pullman et al. 2008, Mov Disord 23:531–537; San Luciano et al. 2016 (index names); formula [S]; ' +
        'measures.md §3.3',
      'higher-worse',
      false,
    ),
    metric(
      'second_order_smoothness_log',
      'ln(mm²/rad⁴)',
      `ln(mean((d²r/dθ²)²)), second derivative by repeated central differences ${THETA_GRID}.`,
      'Saunders-Pullman et al. 2008, Mov Disord 23:531–537; San Luciano et al. 2016 (index names); formula [S]; ' +
        'measures.md §3.3',
      'higher-worse',
      false,
    ),
    metric(
      'first_order_zero_crossings_per_turn',
      'count/turn',
      `Sign changes of d(r − a − bθ)/dθ (exact zeros skipped) per turn of the grid, ${THETA_GRID}.`,
      'Saunders-Pullman et al. 2008, Mov Disord 23:531–537 (index name); formula [S]; measures.md §3.3',
      'higher-worse',
      false,
    ),
    metric(
      'ldlj_per_turn_median',
      '1',
      'Median over complete turns of the log dimensionless jerk, velocity form −ln((t2 − t1)³/max‖v‖² · ∫‖d²v/dt²‖² ' +
        'dt), velocity of the 100-Hz, 10-Hz low-passed positions (first and last 0.1 s of each segment left out); a ' +
        'turn is each 2π of the running maximum of θ from the first sample, inside one pen-down segment. Higher = ' +
        'smoother.',
      'Balasubramanian et al. 2012, IEEE Trans Biomed Eng 59:2126–2136, and 2015, J Neuroeng Rehabil 12:112; Hogan ' +
        '& Sternad 2009, J Mot Behav 41:529–534; measures.md §3.3, §4.3, corrections 5 and 19',
      'lower-worse',
      false,
    ),
    metric(
      'spiral_turn_count',
      'turns',
      'Net rotation of the drawing around the fitted centre / 2π.',
      '[S] project definition; measures.md §3.2–3.3',
      'neutral',
      false,
    ),
    metric(
      'drawing_time_s',
      's',
      'Time from the first to the last pen-down sample, pauses and lifts included.',
      '[S] project definition; measures.md §3.3',
      'neutral',
      false,
    ),
    metric(
      'pen_lift_count',
      'count',
      'Pen lifts: runs of pen_down = 0 samples with pen-down samples before and after them.',
      '[S] project definition; measures.md §1 item 7, §3.2',
      'higher-worse',
      false,
    ),
    metric(
      'pressure_cv_pct',
      '%',
      'Sample SD / mean × 100 of the pressure over pen-down samples; null without a pressure column.',
      'AAN 2016 abstract P1.039 (pressure in DYT1/DYT6 dystonia); measures.md §3.3',
      'higher-worse',
      true,
    ),
    metric(
      'pressure_peak_frequency_hz',
      'Hz',
      'Dominant frequency of pressure: largest PSD bin in 3–12 Hz of the pressure over pen-down samples, resampled, ' +
        'Welch PSD and parabolic refinement as tremor_peak_frequency_hz; null without pressure or pressure power.',
      'AAN 2016 abstract P1.039 ("pressure-frequency"); band and method [S]; measures.md §3.3',
      'neutral',
      false,
    ),
  ];
}

/** Indices of the samples inside pen-down segments, in time order. */
export function penDownIndices(segments: readonly Segment[]): number[] {
  const out: number[] = [];
  for (const { start, end } of segments) for (let i = start; i < end; i++) out.push(i);
  return out;
}

/** Pen lifts: runs of pen-up samples with pen-down samples before and after them. */
export function countPenLifts(input: PenInput): number {
  const { penDown } = input;
  if (!penDown) return 0;
  let lifts = 0;
  let seenDown = false;
  let upPending = false;
  for (let i = 0; i < penDown.length; i++) {
    if (penDown[i] !== 1) {
      upPending ||= seenDown;
    } else {
      if (upPending) lifts++;
      upPending = false;
      seenDown = true;
    }
  }
  return lifts;
}

/** values[indices[k]] for every k, as a typed array (a loop: Array.prototype.map costs more here). */
function pick(values: ArrayLike<number>, indices: readonly number[]): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]!]!;
  return out;
}

/**
 * Pressure CV over the pen-down samples: sample SD / mean × 100; null without a pressure column, with
 * fewer than 2 pen-down samples or a zero mean.
 */
export function pressureCvPct(input: PenInput, indices: readonly number[]): number | null {
  const pressure = input.pressure;
  if (!pressure) return null;
  const cv = indices.length >= 2 ? cvPct(pick(pressure, indices)) : Number.NaN;
  return Number.isFinite(cv) ? cv : null;
}

/** Pressure metrics shared by the pen analyses: CV and the dominant 3–12 Hz frequency over pen-down samples. */
export function pressureExtras(
  input: PenInput,
  segments: readonly Segment[],
  indices: readonly number[],
): { cvPct: number | null; peakHz: number | null } {
  if (!input.pressure) return { cvPct: null, peakHz: null };
  const spectrum = pooledWelch(resampleSegments(input, segments, [input.pressure]));
  const peak = spectrum && tremorPeak(spectrum);
  return { cvPct: pressureCvPct(input, indices), peakHz: peak ? peak.frequencyHz : null };
}

/**
 * Time left out at both ends of each segment's low-passed signal, s [S]: the transient of the
 * forward–backward filter with odd padding (position errors up to ~0.03 mm on a curved path within
 * the first 0.05 s, < 0.001 mm after 0.1 s), which would dominate second derivatives and jerk.
 */
export const FILTER_EDGE_S = 0.1;

/** The part of one segment's kinematics that the r(θ) indices and LDLJ use. */
interface Piece {
  x: Float64Array;
  y: Float64Array;
  vx: Float64Array;
  vy: Float64Array;
  dtS: number;
}

/** r(θ) indices and LDLJ per turn from the kinematic (filtered) positions. */
function kinematicIndices(input: PenInput, segments: readonly Segment[], fit: SpiralFit) {
  const pieces: Piece[] = [];
  const edge = Math.round(FILTER_EDGE_S * SPECTRUM_FS_HZ);
  for (const segment of segments) {
    const k = penKinematics(input, segment, { fs: SPECTRUM_FS_HZ });
    if (!k || k.x.length - 2 * edge < 4) continue;
    const cut = (v: Float64Array) => v.subarray(edge, v.length - edge);
    pieces.push({ x: cut(k.x), y: cut(k.y), vx: cut(k.vx), vy: cut(k.vy), dtS: k.dtS });
  }
  const result = {
    swvi: Number.NaN,
    first: Number.NaN,
    second: Number.NaN,
    crossings: Number.NaN,
    ldlj: Number.NaN,
  };
  if (pieces.length === 0) return result;
  const x = concat(pieces.map((k) => k.x));
  const y = concat(pieces.map((k) => k.y));
  const theta = unwrappedAngles(x, y, fit.centreX, fit.centreY);
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    theta[i] = fit.rotationSign * theta[i]!;
    r[i] = norm2(x[i]! - fit.centreX, y[i]! - fit.centreY);
  }
  const grid = thetaGrid(theta, r);
  if (grid) {
    result.swvi = spiralWidthVariability(grid);
    const s = smoothnessIndices(grid, fit.b);
    result.first = s.firstOrderSmoothness;
    result.second = s.secondOrderSmoothness;
    result.crossings = s.zeroCrossingsPerTurn;
  }
  // LDLJ per turn: turn k spans the running maximum of θ from θ0 + 2πk to θ0 + 2π(k + 1)
  const ldljs: number[] = [];
  const theta0 = theta[0]!;
  let runMax = -Infinity;
  let offset = 0;
  let turnStart: { piece: number; index: number } | null = { piece: 0, index: 0 };
  let nextTurn = 1;
  pieces.forEach((k, p) => {
    for (let i = 0; i < k.x.length; i++) {
      runMax = Math.max(runMax, theta[offset + i]!);
      if (runMax < theta0 + 2 * Math.PI * nextTurn) continue;
      while (runMax >= theta0 + 2 * Math.PI * nextTurn) nextTurn++;
      if (turnStart && turnStart.piece === p && i - turnStart.index >= 4) {
        ldljs.push(
          ldljVelocity(k.vx.subarray(turnStart.index, i + 1), k.vy.subarray(turnStart.index, i + 1), k.dtS),
        );
      }
      turnStart = { piece: p, index: i };
    }
    offset += k.x.length;
    if (turnStart && turnStart.piece === p) turnStart = null; // a turn never spans a lift or a gap
  });
  const finite = ldljs.filter(Number.isFinite);
  result.ldlj = finite.length ? median(finite) : Number.NaN;
  return result;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * The spiral analysis (see the module comment).
 * @throws CodedError `E_TOO_FEW_EVENTS` with fewer than 3 pen-down samples
 */
export function analyzeSpiral(input: PenInput): {
  metrics: Record<string, number | null>;
  flags: QualityFlag[];
} {
  const segments = splitSegments(input);
  const indices = penDownIndices(segments);
  if (indices.length < 3) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `a spiral needs at least 3 pen-down samples, got ${indices.length}`,
    );
  }
  const flags: QualityFlag[] = [];
  const m: Record<string, number | null> = {};
  const downMs = penDownTimeMs(input, segments);
  m['mean_speed_mm_per_s'] = downMs > 0 ? pathLengthMm(input, segments) / (downMs / 1000) : null;
  m['drawing_time_s'] = (input.tMs[indices[indices.length - 1]!]! - input.tMs[indices[0]!]!) / 1000;
  m['pen_lift_count'] = countPenLifts(input);
  m['pressure_mean'] = pressureMean(input, segments);
  const pressure = pressureExtras(input, segments, indices);
  m['pressure_cv_pct'] = pressure.cvPct;
  m['pressure_peak_frequency_hz'] = pressure.peakHz;

  const fit = fitSpiral(pick(input.xMm, indices), pick(input.yMm, indices));
  if (!fit || !(fit.rSquared >= MIN_SPIRAL_R_SQUARED) || fit.turns < MIN_SPIRAL_TURNS)
    flags.push('POOR_SPIRAL_FIT');
  if (!fit) return { metrics: m, flags };

  m['spiral_tightness_mm_per_turn'] = 2 * Math.PI * Math.abs(fit.b);
  m['spiral_fit_residue_ratio'] = fit.residualRmsMm / mean(fit.r);
  m['spiral_turn_count'] = fit.turns;

  const residual = new Float64Array(input.tMs.length);
  for (let k = 0; k < indices.length; k++)
    residual[indices[k]!] = fit.r[k]! - (fit.a + fit.b * fit.theta[k]!);
  const spectrum = pooledWelch(resampleSegments(input, segments, [residual]));
  const turnHz = downMs > 0 ? fit.turns / (downMs / 1000) : null;
  const peak = spectrum && tremorPeak(spectrum, turnHz);
  if (!spectrum) flags.push('TOO_FEW_EVENTS');
  else if (!peak?.stoodOut) flags.push('NO_TREMOR_PEAK');
  if (peak) {
    m['tremor_peak_frequency_hz'] = peak.frequencyHz;
    m['tremor_amplitude_pp_mm'] = peak.amplitudePp;
    m['relative_band_power'] = peak.relativeBandPower;
    m['ftm_like_severity_score'] = Math.min(4, Math.max(0, (Math.log10(peak.amplitudePp / 10) + 1.27) / 0.6));
  } else if (spectrum) {
    // no power at all in 3–12 Hz: no tremor
    m['tremor_amplitude_pp_mm'] = 0;
    m['relative_band_power'] = 0;
    m['ftm_like_severity_score'] = 0;
  }

  const k = kinematicIndices(input, segments, fit);
  m['spiral_width_variability'] = k.swvi;
  m['first_order_smoothness_log'] = k.first;
  m['second_order_smoothness_log'] = k.second;
  m['first_order_zero_crossings_per_turn'] = k.crossings;
  m['ldlj_per_turn_median'] = k.ldlj;
  return { metrics: m, flags };
}

/**
 * The spiral analysis of an input with several kept spirals (`input.trials`): {@link analyzeSpiral} per
 * spiral (spirals with fewer than 3 pen-down samples left out), each metric the median over the spirals
 * where it is not null, `spiral_trial_count` the number of spirals analysed, and the flags of every
 * spiral's analysis (a flag raised for any one spiral is raised for the recording). Without trials, the
 * input is one drawing and one spiral.
 * @throws CodedError `E_TOO_FEW_EVENTS` when no spiral has 3 pen-down samples
 */
export function analyzeSpirals(input: PenInput): {
  metrics: Record<string, number | null>;
  flags: QualityFlag[];
} {
  const trials = penTrialInputs(input);
  if (!trials) {
    const single = analyzeSpiral(input);
    return { metrics: { ...single.metrics, spiral_trial_count: 1 }, flags: single.flags };
  }
  const results: ReturnType<typeof analyzeSpiral>[] = [];
  for (const { input: trial } of trials) {
    try {
      results.push(analyzeSpiral(trial));
    } catch (error) {
      if (error instanceof CodedError && error.code === 'E_TOO_FEW_EVENTS') continue;
      throw error;
    }
  }
  if (results.length === 0) {
    throw new CodedError('E_TOO_FEW_EVENTS', 'no kept spiral has at least 3 pen-down samples');
  }
  const metrics: Record<string, number | null> = {};
  for (const { id } of SPIRAL_METRICS) {
    const values = results
      .map((r) => r.metrics[id])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    metrics[id] = values.length > 0 ? median(values) : null;
  }
  metrics['spiral_trial_count'] = results.length;
  return { metrics, flags: [...new Set(results.flatMap((r) => r.flags))].sort() };
}

/** The spiral task's analyser ({@link analyzeSpirals}, then the screen-scale rule). */
export const spiralAnalyzer: TaskAnalyzer<PenInput> = {
  task: 'spiral',
  metrics: SPIRAL_METRICS,
  analyze: (input) => {
    const result = analyzeSpirals(input);
    return { ...result, metrics: dropUncalibratedMillimetres(input, SPIRAL_METRICS, result.metrics) };
  },
};
