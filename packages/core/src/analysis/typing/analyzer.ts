import { CodedError } from '../../errors/catalogue.js';
import { iqr, median, quantileSorted, sampleSd, sorted } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { TypingInput } from '../inputs.js';
import { completeMetrics, type MetricValues } from '../metric.js';
import type { TaskAnalyzer, TaskResult } from '../task.js';
import {
  MIN_GROUP_KEYSTROKES,
  MIN_WINDOW_KEYSTROKES,
  PER_FINGER,
  TYPING_METRICS,
  WINDOW_LENGTHS_S,
} from './definitions.js';
import { fingerOf, HANDS, isHandComparable, MODIFIER_CODES } from './keymap.js';
import { digraphs, selectKeystrokes, type Keystroke } from './keystrokes.js';

/** Metrics over the whole file: null for one of them raises TOO_FEW_EVENTS. */
const WHOLE_FILE_IDS = [
  'hold_time_median_ms',
  'hold_time_iqr_ms',
  'iki_median_ms',
  'flight_time_median_ms',
  'hold_time_p90_ms',
  'hold_time_log_diff_sd',
  'backspace_rate_pct',
  'rollover_pct',
] as const;

/** Median, or NaN with fewer than `min` values. */
function medianOf(values: readonly number[], min = 1): number {
  return values.length >= min ? median(values) : Number.NaN;
}

/** Hold-time fluctuation: sample SD of successive differences of ln hold time (NaN with < 3 holds). */
export function logDiffSd(holdsMs: readonly number[]): number {
  const diffs: number[] = [];
  for (let i = 0; i + 1 < holdsMs.length; i++) diffs.push(Math.log(holdsMs[i + 1]!) - Math.log(holdsMs[i]!));
  return sampleSd(diffs);
}

/** Median, IQR and 90th percentile (type 7) of a group of hold times; NaN with fewer than `min` values. */
function distribution(holdsMs: readonly number[], min: number): { median: number; iqr: number; p90: number } {
  if (holdsMs.length < min || holdsMs.length === 0) return { median: NaN, iqr: NaN, p90: NaN };
  const s = sorted(holdsMs);
  return {
    median: quantileSorted(s, 0.5),
    iqr: quantileSorted(s, 0.75) - quantileSorted(s, 0.25),
    p90: quantileSorted(s, 0.9),
  };
}

/**
 * Non-overlapping windows of `lengthMs` from the first keydown, each with the keystrokes whose
 * keydown falls in it; only windows with at least {@link MIN_WINDOW_KEYSTROKES} keystrokes.
 */
export function typingWindows(keystrokes: readonly Keystroke[], lengthMs: number): Keystroke[][] {
  if (keystrokes.length === 0) return [];
  const t0 = keystrokes[0]!.downMs;
  const groups = new Map<number, Keystroke[]>();
  for (const keystroke of keystrokes) {
    const index = Math.floor((keystroke.downMs - t0) / lengthMs);
    const group = groups.get(index);
    if (group) group.push(keystroke);
    else groups.set(index, [keystroke]);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, group]) => group)
    .filter((group) => group.length >= MIN_WINDOW_KEYSTROKES);
}

/**
 * Every typing metric of kept keystrokes (in press order, from {@link selectKeystrokes}). Values
 * that cannot be computed are NaN here (null after completeMetrics).
 */
