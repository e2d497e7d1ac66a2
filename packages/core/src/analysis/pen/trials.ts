/**
 * Several trials in one pen recording. The pen tasks (packages/tasks/src/spiral/run.ts and the shared
 * pen protocol of the handwriting and precision tasks, packages/tasks/src/pen/protocol.ts) record all
 * trials of a run in one recording: each attempt runs from a `trial-start` marker (followed by
 * `trial-<k>`, k the 1-based trial number) to a `trial-end` marker; Redo discards an attempt
 * (`redo-<k>` right after its `trial-end`, or — Redo before anything of the next trial was drawn, or
 * during a rest — after the empty next attempt's `trial-end` or on its own, discarding the latest kept
 * attempt at trial k); Finish and the time limit close the attempt in progress (`stop` / `time-limit`
 * right after its `trial-end`). `params.attempts` lists every attempt with `startMs`, `endMs` and its
 * outcome (`kept`, `redone`, `empty`, `stopped`, `time-limit`).
 *
 * Which attempts are analysed ({@link penTrials}): `kept` ones; never `redone` or `empty` ones; an
 * attempt cut short (`stopped`, `time-limit`) is dropped for spirals, and kept for handwriting and
 * precision when it lasted at least half of its planned duration (timed parts: loops, copy, hold) or,
 * for untimed parts (sentence, fast sentence, circle and zig-zag traces), when it has ink. The rows of
 * the other attempts, of the rests and of the countdowns (a tip put down during a countdown) stay in the
 * recording and are not analysed.
 */
import type { Recording } from '../../recording/versions.js';
import type { QualityFlag } from '../flags.js';
import type { PenInput, PenTrial } from '../inputs.js';
import { streamColumn, TRIAL_END, TRIAL_START } from '../typing/key-events.js';
import { penSamplingFlags } from './from-csv.js';
import { recordingFacts, type KeptTrial, type PenRecordingInput } from './recording-facts.js';

const TRIAL_NUMBER = /^trial-(\d+)$/;
const REDO = /^redo-(\d+)$/;
/** Markers written right after the `trial-end` of an attempt that was cut short. */
const CUT_SHORT: ReadonlySet<string> = new Set(['stop', 'time-limit']);
/** Outcomes of an attempt cut short by Finish or the time limit (`params.attempts`). */
const CUT_SHORT_OUTCOMES: ReadonlySet<string> = new Set(['stopped', 'time-limit']);
/** The flags {@link penSamplingFlags} computes (recomputed per trial). */
const SAMPLING_FLAGS: ReadonlySet<QualityFlag> = new Set<QualityFlag>([
  'PEN_LIFTS',
  'SAMPLE_GAPS',
  'LOW_SAMPLING_RATE',
]);

/**
 * Planned length of a trial of the timed parts, s, when the recording's params do not say (the task
 * definitions' defaults: handwriting `loopsDurationS` 15 and `copyDurationS` 120, precision `holdS` 10).
 */
export const DEFAULT_PLANNED_S = { loops: 15, copy: 120, hold: 10 } as const;

/**
 * How attempts cut short by Finish or the time limit are treated: dropped (spirals), or kept when they
 * lasted at least half of `plannedMs` (a timed part) or, `plannedMs` null (an untimed part), when they
 * have ink.
 */
export type CutShortRule = { keep: false } | { keep: true; plannedMs: number | null };

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A positive finite number of seconds from the params, else the default, in ms. */
function plannedMs(params: Recording['params'], name: string, defaultS: number): number {
  const value = params[name];
  return (isFiniteNumber(value) && value > 0 ? value : defaultS) * 1000;
}

/**
 * The {@link CutShortRule} of a recording: spiral: dropped; handwriting `loops` and `copy` (timed:
 * `params.loopsDurationS`, `params.copyDurationS`) and precision `hold` (`params.holdS`): kept from half
 * the planned duration; the other parts (sentence, fast, circle, zig-zag, or no `params.part`): kept
 * with ink.
 */
