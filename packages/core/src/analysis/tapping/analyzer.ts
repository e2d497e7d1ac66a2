import { CodedError } from '../../errors/catalogue.js';
import { cvPct, lineFit, mean, median, sampleSd } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { Tap, TappingInput } from '../inputs.js';
import { completeMetrics } from '../metric.js';
import type { TaskAnalyzer, TaskResult } from '../task.js';
import {
  CONTINUATION_SKIP,
  MIN_CONTINUATION_INTERVALS,
  MIN_WK_INTERVALS,
  RATE_WINDOW_MS,
  TAPPING_METRICS,
} from './definitions.js';
import { wingKristofferson } from './wing-kristofferson.js';

/** A target centre, mm, in the coordinates of the taps' `xMm`/`yMm`. */
export interface TargetCentre {
  xMm: number;
  yMm: number;
}

/**
 * A tapping input that may also carry the target centres by label (recordings know them from the
 * task layout; contract CSV files do not). An optional extension of {@link TappingInput} until the
 * field is part of it.
 */
export type TappingInputWithTargets = TappingInput & {
  targetCentresMm?: Record<string, TargetCentre> | null;
};

/** Inter-tap intervals t_down(i+1) − t_down(i) of taps in down order. */
export function interTapIntervals(taps: readonly Tap[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < taps.length; i++) out.push(taps[i + 1]!.downMs - taps[i]!.downMs);
  return out;
}

/** One tap paired with a metronome click. */
export interface Asynchrony {
  tapIndex: number;
  clickMs: number;
  /** t_down(tap) − t(click), ms. */
  asynchronyMs: number;
}

/**
 * Pairs each tap with the nearest click (analysis contract, measures.md 6.3): the tap is paired when
 * its distance to that click is at most half the click interval on the tap's side of the click
 * (before the click: the interval from the previous click; after: to the next click; at the first or
 * last click, the one interval it has). A tap equidistant from two clicks goes with the earlier.
 * Several taps may pair with one click. With fewer than 2 clicks nothing is paired (no interval).
 * @param beatsMs - click times, ascending
 */
