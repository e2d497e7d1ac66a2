/**
 * A seeded simulator of MIDI scale playing with known ground truth, for tests: repeated two-octave
 * C-major runs up and down (sharing the top note), sixteenth notes at a metronome tempo, onset jitter,
 * an optional systematic deviation profile, note-on velocities, legato overlap and occasional wrong,
 * missing or extra notes.
 */
import type { Note, ScaleInput } from '../inputs.js';
import { seededRandom, type Random } from '../random.js';
import { RUN_NOTES, UP_STEPS } from './runs.js';

/** The true parameters of a simulated performance. */
export interface ScaleTruth {
  /** Metronome tempo, quarter notes per minute; the nominal IOI is 60000/(4·bpm) ms (sixteenths). */
  bpm: number;
  /**
   * SD (ms) of independent normal noise added to every onset around its nominal time. Expected values:
   * per-run IOI SD² = 2σ²·15/14, line-fit RMS(d)² = σ²·13/15 (plus the profile's share). Keep it below
   * IOI/8: larger jitter can swap two onsets, and the run then no longer matches the template.
   */
  jitterSdMs: number;
  /**
   * Deviation (ms) added to note k (0…14) of every one-way run, ascending and descending alike. The
   * top note is shared: it takes the ascending run's value `[14]`, so profiles with equal first and
   * last values are reproduced exactly in both directions.
   */
  systematicProfileMs?: readonly number[];
  /** Mean and SD of the note-on velocity (rounded, clamped to 1–127). */
  velocityMean: number;
  velocitySd: number;
  /** Probability (0–1) that a one-way run holds one error (a wrong, missing or extra note). */
  errorRate: number;
  /** Legato overlap t_off[k] − t_on[k+1], ms (negative: a gap). */
  legatoMs: number;
}

/** Layout of the simulated session. */
export interface SimulateScaleOptions {
  /** Up-and-down repetitions (two one-way runs each); default 12, as in the protocol. */
  repetitions?: number;
  /** MIDI pitch of the bottom C (a multiple of 12, at most 96); default 60 (C4). */
  startPitch?: number;
  /** Onset of the first note, ms; default 1000. */
  startMs?: number;
  /** Rest between repetitions, ms (plus up to 500 ms at random); default 2000. */
  restMs?: number;
}

/** One simulated one-way run as played. */
export interface SimulatedRun {
  direction: 'up' | 'down';
  /** The error put into the run, or null for a correct run. */
  error: 'wrong' | 'missing' | 'extra' | null;
  /** The run's notes as played (15 for a correct run; the top note is in both runs of a repetition). */
  notes: Note[];
}

/** The simulated input and its truth. */
export interface SimulatedScale {
  input: ScaleInput;
  truth: ScaleTruth & { ioiMs: number; runs: SimulatedRun[] };
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);

/** The black key next to a white key: above it when that one is black, otherwise below it. */
function blackNeighbour(pitch: number): number {
  return BLACK_KEYS.has((pitch + 1) % 12) ? pitch + 1 : pitch - 1;
}

function velocity(rng: Random, truth: ScaleTruth): number {
  return Math.min(127, Math.max(1, Math.round(rng.normal(truth.velocityMean, truth.velocitySd))));
}

/**
 * Simulates a scale session: `repetitions` up-and-down runs from `startPitch`, each 29 notes (the top
 * note shared), separated by rests. Onset j of a repetition is t0 + j·IOI + profile + N(0, jitterSdMs²);
 * each note is released at the next onset + legatoMs (the last at its onset + IOI + legatoMs, never
 * before its own onset + 1 ms). Each one-way run independently gets, with probability `errorRate`, one
 * error at an inner note (2nd to 14th): a wrong note (its black neighbour), a missing note, or an extra
 * black-key note halfway to the next onset — black keys never complete a C-major run, so a run with an
 * error is never correct. The input's tempo is `bpm`.
 * @param seed - seed of {@link seededRandom}; the same seed gives the same performance
 * @param truth - the true parameters
 * @param options - session layout
 * @throws RangeError for a profile that is not 15 values or a start pitch that is not a C in 0–96
 */