export function cutShortRule(recording: Recording): CutShortRule {
  const { taskId, params } = recording;
  if (taskId !== 'handwriting' && taskId !== 'precision') return { keep: false };
  const target = params['target'];
  const part =
    params['part'] ??
    (typeof target === 'object' && target !== null && !Array.isArray(target)
      ? (target as Record<string, unknown>)['part']
      : undefined);
  if (taskId === 'handwriting' && part === 'loops') {
    return { keep: true, plannedMs: plannedMs(params, 'loopsDurationS', DEFAULT_PLANNED_S.loops) };
  }
  if (taskId === 'handwriting' && part === 'copy') {
    return { keep: true, plannedMs: plannedMs(params, 'copyDurationS', DEFAULT_PLANNED_S.copy) };
  }
  if (taskId === 'precision' && part === 'hold') {
    return { keep: true, plannedMs: plannedMs(params, 'holdS', DEFAULT_PLANNED_S.hold) };
  }
  return { keep: true, plannedMs: null };
}

/**
 * Whether an attempt's `strokes` (the ink summary of `params.attempts`) has ink: any pen, touch, mouse or
 * other stroke; true when the attempt has no such summary (the samples decide).
 */
function hasInk(strokes: unknown): boolean {
  if (typeof strokes !== 'object' || strokes === null || Array.isArray(strokes)) return true;
  const s = strokes as Record<string, unknown>;
  const counts = ['pen', 'touch', 'mouse', 'other'].map((k) => s[k]);
  if (!counts.every(isFiniteNumber)) return true;
  return (counts as number[]).some((n) => n > 0);
}

/** Whether an attempt cut short from `startMs` to `endMs` is kept under `rule`. */
function keepCutShort(rule: CutShortRule, startMs: number, endMs: number, inked: boolean): boolean {
  if (!rule.keep) return false;
  return rule.plannedMs === null ? inked : endMs - startMs >= rule.plannedMs / 2;
}

/**
 * The kept attempts of `params.attempts`: every element an object with finite `startMs` ≤ `endMs` and
 * a string `outcome` (`trial` a positive whole number, else null); those with outcome `kept`, and those
 * cut short (`stopped`, `time-limit`) that `rule` keeps (`complete` false), by start time. Null when the
 * parameter is absent or any element does not have this shape.
 */
function attemptTrials(attempts: unknown, rule: CutShortRule): KeptTrial[] | null {
  if (!Array.isArray(attempts)) return null;
  const kept: KeptTrial[] = [];
  for (const attempt of attempts as unknown[]) {
    if (typeof attempt !== 'object' || attempt === null || Array.isArray(attempt)) return null;
    const { trial, startMs, endMs, outcome, strokes } = attempt as Record<string, unknown>;
    if (!isFiniteNumber(startMs) || !isFiniteNumber(endMs) || endMs < startMs) return null;
    if (typeof outcome !== 'string') return null;
    const cutShort = CUT_SHORT_OUTCOMES.has(outcome) && keepCutShort(rule, startMs, endMs, hasInk(strokes));
    if (outcome !== 'kept' && !cutShort) continue;
    kept.push({
      trial: isFiniteNumber(trial) && Number.isInteger(trial) && trial > 0 ? trial : null,
      startMs,
      endMs,
      complete: outcome === 'kept',
    });
  }
  return kept.sort((a, b) => a.startMs - b.startMs);
}

/**
 * The kept attempts from the `markers` stream alone (see the module comment; an attempt cut short is
 * judged by `rule` with its ink unknown: the samples decide), by start time. Null when the stream has no
 * `trial-start` marker.
 */
