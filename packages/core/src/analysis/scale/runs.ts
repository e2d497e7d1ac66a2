/**
 * Run segmentation of a scale performance (measures.md 2.3; analysis contract, "Scale runs"): which
 * notes form correctly played one-way two-octave C-major runs, and how many attempted runs were not.
 */
import { median } from '../dsp/stats.js';
import type { Note } from '../inputs.js';

/** Semitones above the starting C of an ascending two-octave C-major run (15 notes). */
export const UP_STEPS = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24] as const;
/** Semitones below the starting (top) C of a descending run: C B A G F E D C … */
export const DOWN_STEPS = UP_STEPS.map((step) => 24 - step).reverse();
/** Notes of one correctly played run. */
export const RUN_NOTES = UP_STEPS.length;

/** A silence between onsets longer than this (and than 3 median IOIs) separates attempts. */
export const MIN_PAUSE_MS = 500;

/** One correctly played run: 15 consecutive notes matching the template. */
export interface Run {
  direction: 'up' | 'down';
  /** Index of the run's first note in the onset-sorted notes. */
  start: number;
  notes: Note[];
}

/** The result of {@link segmentRuns}. */
export interface RunSegmentation {
  /** Correctly played runs, in time order. */
  correct: Run[];
  /** Attempted runs with wrong, missing or extra notes (see {@link segmentRuns}). */
  incorrectCount: number;
  /** Notes that belong to no correct run. */
  unmatchedNoteCount: number;
}

function matches(
  notes: readonly Note[],
  start: number,
  base: number,
  steps: readonly number[],
  sign: 1 | -1,
) {
  for (let k = 0; k < steps.length; k++) {
    if (notes[start + k]!.pitch !== base + sign * steps[k]!) return false;
  }
  return true;
}

/**
 * Finds the correct runs: scanning the onset-sorted notes, at every index whose pitch is a C (pitch
 * mod 12 = 0) in any octave, the next 15 notes (this one included) are compared with the ascending
 * template (C D E F G A B C … C, two octaves up) and the descending one (two octaves down). On a match
 * the scan continues at the run's last note, so an up-and-down run shares its top note (and a
 * down-and-up run its bottom note); notes inside a matched run start no other run (a three-octave
 * scale gives one two-octave run, not two overlapping ones).
 * @param notes - notes in onset order
 */
export function findCorrectRuns(notes: readonly Note[]): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i + RUN_NOTES <= notes.length) {
    const base = notes[i]!.pitch;
    let direction: Run['direction'] | null = null;
    if (base % 12 === 0) {
      if (matches(notes, i, base, UP_STEPS, 1)) direction = 'up';
      else if (matches(notes, i, base, DOWN_STEPS, -1)) direction = 'down';
    }
    if (direction) {
      runs.push({ direction, start: i, notes: notes.slice(i, i + RUN_NOTES) });
      i += RUN_NOTES - 1;
    } else {
      i++;
    }
  }
  return runs;
}

/**
 * Segments a performance into correct and incorrect runs.
 *
 * Correct runs are those of {@link findCorrectRuns}. The notes outside them form stretches of
 * consecutive notes; each stretch is cut at pauses (an onset gap longer than both {@link MIN_PAUSE_MS}
 * and 3 × the median onset gap of the whole performance, i.e. a rest between attempts), and a piece of
 * m notes counts as max(1, round(m / 14)) incorrect runs — a wrongly played one-way run leaves about 14
 * notes outside the correct ones (15 less the note it shares with a neighbouring run). A stray extra
 * note between runs therefore counts as one incorrect run, and a whole up-and-down attempt with errors in
 * both directions as two.
 * @param notes - notes in onset order
 */
export function segmentRuns(notes: readonly Note[]): RunSegmentation {
  const correct = findCorrectRuns(notes);
  const covered = new Uint8Array(notes.length);
  for (const run of correct) covered.fill(1, run.start, run.start + RUN_NOTES);

  const gaps: number[] = [];
  for (let i = 1; i < notes.length; i++) gaps.push(notes[i]!.onMs - notes[i - 1]!.onMs);
  const pauseMs = Math.max(MIN_PAUSE_MS, gaps.length ? 3 * median(gaps) : 0);

  let incorrectCount = 0;
  let unmatchedNoteCount = 0;
  let piece = 0;
  const closePiece = () => {
    if (piece > 0) incorrectCount += Math.max(1, Math.round(piece / (RUN_NOTES - 1)));
    piece = 0;
  };
  for (let i = 0; i < notes.length; i++) {
    if (covered[i]) {
      closePiece();
      continue;
    }
    if (piece > 0 && notes[i]!.onMs - notes[i - 1]!.onMs > pauseMs) closePiece();
    piece++;
    unmatchedNoteCount++;
  }
  closePiece();
  return { correct, incorrectCount, unmatchedNoteCount };
}
