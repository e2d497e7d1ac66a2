import { CodedError } from '../../errors/catalogue.js';
import { median, quantiles, sampleSd } from '../dsp/stats.js';
import type { QualityFlag } from '../flags.js';
import type { TypingInput } from '../inputs.js';
import { completeMetrics, type MetricValues } from '../metric.js';
import { wantsAny, type AnalyzeOptions, type TaskAnalyzer, type TaskResult } from '../task.js';
import {
  MIN_GROUP_KEYSTROKES,
  MIN_WINDOW_KEYSTROKES,
  PER_FINGER,
  TYPING_METRICS,
  WINDOW_LENGTHS_S,
} from './definitions.js';
import { FINGERS, fingerOf, HANDS, MODIFIER_CODES, type Finger, type Hand } from './keymap.js';
import { selectKeystrokes, type Keystroke } from './keystrokes.js';

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

/** The metrics of the per-hand, per-finger and same-finger groups (they need the key map). */
const GROUP_IDS = [
  ...HANDS.flatMap((hand) => [
    `hold_time_median_${hand}_ms`,
    `hold_time_iqr_${hand}_ms`,
    `hold_time_p90_${hand}_ms`,
    `same_finger_digraph_median_${hand}_ms`,
  ]),
  'hold_time_left_right_ratio',
  'same_finger_digraph_median_ms',
  ...PER_FINGER.map(({ id }) => id),
];

/** The metrics of the windows of `seconds`. */
const windowIds = (seconds: number) => [
  `hold_time_median_win${seconds}_ms`,
  `hold_time_iqr_win${seconds}_ms`,
  `hold_time_log_diff_sd_win${seconds}`,
];

/** Median, or NaN with fewer than `min` values. */
function medianOf(values: ArrayLike<number>, min = 1): number {
  return values.length >= min ? median(values) : Number.NaN;
}

/** Sample SD of the successive differences of `values` (NaN with fewer than 3 values). */
function successiveDiffSd(values: ArrayLike<number>): number {
  const diffs = new Float64Array(Math.max(values.length - 1, 0));
  for (let i = 0; i < diffs.length; i++) diffs[i] = values[i + 1]! - values[i]!;
  return sampleSd(diffs);
}

/** Hold-time fluctuation: sample SD of successive differences of ln hold time (NaN with < 3 holds). */
export function logDiffSd(holdsMs: ArrayLike<number>): number {
  return successiveDiffSd(Float64Array.from(holdsMs, Math.log));
}

/** Median, IQR and 90th percentile (type 7) of a group of hold times; NaN with fewer than `min` values. */
function distribution(holdsMs: ArrayLike<number>, min: number): { median: number; iqr: number; p90: number } {
  if (holdsMs.length < min || holdsMs.length === 0) return { median: NaN, iqr: NaN, p90: NaN };
  const [q1, q2, q3, p90] = quantiles(holdsMs, [0.25, 0.5, 0.75, 0.9]);
  return { median: q2!, iqr: q3! - q1!, p90: p90! };
}

/**
 * The positions (into `keystrokes`) of the keystrokes of each non-overlapping window of `lengthMs`
 * from the first keystroke's keydown (window k holds the keydowns in [t0 + k·lengthMs,
 * t0 + (k + 1)·lengthMs)); windows in time order, positions ascending; only windows with at least
 * {@link MIN_WINDOW_KEYSTROKES} keystrokes.
 */
function windowMembers(keystrokes: readonly Keystroke[], lengthMs: number): number[][] {
  if (keystrokes.length === 0) return [];
  const t0 = keystrokes[0]!.downMs;
  const index = keystrokes.map((k) => Math.floor((k.downMs - t0) / lengthMs));
  // a stable sort by window: linear for keystrokes in press order (one ascending run)
  const order = index.map((_, i) => i).sort((a, b) => index[a]! - index[b]! || a - b);
  const windows: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    if (current.length > 0 && index[i] !== index[current[0]!]) {
      windows.push(current);
      current = [];
    }
    current.push(i);
  }
  windows.push(current);
  return windows.filter((members) => members.length >= MIN_WINDOW_KEYSTROKES);
}

/**
 * Non-overlapping windows of `lengthMs` from the first keydown, each with the keystrokes whose
 * keydown falls in it; only windows with at least {@link MIN_WINDOW_KEYSTROKES} keystrokes.
 */
