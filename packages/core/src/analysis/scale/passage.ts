/**
 * Block D of the scale task (measures.md 2.2): the person's own passage, played about 5 times with a
 * pause between repetitions, "analysed only against the patient's own baseline (no template needed
 * beyond the recorded notes)". The repetitions are cut at the pauses, the template is the pitch
 * sequence played most often, and the timing of the correctly played repetitions is compared with
 * each other after tempo normalisation (trial-to-trial variability σ[k] of van Vugt et al. 2012,
 * applied to a free passage instead of a scale).
 */
import { mean, sampleSd } from '../dsp/stats.js';
import type { Note } from '../inputs.js';

/** The task's default pause between repetitions (`pauseS` 1.5 s), ms. */
export const DEFAULT_PASSAGE_PAUSE_MS = 1500;
/** Fewest notes of a group between pauses that counts as a repetition (as the scale task counts). */
export const MIN_PASSAGE_NOTES = 3;

/** The repetitions of a passage performance. */
export interface PassageSegmentation {
  /** Groups of at least {@link MIN_PASSAGE_NOTES} notes between pauses, in time order. */
  runs: Note[][];
  /** The most frequent pitch sequence among the runs (ties: the first played); null without runs. */
  template: number[] | null;
  /** The runs whose pitch sequence is the template. */
  correct: Note[][];
  /** Runs with another pitch sequence. */
  incorrectCount: number;
  /** Notes in the play window outside the correct runs (wrong runs and stray groups of 1–2 notes). */
  unmatchedNoteCount: number;
}

/**
 * Cuts a passage performance into repetitions: the notes whose onset lies in the play window (all
 * notes without one), in onset order, start a new group at every onset gap ≥ `pauseMs`; groups of
 * fewer than {@link MIN_PASSAGE_NOTES} notes are no repetition (stray notes). The template is the
 * pitch sequence that most runs have (ties: the one played first); runs with exactly that sequence are
 * correct, the others incorrect.
 * @param notes - notes in onset order
 * @param pauseMs - the silence between onsets that separates repetitions, ms (> 0)
 * @param window - the play window, or null for every note
 */
export function segmentPassage(
  notes: readonly Note[],
  pauseMs: number,
  window: { startMs: number; endMs: number } | null = null,
): PassageSegmentation {
  const played = window
    ? notes.filter((n) => n.onMs >= window.startMs && n.onMs <= window.endMs)
    : [...notes];
  const groups: Note[][] = [];
  for (let i = 0; i < played.length; i++) {
    if (i === 0 || played[i]!.onMs - played[i - 1]!.onMs >= pauseMs) groups.push([]);
    groups[groups.length - 1]!.push(played[i]!);
  }
  const runs = groups.filter((g) => g.length >= MIN_PASSAGE_NOTES);
  const key = (run: readonly Note[]) => run.map((n) => n.pitch).join(',');
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(key(run), (counts.get(key(run)) ?? 0) + 1);
  let best: Note[] | null = null;
  for (const run of runs) if (!best || counts.get(key(run))! > counts.get(key(best))!) best = run;
  const template = best ? best.map((n) => n.pitch) : null;
  const correct = best ? runs.filter((run) => key(run) === key(best)) : [];
  const correctNotes = correct.reduce((sum, run) => sum + run.length, 0);
  return {
    runs,
    template,
    correct,
    incorrectCount: runs.length - correct.length,
    unmatchedNoteCount: played.length - correctNotes,
  };
}

/**
 * Tempo-normalised timing of correct runs of the same N notes: each run's onsets relative to its own
 * first onset and divided by its duration D (last onset − first onset), u[k] = (t[k] − t[0]) / D;
 * σ[k] = sample SD over the runs of u[k], in ms at the mean duration, σ[k]·mean(D); the mean of σ[k]
 * over the inner positions k = 1…N−2 (σ[0] = σ[N−1] = 0 by construction). NaN with fewer than 2 runs,
 * fewer than 3 notes or a run of zero duration.
 */
export function passageTimingSdMs(runs: readonly (readonly Note[])[]): number {
  const n = runs[0]?.length ?? 0;
  if (runs.length < 2 || n < 3) return Number.NaN;
  const durations = runs.map((run) => run[n - 1]!.onMs - run[0]!.onMs);
  if (durations.some((d) => !(d > 0))) return Number.NaN;
  const meanDuration = mean(durations);
  const sigma: number[] = [];
  for (let k = 1; k < n - 1; k++) {
    const u = runs.map((run, r) => (run[k]!.onMs - run[0]!.onMs) / durations[r]!);
    sigma.push(sampleSd(u) * meanDuration);
  }
  return mean(sigma);
}

/**
 * The metrics of a passage recording (NaN where not computable; every scale timing metric is left
 * out, i.e. null): note_count (all notes), the run counts and error rate, unmatched notes, velocity_sd
 * (mean over the correct runs of each run's sample SD of velocity), passage_timing_sd_ms
 * ({@link passageTimingSdMs}) and passage_duration_cv_pct (sample SD / mean × 100 of the correct runs'
 * durations, last onset − first onset; at least 2 runs).
 */
export function passageMetricValues(
  noteCount: number,
  segmentation: PassageSegmentation,
): Record<string, number> {
  const { correct, incorrectCount, unmatchedNoteCount } = segmentation;
  const runsTotal = correct.length + incorrectCount;
  const durations = correct.map((run) => run[run.length - 1]!.onMs - run[0]!.onMs);
  return {
    note_count: noteCount,
    correct_run_count: correct.length,
    incorrect_run_count: incorrectCount,
    run_error_rate_pct: runsTotal > 0 ? (100 * incorrectCount) / runsTotal : Number.NaN,
    unmatched_note_count: unmatchedNoteCount,
    velocity_sd:
      correct.length > 0 ? mean(correct.map((run) => sampleSd(run.map((n) => n.velocity)))) : Number.NaN,
    passage_timing_sd_ms: passageTimingSdMs(correct),
    passage_duration_cv_pct: correct.length >= 2 ? (100 * sampleSd(durations)) / mean(durations) : Number.NaN,
  };
}