export function pairWithClicks(taps: readonly Tap[], beatsMs: readonly number[]): Asynchrony[] {
  const out: Asynchrony[] = [];
  if (beatsMs.length < 2) return out;
  taps.forEach((tap, tapIndex) => {
    const t = tap.downMs;
    // first click at or after t
    let lo = 0;
    let hi = beatsMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (beatsMs[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    const after = lo < beatsMs.length ? lo : -1;
    const before = lo - 1;
    let k: number;
    if (before < 0) k = after;
    else if (after < 0) k = before;
    else k = t - beatsMs[before]! <= beatsMs[after]! - t ? before : after;
    const click = beatsMs[k]!;
    const a = t - click;
    let interval: number;
    if (a < 0) interval = k > 0 ? click - beatsMs[k - 1]! : beatsMs[k + 1]! - click;
    else interval = k + 1 < beatsMs.length ? beatsMs[k + 1]! - click : click - beatsMs[k - 1]!;
    if (Math.abs(a) <= interval / 2) out.push({ tapIndex, clickMs: click, asynchronyMs: a });
  });
  return out;
}

/**
 * Where the continuation phase starts when the source does not say: half a click interval after the
 * last click (taps up to there can pair with it), provided at least 2 taps come later; else null.
 * @param beatsMs - click times, ascending
 */
export function inferContinuationStart(taps: readonly Tap[], beatsMs: readonly number[]): number | null {
  if (beatsMs.length < 2) return null;
  const last = beatsMs[beatsMs.length - 1]!;
  const start = last + (last - beatsMs[beatsMs.length - 2]!) / 2;
  return taps.filter((tap) => tap.downMs > start).length >= 2 ? start : null;
}

/** The continuation intervals: between successive taps after `fromMs`, without the first {@link CONTINUATION_SKIP}. */
export function continuationIntervals(taps: readonly Tap[], fromMs: number): number[] {
  return interTapIntervals(taps.filter((tap) => tap.downMs > fromMs)).slice(CONTINUATION_SKIP);
}

const distance = (ax: number, ay: number, b: TargetCentre) => Math.hypot(ax - b.xMm, ay - b.yMm);

/** Mean distance of taps from their target centre (by label, else the nearest centre); NaN without centres. */
function spatialError(taps: readonly Tap[], centres: Record<string, TargetCentre> | null): number {
  if (!centres || Object.keys(centres).length === 0) return NaN;
  const all = Object.values(centres);
  const d: number[] = [];
  for (const tap of taps) {
    if (tap.xMm === null || tap.yMm === null) continue;
    const own = tap.target !== null ? centres[tap.target] : undefined;
    d.push(
      own
        ? distance(tap.xMm, tap.yMm, own)
        : Math.min(...all.map((centre) => distance(tap.xMm!, tap.yMm!, centre))),
    );
  }
  return mean(d);
}

/** Mean distance of taps from the mean position of the taps with the same label (labels with ≥ 2 taps). */
function spatialScatter(taps: readonly Tap[]): number {
  const groups = new Map<string, { x: number; y: number }[]>();
  for (const tap of taps) {
    if (tap.target === null || tap.xMm === null || tap.yMm === null) continue;
    const group = groups.get(tap.target) ?? [];
    group.push({ x: tap.xMm, y: tap.yMm });
    groups.set(tap.target, group);
  }
  const d: number[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const centre = { xMm: mean(group.map((p) => p.x)), yMm: mean(group.map((p) => p.y)) };
    for (const p of group) d.push(distance(p.x, p.y, centre));
  }
  return mean(d);
}

/**
 * Analyses one tapping input (measures.md 6.3, analysis contract): taps sorted by down time; every
 * tap counts. Flags: NO_METRONOME without click times, ALTERNATION_ERRORS when the same target was
 * tapped twice in a row, LATENCY_UNCALIBRATED for app clicks without a loop-back calibration (the mean
 * asynchrony is then null), WK_MODEL_VIOLATION, TOO_FEW_EVENTS when the interval metrics, the asynchrony
 * (with clicks) or the continuation metrics (with a continuation phase) lack taps.
 * @throws CodedError `E_TOO_FEW_EVENTS` for an input without taps
 */
export function analyzeTapping(input: TappingInputWithTargets): TaskResult {
  const taps = [...input.taps].sort((a, b) => a.downMs - b.downMs || a.upMs - b.upMs);
  if (taps.length === 0) throw new CodedError('E_TOO_FEW_EVENTS', 'the input has no taps');
  const flags: QualityFlag[] = [];
  let tooFew = false;
  const iti = interTapIntervals(taps);
  const values: Record<string, number> = {
    tap_count: taps.length,
    iti_mean_ms: mean(iti),
    iti_cv_pct: iti.length >= 2 ? cvPct(iti) : NaN,
    dwell_median_ms: median(taps.map((tap) => tap.upMs - tap.downMs)),
  };
  if (iti.length < 2) tooFew = true;

  // Synchronisation with the metronome.
  const beats = [...new Set(input.beatsMs)].sort((a, b) => a - b);
  if (beats.length === 0) flags.push('NO_METRONOME');
  else {
    const pairs = pairWithClicks(taps, beats).map((p) => p.asynchronyMs);
    const correction = input.latencyCorrectionMs;
    if (correction === null) flags.push('LATENCY_UNCALIBRATED');
    else values.asynchrony_mean_ms = mean(pairs) - (correction ?? 0);
    values.asynchrony_sd_ms = sampleSd(pairs);
    if (pairs.length < 2) tooFew = true;
  }

  // Alternation and space.
  let labelled = 0;
  let errors = 0;
  for (let i = 0; i < taps.length; i++) {
    if (taps[i]!.target === null) continue;
    labelled++;
    if (i > 0 && taps[i - 1]!.target !== null && taps[i - 1]!.target === taps[i]!.target) errors++;
  }
  values.alternation_error_count = labelled > 0 ? errors : NaN;
  if (errors > 0) flags.push('ALTERNATION_ERRORS');
  values.spatial_error_mean_mm = spatialError(taps, input.targetCentresMm ?? null);
  values.spatial_scatter_mean_mm = spatialScatter(taps);

  // Fatigue / decrement.
  if (iti.length >= 3) {
    const t0 = taps[0]!.downMs;
    const midS = iti.map((_, i) => ((taps[i]!.downMs + taps[i + 1]!.downMs) / 2 - t0) / 1000);
    values.iti_slope_ms_per_s = lineFit(midS, iti).slope;
  }
  const first = taps[0]!.downMs;
  const last = taps[taps.length - 1]!.downMs;
  if (last - first >= 2 * RATE_WINDOW_MS) {
    const early = taps.filter((tap) => tap.downMs < first + RATE_WINDOW_MS).length;
    const late = taps.filter((tap) => tap.downMs > last - RATE_WINDOW_MS).length;
    values.tap_rate_last_first_ratio = late / early;
  }

  // Synchronisation–continuation.
  if (input.continuationFromMs !== null) {
    const intervals = continuationIntervals(taps, input.continuationFromMs);
    if (intervals.length >= MIN_CONTINUATION_INTERVALS) {
      values.continuation_iti_mean_ms = mean(intervals);
      values.continuation_iti_cv_pct = cvPct(intervals);
      values.continuation_drift_ms_per_tap = lineFit(
        intervals.map((_, i) => i),
        intervals,
      ).slope;
    } else tooFew = true;
    const wk = wingKristofferson([intervals], MIN_WK_INTERVALS);
    if (wk) {
      values.wk_motor_variance_ms2 = wk.motorVarianceMs2;
      values.wk_timer_variance_ms2 = wk.timerVarianceMs2;
      if (wk.violation) flags.push('WK_MODEL_VIOLATION');
    } else tooFew = true;
  }
  if (tooFew) flags.push('TOO_FEW_EVENTS');
  return { metrics: completeMetrics(TAPPING_METRICS, values), flags };
}

/** The tapping task's analyser (registered in analysis/analyze.ts). */
export const tappingAnalyzer: TaskAnalyzer<TappingInput> = {
  task: 'tapping',
  metrics: TAPPING_METRICS,
  analyze: (input) => analyzeTapping(input),
};