export function typingWindows(keystrokes: readonly Keystroke[], lengthMs: number): Keystroke[][] {
  return windowMembers(keystrokes, lengthMs).map((members) => members.map((i) => keystrokes[i]!));
}

/** The values of `source` at `positions`. */
function pick(source: Float64Array, positions: readonly number[]): Float64Array {
  const out = new Float64Array(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = source[positions[j]!]!;
  return out;
}

/** Index of a hand × finger group (see {@link fingerGroups}). */
const groupOf = (hand: Hand, finger: Finger): number =>
  HANDS.indexOf(hand) * FINGERS.length + FINGERS.indexOf(finger);
const groupHand = (group: number): Hand => HANDS[Math.floor(group / FINGERS.length)]!;
const groupFinger = (group: number): Finger => FINGERS[group % FINGERS.length]!;

/**
 * The touch-typing group of each keystroke for the per-hand, per-finger and same-finger metrics:
 * the hand × finger index of {@link groupOf}, or −1 for keys outside the map and modifiers (the key
 * map is looked up once per keystroke).
 */
function fingerGroups(keystrokes: readonly Keystroke[]): Int8Array {
  const groups = new Int8Array(keystrokes.length).fill(-1);
  keystrokes.forEach(({ code }, i) => {
    const assignment = fingerOf(code);
    if (assignment === null || MODIFIER_CODES.has(code!)) return;
    groups[i] = groupOf(assignment.hand, assignment.finger);
  });
  return groups;
}

/**
 * Every typing metric of kept keystrokes (in press order, from {@link selectKeystrokes}), or those of
 * `options.metrics` and a few more. Values that cannot be computed are NaN here (null after
 * completeMetrics).
 */
export function typingMetricValues(
  keystrokes: readonly Keystroke[],
  options: AnalyzeOptions = { hand: null },
): Record<string, number> {
  const n = keystrokes.length;
  const holds = new Float64Array(n);
  const logHolds = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    holds[i] = keystrokes[i]!.holdMs;
    logHolds[i] = Math.log(holds[i]!);
  }
  // successive pairs (see digraphs()): inter-key interval and flight time of pair i = (i, i + 1)
  const pairCount = Math.max(n - 1, 0);
  const ikis = new Float64Array(pairCount);
  const flights = new Float64Array(pairCount);
  let rollovers = 0;
  for (let i = 0; i < pairCount; i++) {
    ikis[i] = keystrokes[i + 1]!.downMs - keystrokes[i]!.downMs;
    flights[i] = keystrokes[i + 1]!.downMs - keystrokes[i]!.upMs;
    if (flights[i]! < 0) rollovers++;
  }
  const backspaces = keystrokes.filter((k) => k.code === 'Backspace').length;
  const all = distribution(holds, 1);
  const values: Record<string, number> = {
    keystroke_count: n,
    hold_time_median_ms: all.median,
    hold_time_iqr_ms: n >= 2 ? all.iqr : NaN,
    hold_time_p90_ms: all.p90,
    iki_median_ms: medianOf(ikis),
    flight_time_median_ms: medianOf(flights),
    hold_time_log_diff_sd: successiveDiffSd(logHolds),
    backspace_rate_pct: n ? (100 * backspaces) / n : NaN,
    rollover_pct: pairCount ? (100 * rollovers) / pairCount : NaN,
  };

  if (wantsAny(options, ...GROUP_IDS)) addGroupValues(values, keystrokes, holds, ikis);
  for (const seconds of WINDOW_LENGTHS_S) {
    if (wantsAny(options, ...windowIds(seconds)))
      addWindowValues(values, keystrokes, holds, logHolds, seconds);
  }
  return values;
}

