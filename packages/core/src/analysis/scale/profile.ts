/**
 * The note-by-note data behind the scale results (measures.md 2.3): per hand and playing direction,
 * every correct run's onset deviations from its line fit d[k], the systematic profile m[k] (the
 * player's timing "fingerprint", van Vugt 2012/2013), the trial-to-trial spread σ[k], the IOIs and the
 * velocities. The runs are those of the scale analysis ({@link segmentRuns}) and the per-run values
 * those of {@link runTiming}, so every number here agrees with the scale metrics.
 */
import { mean, sampleSd } from '../dsp/stats.js';
import type { Note, ScaleInput } from '../inputs.js';
import { runTiming } from './metrics.js';
import { segmentRuns, type Run } from './runs.js';

/** One correct run, as the plots draw it. */
export interface ScaleProfileRun {
  /** Onset of the run's first note, ms (the input's time line). */
  startMs: number;
  /** The 15 onsets t_on[k], ms. */
  onsetsMs: number[];
  /** Line-fit deviations d[k] = t_on[k] − (a + b·k), ms (15). */
  deviationsMs: number[];
  /** Inter-onset intervals IOI[k] = t_on[k+1] − t_on[k], ms (14). */
  ioisMs: number[];
  /** Note-on velocities v[k], 1–127 (15). */
  velocities: number[];
  /** Sample SD of the run's IOIs (SD-IOI), ms. */
  ioiSdMs: number;
  /** Sample SD of the run's velocities. */
  velocitySd: number;
}

/** Mean and sample SD across runs at each position of a run. */
export interface PositionSummary {
  mean: number[];
  /** Sample SD over the runs at each position; null with fewer than 2 runs. */
  sd: number[] | null;
}

/** The correct runs of one hand in one direction, and their summaries. */
export interface ScaleDirectionProfile {
  /** The hand; null when the input's hand is not known. */
  hand: 'left' | 'right' | null;
  direction: 'up' | 'down';
  /** The 15 pitches of a correct run in this direction (of the first one), or null without a run. */
  pitches: number[] | null;
  runs: ScaleProfileRun[];
  /** m[k] (mean) and σ[k] (SD) of the deviations d[k] over the runs; null without a run. */
  deviation: PositionSummary | null;
  /** Mean and SD of IOI[k] over the runs, k = 0…13; null without a run. */
  ioi: PositionSummary | null;
  /** Mean and SD of v[k] over the runs; null without a run. */
  velocity: PositionSummary | null;
  /** mSD-IOI: mean of the runs' SD-IOI, ms (the metric `ioi_sd_<direction>_ms`); null without a run. */
  ioiSdMs: number | null;
  /** Mean of the IOIs of every run, ms; null without a run. */
  ioiMeanMs: number | null;
  /** Mean of the runs' velocity SDs; null without a run. */
  velocitySd: number | null;
  /** RMS of m[k] over the 15 positions, ms; null with fewer than 2 runs (as `systematic_profile_rms_ms`). */
  systematicRmsMs: number | null;
  /** Mean of σ[k] over the 15 positions, ms; null with fewer than 2 runs (as `trial_to_trial_sd_ms`). */
  trialSdMs: number | null;
}

/** Middle C (C4): the top of the left hand's scale and the bottom of the right hand's (measures.md 2.2). */
const MIDDLE_C = 60;

/**
 * Splits the notes of a both-hands recording (two-octave scales in parallel motion, the left hand
 * C2–C4, the right hand C4–C6) into the two hands: notes below middle C are the left hand's, notes
 * above the right hand's, and a middle C goes to the right hand when the nearest note in time of
 * another pitch is below it (the left hand is at the bottom: the right hand starts or ends its run),
 * to the left hand otherwise (the right hand is at its top).
 * @param notes - notes in onset order
 */
