/**
 * One recording per position. Core's tremor analysis reads the span from the first `trial-start` to
 * the last `trial-end` of a recording, so a run of several positions must be cut into one recording per
 * position before it is analysed: each keeps the samples of that position's trial (without the first and
 * last `edgeDiscardS` seconds, measures.md 7.2) and gets its own `trial-start`/`trial-end`.
 */
import type { Recording, Stream } from '@dystrack/core';
import { MARKERS } from '../columns';
import { TREMOR_POSITIONS, type TremorPositionId } from './definition';
import { TREMOR_FLAGS, TREMOR_MARKERS } from './run';

/** One position's trial, cut out of a run's recording. */
export interface PositionRecording {
  position: TremorPositionId;
  /** 1 for the first attempt, 2 for the second, … */
  attempt: number;
  /** `kept`, `flagged` (kept despite a problem), or `open` (the run ended before the check). */
  outcome: 'kept' | 'flagged' | 'open';
  /** The trial as recorded, ms. */
  startMs: number;
  endMs: number;
  /** A recording of the task with only this trial's analysed span. */
  recording: Recording;
}

/** Flags of single trials: a position recording keeps them only when its own trial was flagged. */
const TRIAL_FLAGS = new Set<string>([TREMOR_FLAGS.noSensor, TREMOR_FLAGS.lowRate, TREMOR_FLAGS.gaps]);

interface Attempt {
  position: TremorPositionId;
  attempt: number;
  startMs: number | null;
  endMs: number | null;
  outcome: 'kept' | 'flagged' | 'discarded' | 'open';
}

function isPosition(id: string): id is TremorPositionId {
  return Object.hasOwn(TREMOR_POSITIONS, id);
}

/** The attempts in the markers, in order. */
function attemptsOf(recording: Recording): Attempt[] {
  const markers = recording.streams.markers;
  const labels = markers?.columns.label;
  const times = markers?.columns.timeStampMs;
  if (!labels || labels.type !== 'str' || !times || times.type !== 'f64') return [];
  const out: Attempt[] = [];
  const counts = new Map<TremorPositionId, number>();
  let current: Attempt | null = null;
  labels.values.forEach((label, i) => {
    const t = times.values[i] ?? null;
    if (label.startsWith(TREMOR_MARKERS.positionPrefix)) {
      const id = label.slice(TREMOR_MARKERS.positionPrefix.length);
      if (!isPosition(id)) return;
      const attempt = (counts.get(id) ?? 0) + 1;
      counts.set(id, attempt);
      current = { position: id, attempt, startMs: null, endMs: null, outcome: 'open' };
      out.push(current);
      return;
    }
    if (!current) return;
    if (label === MARKERS.trialStart) current.startMs = t;
    else if (label === MARKERS.trialEnd) current.endMs = t;
    else if (label === TREMOR_MARKERS.kept) current.outcome = 'kept';
    else if (label === TREMOR_MARKERS.flagged) current.outcome = 'flagged';
    else if (label === TREMOR_MARKERS.discarded) current.outcome = 'discarded';
  });
  return out;
}

/** The rows of a stream whose `timeStampMs` is within [from, to] (every column cut alike). */
function cut(stream: Stream, from: number, to: number): Stream {
  const time = stream.columns.timeStampMs;
  if (!time || time.type !== 'f64') return stream;
  const keep: number[] = [];
  time.values.forEach((t, i) => {
    if (t !== null && t >= from && t <= to) keep.push(i);
  });
  const columns: Stream['columns'] = {};
  for (const [name, column] of Object.entries(stream.columns)) {
    const values = column.values as unknown[];
    columns[name] = { type: column.type, values: keep.map((i) => values[i]) } as Stream['columns'][string];
  }
  return { columns };
}

/**
 * The run's positions as recordings of their own, for core's `analyzeRecording`: for each position,
 * its last attempt that was not discarded and has a start and an end (a later Redo replaces an earlier
 * attempt), in the order of the plan.
 * @param options.edgeDiscardS - seconds left out at each end (default: the run's `edgeDiscardS`, else 2)
 */
export function positionRecordings(
  recording: Recording,
  options: { edgeDiscardS?: number } = {},
): PositionRecording[] {
  const param = recording.params.edgeDiscardS;
  const edgeS = options.edgeDiscardS ?? (typeof param === 'number' ? param : 2);
  const chosen = new Map<TremorPositionId, Attempt>();
  for (const attempt of attemptsOf(recording)) {
    if (attempt.outcome === 'discarded' || attempt.startMs === null || attempt.endMs === null) continue;
    chosen.delete(attempt.position); // keep the order of the last attempt
    chosen.set(attempt.position, attempt);
  }
  const result: PositionRecording[] = [];
  for (const attempt of chosen.values()) {
    const startMs = attempt.startMs!;
    const endMs = attempt.endMs!;
    const from = Math.min(startMs + edgeS * 1000, (startMs + endMs) / 2);
    const to = Math.max(endMs - edgeS * 1000, (startMs + endMs) / 2);
    const streams: Recording['streams'] = {};
    for (const [name, stream] of Object.entries(recording.streams)) {
      if (name === 'markers') continue;
      streams[name] = name === 'visibility' ? stream : cut(stream, from, to);
    }
    streams.markers = {
      columns: {
        timeStampMs: { type: 'f64', values: [from, to] },
        label: { type: 'str', values: [MARKERS.trialStart, MARKERS.trialEnd] },
      },
    };
    const flags = recording.flags.filter((flag) => !TRIAL_FLAGS.has(flag) || attempt.outcome === 'flagged');
    result.push({
      position: attempt.position,
      attempt: attempt.attempt,
      outcome: attempt.outcome === 'discarded' ? 'open' : attempt.outcome,
      startMs,
      endMs,
      recording: {
        ...recording,
        durationMs: to - from,
        params: { ...recording.params, position: attempt.position, attempt: attempt.attempt },
        streams,
        flags,
      },
    });
  }
  return result;
}

/**
 * Weight-load shift (measures.md 7.3): f_peak without the weight minus f_peak with it, Hz; null when
 * either is missing. A drop of more than 1 Hz suggests a mechanical-reflex component (7.1).
 */
export function weightLoadShiftHz(peaks: Partial<Record<TremorPositionId, number | null>>): number | null {
  const unloaded = peaks.posture;
  const loaded = peaks['posture-weighted'];
  return typeof unloaded === 'number' && typeof loaded === 'number' ? unloaded - loaded : null;
}