export function simulateScale(
  seed: number,
  truth: ScaleTruth,
  options: SimulateScaleOptions = {},
): SimulatedScale {
  const { repetitions = 12, startPitch = 60, startMs = 1000, restMs = 2000 } = options;
  const profile = truth.systematicProfileMs ?? new Array<number>(RUN_NOTES).fill(0);
  if (profile.length !== RUN_NOTES) throw new RangeError(`the profile needs ${RUN_NOTES} values`);
  if (startPitch % 12 !== 0 || startPitch < 0 || startPitch > 96) {
    throw new RangeError('startPitch must be a C from 0 to 96');
  }
  const rng = seededRandom(seed);
  const ioiMs = 60_000 / (4 * truth.bpm);
  const all: Note[] = [];
  const runs: SimulatedRun[] = [];
  let t0 = startMs;

  for (let r = 0; r < repetitions; r++) {
    // the 29 nominal notes of one up-and-down repetition
    const phrase: Note[] = [];
    for (let j = 0; j < 2 * RUN_NOTES - 1; j++) {
      const up = j < RUN_NOTES;
      const k = up ? j : j - (RUN_NOTES - 1);
      const pitch = startPitch + UP_STEPS[up ? k : RUN_NOTES - 1 - k]!;
      const onMs = t0 + j * ioiMs + profile[k]! + rng.normal(0, truth.jitterSdMs);
      phrase.push({ pitch, onMs, offMs: null, velocity: velocity(rng, truth), channel: 0 });
    }
    // errors: one per run at an inner position, applied from the end so indices stay valid
    const errors: { run: 0 | 1; k: number; type: NonNullable<SimulatedRun['error']> }[] = [];
    for (const run of [0, 1] as const) {
      if (rng.next() < truth.errorRate) {
        const type = (['wrong', 'missing', 'extra'] as const)[rng.int(0, 2)]!;
        errors.push({ run, k: rng.int(1, RUN_NOTES - 2), type });
      }
    }
    const membership = phrase.map((_, j) => (j < RUN_NOTES - 1 ? [0] : j === RUN_NOTES - 1 ? [0, 1] : [1]));
    for (const error of [...errors].reverse()) {
      const j = error.run * (RUN_NOTES - 1) + error.k;
      const note = phrase[j]!;
      if (error.type === 'wrong') note.pitch = blackNeighbour(note.pitch);
      else if (error.type === 'missing') {
        phrase.splice(j, 1);
        membership.splice(j, 1);
      } else {
        const next = phrase[j + 1]!;
        const extra: Note = {
          pitch: blackNeighbour(note.pitch),
          onMs: (note.onMs + next.onMs) / 2,
          offMs: null,
          velocity: velocity(rng, truth),
          channel: 0,
        };
        phrase.splice(j + 1, 0, extra);
        membership.splice(j + 1, 0, [error.run]);
      }
    }
    // onsets in order (the truth's runs keep their notes even if jitter swapped two of them)
    const order = phrase.map((_, i) => i).sort((a, b) => phrase[a]!.onMs - phrase[b]!.onMs);
    const sorted = order.map((i) => phrase[i]!);
    const sortedMembership = order.map((i) => membership[i]!);
    phrase.splice(0, phrase.length, ...sorted);
    membership.splice(0, membership.length, ...sortedMembership);
    phrase.forEach((note, i) => {
      const next = phrase[i + 1];
      const release = (next ? next.onMs : note.onMs + ioiMs) + truth.legatoMs;
      note.offMs = Math.max(release, note.onMs + 1);
    });
    for (const run of [0, 1] as const) {
      runs.push({
        direction: run === 0 ? 'up' : 'down',
        error: errors.find((e) => e.run === run)?.type ?? null,
        notes: phrase.filter((_, i) => membership[i]!.includes(run)),
      });
    }
    all.push(...phrase);
    t0 = phrase[phrase.length - 1]!.onMs + restMs + rng.uniform(0, 500);
  }
  return {
    input: { task: 'scale', notes: all, sustain: [], tempoBpm: truth.bpm, flags: [] },
    truth: { ...truth, ioiMs, runs },
  };
}
