/**
 * Which part of a tremor recording is analysed.
 *
 * The tremor task records one position per recording (measures.md 7.2: rest, posture, wing, kinetic,
 * task posture, or the posture with a weight; `params.position`): the app runs the positions a person
 * chose as consecutive recordings, so that every stored metric value (one per recording and metric) is
 * the value of one position, and a position's values are trended only with the same position's
 * (`recordingSetupKey` keeps `position` apart). Within a recording a position may have been tried more
 * than once: an attempt whose sensor check failed (no readings, under 40 Hz, gaps, the page hidden) is
 * either kept, flagged, or discarded and done again. Every attempt stays in the raw streams; the
 * analysis takes the kept one — the last attempt that was not discarded — and leaves out the first and
 * last seconds of it, when the person is still settling into the position or already reacting to the
 * end cue (measures.md 7.2: 2 s at each end).
 */
import type { Recording } from '../../recording/versions.js';
import { TREMOR_SETTINGS } from './settings.js';

/** Marker labels of the tremor task (written by `packages/tasks/src/tremor/run.ts`, which imports these). */
export const TREMOR_TRIAL_MARKERS = {
  trialStart: 'trial-start',
  trialEnd: 'trial-end',
  /** Opens an attempt at a position: `position:rest`. */
  positionPrefix: 'position:',
  /** The attempt passed the sensor check. */
  kept: 'trial-kept',
  /** The attempt failed the check and the person kept it, flagged. */
  flagged: 'trial-flagged',
  /** The attempt failed the check and the person discarded it (and usually did it again). */
  discarded: 'trial-discarded',
} as const;

/** One attempt at a position, from its markers. */
export interface TremorAttempt {
  /** The position named by the last `position:` marker before it, or null (no such marker). */
  position: string | null;
  /** `trial-start`, ms. */
  startMs: number;
  /** `trial-end`, ms; null when the recording stopped during the attempt. */
  endMs: number | null;
  /** From the marker after the attempt; `open` without one (no check, or the check was not answered). */
  outcome: 'kept' | 'flagged' | 'discarded' | 'open';
}

/** What is analysed of a recording. */
export interface TremorAnalysedSpan {
  /** Analysed samples: fromMs ≤ t ≤ toMs (infinite ends: no limit). */
  fromMs: number;
  toMs: number;
  /** The attempt analysed; null for a recording without trial markers (analysed whole). */
  attempt: TremorAttempt | null;
  /** Attempts in the recording (of every position). */
  attempts: TremorAttempt[];
  /** Seconds left out at each end of the attempt (0 without markers). */
  edgeS: number;
  /** The attempt was too short for the full edges: they were shortened (flag SHORT_RECORDING). */
  short: boolean;
}

/** The attempts in a recording's markers, in marker order. */
export function tremorAttempts(recording: Pick<Recording, 'streams'>): TremorAttempt[] {
  const markers = recording.streams.markers;
  const labels = markers?.columns.label;
  const times = markers?.columns.timeStampMs;
  if (!labels || labels.type !== 'str' || !times || (times.type !== 'f64' && times.type !== 'i32')) return [];
  const attempts: TremorAttempt[] = [];
  let position: string | null = null;
  labels.values.forEach((label, i) => {
    const t = times.values[i];
    if (label.startsWith(TREMOR_TRIAL_MARKERS.positionPrefix)) {
      position = label.slice(TREMOR_TRIAL_MARKERS.positionPrefix.length);
      return;
    }
    if (t === null || t === undefined) return;
    const last = attempts[attempts.length - 1];
    if (label === TREMOR_TRIAL_MARKERS.trialStart) {
      attempts.push({ position, startMs: t, endMs: null, outcome: 'open' });
    } else if (label === TREMOR_TRIAL_MARKERS.trialEnd) {
      if (last && last.endMs === null && t >= last.startMs) last.endMs = t;
    } else if (last && label === TREMOR_TRIAL_MARKERS.kept) last.outcome = 'kept';
    else if (last && label === TREMOR_TRIAL_MARKERS.flagged) last.outcome = 'flagged';
    else if (last && label === TREMOR_TRIAL_MARKERS.discarded) last.outcome = 'discarded';
  });
  return attempts;
}

/** `params.edgeDiscardS` when it is a number from 0 to 10, else the default 2 s (measures.md 7.2). */
function edgeSeconds(params: Recording['params']): number {
  const value = params['edgeDiscardS'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10
    ? value
    : TREMOR_SETTINGS.edgeDiscardS;
}

/**
 * The analysed span of a tremor recording.
 *
 * Without `trial-start` markers: the whole recording (a recording from elsewhere is one trial, as a
 * contract CSV is). Otherwise the kept attempt: among the attempts of the position `params.position`
 * (or, when the recording does not name one its markers have, of the first attempt's position), the
 * last one that was not discarded. Its first and last `params.edgeDiscardS` seconds (default 2) are
 * left out; when fewer than 3 s would remain, the edges are shortened so that 3 s remain (or none, for
 * an attempt shorter than 3 s) and `short` is set. An attempt without `trial-end` (the recording
 * stopped during it) runs to the end of the data, with only its first edge left out.
 * @returns null when every attempt of the position was discarded: nothing is left to analyse
 */
export function tremorAnalysedSpan(
  recording: Pick<Recording, 'streams' | 'params'>,
): TremorAnalysedSpan | null {
  const attempts = tremorAttempts(recording);
  if (attempts.length === 0) {
    return {
      fromMs: Number.NEGATIVE_INFINITY,
      toMs: Number.POSITIVE_INFINITY,
      attempt: null,
      attempts,
      edgeS: 0,
      short: false,
    };
  }
  const named = recording.params['position'];
  const position =
    typeof named === 'string' && attempts.some((a) => a.position === named) ? named : attempts[0]!.position;
  const candidates = attempts.filter((a) => a.position === position && a.outcome !== 'discarded');
  const attempt = candidates[candidates.length - 1];
  if (!attempt) return null;
  let edgeS = edgeSeconds(recording.params);
  let short = false;
  const minS = TREMOR_SETTINGS.minAnalysedS;
  if (attempt.endMs !== null) {
    const durationS = (attempt.endMs - attempt.startMs) / 1000;
    if (durationS - 2 * edgeS < minS) {
      edgeS = Math.max(0, (durationS - minS) / 2);
      short = true;
    }
  }
  return {
    fromMs: attempt.startMs + edgeS * 1000,
    toMs: attempt.endMs === null ? Number.POSITIVE_INFINITY : attempt.endMs - edgeS * 1000,
    attempt,
    attempts,
    edgeS,
    short,
  };
}