function markerTrials(recording: Recording, rule: CutShortRule): KeptTrial[] | null {
  const markers = recording.streams['markers'];
  if (!markers) return null;
  const times = streamColumn(markers, 'timeStampMs', 'f64');
  const labels = streamColumn(markers, 'label', 'str');
  if (!times || !labels || !labels.includes(TRIAL_START)) return null;
  const closed: (KeptTrial & { kept: boolean })[] = [];
  let open: { trial: number | null; startMs: number } | null = null;
  let previous: string | null = null;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const t = times[i];
    if (!isFiniteNumber(t)) continue;
    const number = TRIAL_NUMBER.exec(label);
    const redo = REDO.exec(label);
    if (label === TRIAL_START) {
      open = { trial: null, startMs: t };
    } else if (number && open && open.trial === null) {
      open.trial = Number(number[1]);
    } else if (label === TRIAL_END && open) {
      if (t >= open.startMs) closed.push({ ...open, endMs: t, kept: true, complete: true });
      open = null;
    } else if (redo) {
      const k = Number(redo[1]);
      const last = [...closed].reverse().find((c) => c.kept && c.trial === k);
      if (last) last.kept = false;
    } else if (CUT_SHORT.has(label) && previous === TRIAL_END && closed.length > 0) {
      const last = closed[closed.length - 1]!;
      last.complete = false;
      last.kept = keepCutShort(rule, last.startMs, last.endMs, true);
    }
    previous = label;
  }
  return closed
    .filter((c) => c.kept)
    .map(({ trial, startMs, endMs, complete }) => ({ trial, startMs, endMs, complete }))
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * The kept trials of a pen recording: from `params.attempts` when the recording has that parameter in
 * the pen tasks' shape, else from the trial markers (see the module comment), with the recording's
 * {@link cutShortRule}. Null when it has neither: the recording is one drawing, analysed as a whole. An
 * empty list means trials were recorded but none was kept.
 */
export function penTrials(recording: Recording): KeptTrial[] | null {
  const rule = cutShortRule(recording);
  return attemptTrials(recording.params['attempts'], rule) ?? markerTrials(recording, rule);
}

/** The index range [from, to) of the samples with startMs ≤ t ≤ endMs (time is non-decreasing). */
function sampleRange(tMs: Float64Array, trial: PenTrial): { from: number; to: number } {
  let from = 0;
  while (from < tMs.length && tMs[from]! < trial.startMs) from++;
  let to = from;
  while (to < tMs.length && tMs[to]! <= trial.endMs) to++;
  return { from, to };
}

/**
 * One input per trial of `input.trials` that has samples, in order (trials without samples are left
 * out); null when the input has no trials (one drawing). Each trial's input has the samples of its
 * window, no trials of its own, the facts of the recording (recording-facts.ts), and the input's flags
 * with the sampling flags (`PEN_LIFTS`,
 * `SAMPLE_GAPS`, `LOW_SAMPLING_RATE`) computed on its own samples.
 */
export function penTrialInputs(input: PenInput): { trial: PenTrial; input: PenInput }[] | null {
  if (!input.trials) return null;
  const out: { trial: PenTrial; input: PenInput }[] = [];
  const kept = input.flags.filter((flag) => !SAMPLING_FLAGS.has(flag));
  const facts = recordingFacts(input);
  for (const trial of input.trials) {
    const { from, to } = sampleRange(input.tMs, trial);
    if (to <= from) continue;
    const part = <T extends Float64Array | Uint8Array>(column: T | null): T | null =>
      column && (column.subarray(from, to) as T);
    const sub: PenRecordingInput = {
      ...facts,
      task: input.task,
      tMs: input.tMs.subarray(from, to),
      xMm: input.xMm.subarray(from, to),
      yMm: input.yMm.subarray(from, to),
      pressure: part(input.pressure),
      tiltXDeg: part(input.tiltXDeg),
      tiltYDeg: part(input.tiltYDeg),
      penDown: part(input.penDown),
      targetXMm: part(input.targetXMm),
      targetYMm: part(input.targetYMm),
      trials: null,
      flags: kept,
    };
    sub.flags = [...new Set([...kept, ...penSamplingFlags(sub)])].sort();
    out.push({ trial, input: sub });
  }
  return out;
}

/**
 * The input's flags with the sampling flags computed per trial (their union) instead of over all
 * samples, where the pen is lifted between trials; unchanged without trials.
 */
export function trialSamplingFlags(input: PenInput): QualityFlag[] {
  const trials = penTrialInputs(input);
  if (!trials) return input.flags;
  const flags = input.flags.filter((flag) => !SAMPLING_FLAGS.has(flag));
  for (const { input: sub } of trials) flags.push(...sub.flags.filter((flag) => SAMPLING_FLAGS.has(flag)));
  return [...new Set(flags)].sort();
}