export function splitHands(notes: readonly Note[]): { left: Note[]; right: Note[] } {
  const left: Note[] = [];
  const right: Note[] = [];
  notes.forEach((note, i) => {
    if (note.pitch !== MIDDLE_C) {
      (note.pitch < MIDDLE_C ? left : right).push(note);
      return;
    }
    let nearest: Note | null = null;
    for (let j = i - 1; j >= 0; j--) {
      if (notes[j]!.pitch !== MIDDLE_C) {
        nearest = notes[j]!;
        break;
      }
    }
    for (let j = i + 1; j < notes.length; j++) {
      const other = notes[j]!;
      if (other.pitch === MIDDLE_C) continue;
      if (!nearest || other.onMs - note.onMs < note.onMs - nearest.onMs) nearest = other;
      break;
    }
    (nearest && nearest.pitch < MIDDLE_C ? right : left).push(note);
  });
  return { left, right };
}

function positionSummary(rows: readonly number[][]): PositionSummary | null {
  if (rows.length === 0) return null;
  const columns = rows[0]!.map((_, k) => rows.map((row) => row[k]!));
  return {
    mean: columns.map((column) => mean(column)),
    sd: rows.length >= 2 ? columns.map((column) => sampleSd(column)) : null,
  };
}

function directionProfile(
  hand: ScaleDirectionProfile['hand'],
  direction: Run['direction'],
  runs: readonly Run[],
): ScaleDirectionProfile {
  const own = runs.filter((run) => run.direction === direction);
  const profiled: ScaleProfileRun[] = own.map((run) => {
    const timing = runTiming(run);
    return {
      startMs: run.notes[0]!.onMs,
      onsetsMs: run.notes.map((n) => n.onMs),
      deviationsMs: timing.deviations,
      ioisMs: timing.iois,
      velocities: run.notes.map((n) => n.velocity),
      ioiSdMs: timing.ioiSd,
      velocitySd: timing.velocitySd,
    };
  });
  const deviation = positionSummary(profiled.map((r) => r.deviationsMs));
  const any = profiled.length > 0;
  return {
    hand,
    direction,
    pitches: own[0]?.notes.map((n) => n.pitch) ?? null,
    runs: profiled,
    deviation,
    ioi: positionSummary(profiled.map((r) => r.ioisMs)),
    velocity: positionSummary(profiled.map((r) => r.velocities)),
    ioiSdMs: any ? mean(profiled.map((r) => r.ioiSdMs)) : null,
    ioiMeanMs: any ? mean(profiled.flatMap((r) => r.ioisMs)) : null,
    velocitySd: any ? mean(profiled.map((r) => r.velocitySd)) : null,
    systematicRmsMs: deviation?.sd ? Math.sqrt(mean(deviation.mean.map((m) => m * m))) : null,
    trialSdMs: deviation?.sd ? mean(deviation.sd) : null,
  };
}

/**
 * The deviation profile, IOIs and velocities of a scale performance, per hand × direction.
 *
 * The notes are sorted by onset and segmented into runs exactly as the scale analysis does
 * ({@link segmentRuns}); each direction's correct runs give d[k], m[k] = mean over runs of d[k] and
 * σ[k] = sample SD over runs of d[k] (measures.md 2.3), and the same per-position means and SDs of the
 * IOIs and velocities. With `hand` `both`, the notes are first split into the two hands
 * ({@link splitHands}) and each hand is segmented on its own (the scale metrics of such a recording,
 * which treat it as one line of notes, find no runs).
 * @param input - a scale input (`scaleFromRecording`, `scaleFromMidiFile`, `scaleFromCsv`)
 * @param hand - the recording's hand (default unknown: one group with `hand` null)
 * @returns up then down for one hand; left up, left down, right up, right down for both
 */
export function scaleProfile(
  input: Pick<ScaleInput, 'notes'>,
  hand: 'left' | 'right' | 'both' | null = null,
): ScaleDirectionProfile[] {
  const notes = [...input.notes].sort((a, b) => a.onMs - b.onMs);
  const groups: [ScaleDirectionProfile['hand'], Note[]][] =
    hand === 'both'
      ? Object.entries(splitHands(notes)).map(([h, own]) => [h as 'left' | 'right', own])
      : [[hand, notes]];
  return groups.flatMap(([groupHand, own]) => {
    const { correct } = segmentRuns(own);
    return [directionProfile(groupHand, 'up', correct), directionProfile(groupHand, 'down', correct)];
  });
}