export function typingMetricValues(keystrokes: readonly Keystroke[]): Record<string, number> {
  const holds = keystrokes.map((k) => k.holdMs);
  const pairs = digraphs(keystrokes);
  const all = distribution(holds, 1);
  const values: Record<string, number> = {
    keystroke_count: keystrokes.length,
    hold_time_median_ms: all.median,
    hold_time_iqr_ms: holds.length >= 2 ? iqr(holds) : NaN,
    hold_time_p90_ms: all.p90,
    iki_median_ms: medianOf(pairs.map((p) => p.ikiMs)),
    flight_time_median_ms: medianOf(pairs.map((p) => p.flightMs)),
    hold_time_log_diff_sd: logDiffSd(holds),
    backspace_rate_pct: keystrokes.length
      ? (100 * keystrokes.filter((k) => k.code === 'Backspace').length) / keystrokes.length
      : NaN,
    rollover_pct: pairs.length ? (100 * pairs.filter((p) => p.flightMs < 0).length) / pairs.length : NaN,
  };

  // Per hand and per finger: keys of the touch-typing map, no modifiers.
  for (const hand of HANDS) {
    const handHolds = keystrokes
      .filter((k) => isHandComparable(k.code) && fingerOf(k.code)!.hand === hand)
      .map((k) => k.holdMs);
    const d = distribution(handHolds, MIN_GROUP_KEYSTROKES);
    values[`hold_time_median_${hand}_ms`] = d.median;
    values[`hold_time_iqr_${hand}_ms`] = d.iqr;
    values[`hold_time_p90_${hand}_ms`] = d.p90;
  }
  values.hold_time_left_right_ratio = values.hold_time_median_left_ms! / values.hold_time_median_right_ms!;
  for (const { id, hand, finger } of PER_FINGER) {
    const fingerHolds = keystrokes
      .filter((k) => {
        const assignment = fingerOf(k.code);
        return (
          assignment !== null &&
          !MODIFIER_CODES.has(k.code!) &&
          assignment.finger === finger &&
          (hand === null || assignment.hand === hand)
        );
      })
      .map((k) => k.holdMs);
    values[id] = medianOf(fingerHolds, MIN_GROUP_KEYSTROKES);
  }

  // Windowed values: the median over qualifying windows of each window's value.
  for (const seconds of WINDOW_LENGTHS_S) {
    const windows = typingWindows(keystrokes, seconds * 1000);
    const perWindow = windows.map((w) => {
      const h = w.map((k) => k.holdMs);
      return { median: median(h), iqr: iqr(h), fluctuation: logDiffSd(h) };
    });
    values[`hold_time_median_win${seconds}_ms`] = medianOf(perWindow.map((w) => w.median));
    values[`hold_time_iqr_win${seconds}_ms`] = medianOf(perWindow.map((w) => w.iqr));
    values[`hold_time_log_diff_sd_win${seconds}`] = medianOf(perWindow.map((w) => w.fluctuation));
  }

  // Same-finger digraphs: both keys comparable, same hand and finger.
  const sameFinger = pairs.filter((p) => {
    if (!isHandComparable(p.first.code) || !isHandComparable(p.second.code)) return false;
    const a = fingerOf(p.first.code)!;
    const b = fingerOf(p.second.code)!;
    return a.hand === b.hand && a.finger === b.finger;
  });
  values.same_finger_digraph_median_ms = medianOf(
    sameFinger.map((p) => p.ikiMs),
    MIN_GROUP_KEYSTROKES,
  );
  for (const hand of HANDS) {
    values[`same_finger_digraph_median_${hand}_ms`] = medianOf(
      sameFinger.filter((p) => fingerOf(p.first.code)!.hand === hand).map((p) => p.ikiMs),
      MIN_GROUP_KEYSTROKES,
    );
  }
  return values;
}

/**
 * Analyses one typing input (measures.md 5.4, analysis contract): applies the row rules
 * ({@link selectKeystrokes}) and computes every typing metric.
 * Flags: AUTO_REPEAT_DROPPED, HOLD_OUT_OF_RANGE (from the row rules), TOO_FEW_EVENTS when a
 * whole-file metric is null for lack of keystrokes (per-hand, per-finger, digraph and windowed
 * metrics depend on the text and are null without a flag).
 * @throws CodedError `E_TOO_FEW_EVENTS` when no keystroke is left after the row rules
 */
export function analyzeTyping(input: TypingInput): TaskResult {
  const selection = selectKeystrokes(input.presses);
  if (selection.keystrokes.length === 0) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `no keystroke left to analyse (${input.presses.length} presses; ${selection.autoRepeatDropped} auto-repeat, ${selection.holdOutOfRange} with a hold time outside 0–1000 ms)`,
    );
  }
  const metrics: MetricValues = completeMetrics(TYPING_METRICS, typingMetricValues(selection.keystrokes));
  const flags: QualityFlag[] = [...selection.flags];
  if (WHOLE_FILE_IDS.some((id) => metrics[id] === null)) flags.push('TOO_FEW_EVENTS');
  return { metrics, flags };
}

/** The typing task's analyser (registered in analysis/analyze.ts). */
export const typingAnalyzer: TaskAnalyzer<TypingInput> = {
  task: 'typing',
  metrics: TYPING_METRICS,
  analyze: (input) => analyzeTyping(input),
};
