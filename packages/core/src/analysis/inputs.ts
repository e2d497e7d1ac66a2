/**
 * The in-memory inputs of the task analysers: what every source (a recording, a contract CSV file, a
 * Standard MIDI File) is turned into before analysis. Times are ms on one clock, distances mm.
 * Parsers check the row rules of the analysis contract (non-decreasing time, finite numbers) and
 * report what they dropped as quality flags in `flags`.
 */
import type { QualityFlag } from './flags.js';

/** One key press: keydown and keyup times, the physical key (`KeyboardEvent.code`) and/or the key value. */
export interface KeyPress {
  downMs: number;
  upMs: number;
  /** `KeyboardEvent.code` (layout-independent physical key), when known. */
  code: string | null;
  /** `KeyboardEvent.key`, when known (only kept when the person opted in). */
  key: string | null;
}

export interface TypingInput {
  task: 'typing';
  /** In input order; the analyser sorts by `downMs` and drops auto-repeat. */
  presses: KeyPress[];
  flags: QualityFlag[];
}

export interface Tap {
  downMs: number;
  upMs: number;
  /** Target label (any string); two consecutive equal labels are an alternation error. */
  target: string | null;
  xMm: number | null;
  yMm: number | null;
}

export interface TappingInput {
  task: 'tapping';
  taps: Tap[];
  /** Metronome click times, ms, ascending (empty without a metronome). */
  beatsMs: number[];
  /**
   * Time after which the metronome stopped (continuation phase of synchronisation–continuation),
   * or null when the whole trial was paced or unpaced.
   */
  continuationFromMs: number | null;
  /**
   * How much later than `beatsMs` the clicks were heard, ms (measures.md 6.5):
   * - a number: measured by a loop-back latency calibration; the heard click is `beatsMs + this`,
   *   so the mean asynchrony is corrected by it;
   * - `null`: the clicks are the app's scheduled output times and no calibration was made, so the mean
   *   asynchrony is unknown (null, flag LATENCY_UNCALIBRATED);
   * - absent: the click times are taken as heard (CSV input, whose `beat_ms` the caller supplies).
   */
  latencyCorrectionMs?: number | null;
  flags: QualityFlag[];
}

/** One played note: onset and release, MIDI pitch and note-on velocity. */
export interface Note {
  pitch: number;
  onMs: number;
  /** Release time; null when the note was never released (truncated file or recording). */
  offMs: number | null;
  velocity: number;
  channel: number | null;
}

export interface ScaleInput {
  task: 'scale';
  /** Note-ons with velocity > 0, sorted by onset. */
  notes: Note[];
  /** Sustain-pedal (CC 64) changes: time and value 0–127. */
  sustain: { ms: number; value: number }[];
  /** Metronome tempo when known (for the target IOI), beats per minute. */
  tempoBpm: number | null;
  /**
   * When the person played: from the first `trial-start` to the last `trial-end` marker of a recording
   * (end +∞ when the recording stopped before it); the sustain pedal counts only then, and a passage's
   * runs are cut from the notes then. Absent or null: the whole input (files, recordings without
   * markers).
   */
  playWindowMs?: { startMs: number; endMs: number } | null;
  /**
   * A block D passage recording (the person's own passage played several times, measures.md 2.2):
   * the silence between onsets that separates repetitions, ms. Absent or null: scales.
   */
  passagePauseMs?: number | null;
  flags: QualityFlag[];
}

/** One kept trial of a pen recording (e.g. one spiral): its time window, ms on the samples' clock. */
export interface PenTrial {
  /** 1-based number of the trial in the task (the spiral task's `trial-<k>`), when known. */
  trial: number | null;
  startMs: number;
  /** Inclusive. */
  endMs: number;
}

/**
 * Pen, stylus, finger or mouse samples as columns of equal length; time non-decreasing (repeated
 * stamps already dropped). Optional columns are null when the source has none.
 */
export interface PenInput {
  task: 'spiral' | 'handwriting' | 'precision';
  tMs: Float64Array;
  xMm: Float64Array;
  /** y grows downwards on screens; analyses do not depend on the orientation except where stated. */
  yMm: Float64Array;
  pressure: Float64Array | null;
  tiltXDeg: Float64Array | null;
  tiltYDeg: Float64Array | null;
  /** 1 when the pen touches the surface, 0 otherwise; null means always down. */
  penDown: Uint8Array | null;
  /** Precision task: the target (or path point) at each sample, mm. */
  targetXMm: Float64Array | null;
  targetYMm: Float64Array | null;
  /**
   * The kept trials of a recording that holds several (the spiral task's trial markers, redone
   * attempts left out), in time order; every sample lies in one of them. Absent or null: the samples
   * are one drawing (contract CSV input, recordings without trial markers).
   */
  trials?: readonly PenTrial[] | null;
  flags: QualityFlag[];
}

/** Phone accelerometer (gravity removed) and optional gyroscope, as columns of equal length. */
export interface TremorInput {
  task: 'tremor';
  tMs: Float64Array;
  ax: Float64Array;
  ay: Float64Array;
  az: Float64Array;
  gx: Float64Array | null;
  gy: Float64Array | null;
  gz: Float64Array | null;
  flags: QualityFlag[];
}

export type AnalysisInput = TypingInput | TappingInput | ScaleInput | PenInput | TremorInput;