/** The per-hand, per-finger and same-finger metrics ({@link GROUP_IDS}). */
function addGroupValues(
  values: Record<string, number>,
  keystrokes: readonly Keystroke[],
  holds: Float64Array,
  ikis: Float64Array,
): void {
  const n = keystrokes.length;
  const pairCount = ikis.length;
  // Per hand and per finger: keys of the touch-typing map, no modifiers; hands without thumbs.
  const groups = fingerGroups(keystrokes);
  const holdsByGroup: number[][] = Array.from({ length: HANDS.length * FINGERS.length }, () => []);
  for (let i = 0; i < n; i++) if (groups[i]! >= 0) holdsByGroup[groups[i]!]!.push(holds[i]!);
  const holdsOf = (hands: readonly Hand[], fingers: readonly Finger[]): number[] => {
    const out: number[] = [];
    for (const hand of hands) {
      for (const finger of fingers) for (const hold of holdsByGroup[groupOf(hand, finger)]!) out.push(hold);
    }
    return out;
  };
  const comparableFingers = FINGERS.filter((finger) => finger !== 'thumb');
  for (const hand of HANDS) {
    const d = distribution(holdsOf([hand], comparableFingers), MIN_GROUP_KEYSTROKES);
    values[`hold_time_median_${hand}_ms`] = d.median;
    values[`hold_time_iqr_${hand}_ms`] = d.iqr;
    values[`hold_time_p90_${hand}_ms`] = d.p90;
  }
  values.hold_time_left_right_ratio = values.hold_time_median_left_ms! / values.hold_time_median_right_ms!;
  for (const { id, hand, finger } of PER_FINGER) {
    values[id] = medianOf(holdsOf(hand === null ? HANDS : [hand], [finger]), MIN_GROUP_KEYSTROKES);
  }

  // Same-finger digraphs: both keys comparable, same hand and finger.
  const sameFinger: number[] = [];
  const sameFingerByHand: Record<Hand, number[]> = { left: [], right: [] };
  for (let i = 0; i < pairCount; i++) {
    const group = groups[i]!;
    if (group < 0 || groupFinger(group) === 'thumb' || groups[i + 1] !== group) continue;
    sameFinger.push(ikis[i]!);
    sameFingerByHand[groupHand(group)].push(ikis[i]!);
  }
  values.same_finger_digraph_median_ms = medianOf(sameFinger, MIN_GROUP_KEYSTROKES);
  for (const hand of HANDS) {
    values[`same_finger_digraph_median_${hand}_ms`] = medianOf(sameFingerByHand[hand], MIN_GROUP_KEYSTROKES);
  }
}

/** The metrics of windows of `seconds`: the median over qualifying windows of each window's value. */
function addWindowValues(
  values: Record<string, number>,
  keystrokes: readonly Keystroke[],
  holds: Float64Array,
  logHolds: Float64Array,
  seconds: number,
): void {
  const perWindow = windowMembers(keystrokes, seconds * 1000).map((members) => {
    const d = distribution(pick(holds, members), 1);
    return { median: d.median, iqr: d.iqr, fluctuation: successiveDiffSd(pick(logHolds, members)) };
  });
  values[`hold_time_median_win${seconds}_ms`] = medianOf(perWindow.map((w) => w.median));
  values[`hold_time_iqr_win${seconds}_ms`] = medianOf(perWindow.map((w) => w.iqr));
  values[`hold_time_log_diff_sd_win${seconds}`] = medianOf(perWindow.map((w) => w.fluctuation));
}

/**
 * Analyses one typing input (measures.md 5.4, analysis contract): applies the row rules
 * ({@link selectKeystrokes}) and computes every typing metric.
 * Flags: AUTO_REPEAT_DROPPED, HOLD_OUT_OF_RANGE (from the row rules), TOO_FEW_EVENTS when a
 * whole-file metric is null for lack of keystrokes (per-hand, per-finger, digraph and windowed
 * metrics depend on the text and are null without a flag).
 * @throws CodedError `E_TOO_FEW_EVENTS` when no keystroke is left after the row rules
 */
export function analyzeTyping(input: TypingInput, options: AnalyzeOptions = { hand: null }): TaskResult {
  const selection = selectKeystrokes(input.presses);
  if (selection.keystrokes.length === 0) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `no keystroke left to analyse (${input.presses.length} presses; ${selection.autoRepeatDropped} auto-repeat, ${selection.holdOutOfRange} with a hold time outside 0–1000 ms)`,
    );
  }
  const metrics: MetricValues = completeMetrics(
    TYPING_METRICS,
    typingMetricValues(selection.keystrokes, options),
  );
  const flags: QualityFlag[] = [...selection.flags];
  if (WHOLE_FILE_IDS.some((id) => metrics[id] === null)) flags.push('TOO_FEW_EVENTS');
  return { metrics, flags };
}

/** The typing task's analyser (registered in analysis/analyze.ts). */
export const typingAnalyzer: TaskAnalyzer<TypingInput> = {
  task: 'typing',
  metrics: TYPING_METRICS,
  analyze: (input, options) => analyzeTyping(input, options),
};
