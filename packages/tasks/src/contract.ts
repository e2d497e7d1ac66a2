import type { Recording, SessionContextV1, Stream, TaskId } from '@dystrack/core';
import type { Clock } from './clock';
import type { StreamBuilder } from './columns';
import type { AudioContextLike } from './metronome/metronome';

/** Which hand a run is for. */
export type Hand = 'left' | 'right' | 'both';

/** A JSON value, as `recording.params` holds them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A task parameter: its default, its bounds and what it means. */
export type ParameterSpec =
  | { type: 'number'; default: number; min: number; max: number; unit: string; description: string }
  | {
      type: 'string';
      default: string;
      options?: readonly string[];
      description: string;
      /** Asked of the person before the run, as a choice between the options (e.g. how to tap). */
      ask?: ParameterQuestion<string>;
    }
  | {
      type: 'boolean';
      default: boolean;
      description: string;
      /** Asked of the person before the run, as a yes/no choice (labels `true` and `false`). */
      ask?: ParameterQuestion<'true' | 'false'>;
    };

/** How a parameter is asked of the person before a run. */
export interface ParameterQuestion<V extends string> {
  question: string;
  /** The words of each choice. */
  labels: Readonly<Partial<Record<V, string>>> & Readonly<Record<string, string>>;
  /** Asked only when another asked parameter has this value (e.g. the finger only for the drills). */
  when?: { param: string; equals: string };
}

/** The static description of a task plugin (declared once, `as const satisfies TaskDefinition`). */
export interface TaskDefinition {
  id: TaskId;
  /** Semantic version of the protocol; stamped on every recording. Bump it whenever what is recorded changes. */
  version: string;
  title: string;
  /** One sentence for the task card. */
  summary: string;
  /** Plain-language steps shown before the task starts. */
  instructions: readonly string[];
  /** The hands the task can be run with (a subset of core's `TASK_RECORDING_SPECS[id].hands`). */
  hands: readonly Hand[];
  /** Input devices the task uses. */
  inputs: readonly ('keyboard' | 'touch' | 'mouse' | 'pen' | 'midi' | 'motion')[];
  /** Approximate duration of one run including the countdown, seconds (shown on the card). */
  approxDurationS: number;
  parameters: Readonly<Record<string, ParameterSpec>>;
}

/** Parameter values of a run (after {@link resolveParams}: every parameter present). */
export type TaskParams = Record<string, number | string | boolean>;

/** The values of a definition's parameters, inferred from the `as const` definition. */
export type ParamValues<P extends Readonly<Record<string, ParameterSpec>>> = {
  -readonly [K in keyof P]: P[K] extends { type: 'number' }
    ? number
    : P[K] extends { type: 'boolean' }
      ? boolean
      : P[K] extends { options: readonly (infer O)[] }
        ? O
        : string;
};

/**
 * Everything a task's `run` gets from outside, so that tests can hand in fakes (jsPsych's
 * `TimelineNodeDependencies` idea). The runner owns the raw streams: a task appends to the builders
 * that {@link TaskContext.stream} gives it, and the runner can therefore checkpoint them at any time.
 */
export interface TaskContext {
  /** The element the task draws into; the task owns the children it adds and removes them when it ends. */
  element: HTMLElement;
  hand: Hand;
  /** Resolved parameters: every parameter of the definition, defaults filled in, bounds checked. */
  params: Readonly<TaskParams>;
  /** Aborts the run (the web app's Cancel, leaving the page). `run` then rejects with an AbortError. */
  signal: AbortSignal;
  /** The performance clock (same time base as `Event.timeStamp`) and timers. Tests pass a fake. */
  clock: Clock;
  /** Whether the person asked for reduced motion: no animation, only static changes. */
  reducedMotion: boolean;
  /** Says something to screen-reader users (an ARIA live region). */
  announce(message: string): void;
  /**
   * The builder of one of the task's raw streams (as declared in core's `TASK_RECORDING_SPECS`),
   * created on first use with the given columns (default: every column of the spec).
   * @throws RangeError for a stream or column the task's spec does not declare
   */
  stream(name: string, columns?: readonly string[]): StreamBuilder;
  /** Appends a row to the `markers` stream (`trial-start`, `trial-end`, …); time defaults to `clock.now()`. */
  mark(label: string, timeStampMs?: number): void;
  /** Adds a quality flag (`STOPPED_EARLY`, …) to the recording. */
  flag(code: string): void;
  /** Records a fact of this run in `recording.params` (the targets' geometry, the keys actually used). */
  setParam(name: string, value: JsonValue): void;
  /** Shows the shared 3-2-1 countdown over the task's layout; resolves with the performance time of "go". */
  countdown(): Promise<number>;
  /** Checkpoints now: the web app gets what is new since the last checkpoint (the task calls it at each trial end). */
  checkpoint(): void;
  /**
   * The run's audio context, created on the first call (later calls return the same one), or `null`
   * where the browser has no Web Audio. It starts suspended in browsers: resume it with `resumeAudio`
   * synchronously in a click or key handler. The runner closes it when the run ends; tests pass a fake.
   */
  audio(): TaskAudioContext | null;
}

/**
 * An audio context as tasks get it from {@link TaskContext.audio}: the parts the metronome uses, and
 * `close` (a real `AudioContext` has it; test fakes may leave it out).
 */
export interface TaskAudioContext extends AudioContextLike {
  /** Frames per second of the audio clock (a real `AudioContext` has it). */
  readonly sampleRate?: number;
  close?(): Promise<void>;
}

/** What a task captured: raw streams, quality flags and facts of the run. */
export interface TaskCapture {
  streams: Record<string, Stream>;
  flags: string[];
  /** From the first `trial-start` marker to the last `trial-end` (or to now, while running), ms. */
  durationMs: number;
  /** Facts of the run that go into `recording.params`, overriding the requested parameters of the same name. */
  params: Record<string, JsonValue>;
}

/** Options of a simulated run. */
export interface SimulateOptions {
  hand: Hand;
  /** Resolved parameters (see {@link resolveParams}). */
  params: Readonly<TaskParams>;
  /** Seed of the pseudo-random generator: the same seed gives the same capture. */
  seed: number;
  /** Produce the longest recording the task allows (its maximum duration), for size-limit tests. */
  longest?: boolean;
}

/** A task plugin: definition, browser capture and a synthetic participant. */
export interface TaskPlugin {
  definition: TaskDefinition;
  /**
   * Captures one run in the browser into the streams of `ctx`. Resolves when the run is over;
   * rejects with an AbortError when `ctx.signal` aborts. Cleans up its DOM and listeners either way.
   */
  run(ctx: TaskContext): Promise<void>;
  /** A realistic synthetic capture, deterministic for a seed, with the same streams a real run has. */
  simulate(options: SimulateOptions): TaskCapture;
}

/** What the runner adds around a capture to make a recording. */
export interface RecordingMeta {
  /** Client-generated UUID: uploads are idempotent on it. */
  id: string;
  hand: Hand;
  /** Resolved parameters of the run. */
  params: Readonly<TaskParams>;
  context: SessionContextV1;
  /** Wall-clock start (ISO 8601), metadata only: event times are on the performance clock. */
  startedAt: string;
}

/** A recording's envelope: everything but its streams (a few hundred bytes). */
export type RecordingHead = Omit<Recording, 'streams'>;

/**
 * New values of one column, in the column builder's own form: typed arrays for numbers and flags (an
 * `f64` NaN is a `null` of the recording, a `bool` is 0 or 1), the platform's strings for `str`.
 */
export type ColumnChunk =
  | { type: 'f64'; values: Float64Array }
  | { type: 'i32'; values: Int32Array }
  | { type: 'bool'; values: Uint8Array }
  | { type: 'str'; values: string[] };

/** The rows one stream completed since the previous checkpoint, column by column (layout order). */
export interface StreamChunk {
  /** Rows the stream held before these: the index of the chunk's first row. */
  fromRow: number;
  /** Rows in the chunk (every column holds this many values). */
  rows: number;
  columns: Record<string, ColumnChunk>;
}

/**
 * One checkpoint of a running task, as the runner hands it to the app: only what is new since the
 * previous checkpoint, so that saving it every second costs the same at minute five as at second one.
 * The deltas of a run, assembled in order ({@link assembleCheckpoints}), are the recording a full copy
 * at the last of them would have been, value for value.
 */
export interface CheckpointDelta {
  /** The recording's id: the same for every checkpoint of a run and for its final recording. */
  id: string;
  /** 0 for the run's first checkpoint, then 1, 2, …; assembly needs every one, in this order. */
  seq: number;
  /** The envelope at this checkpoint (duration, flags with `INCOMPLETE`, timing); it replaces the previous one. */
  head: RecordingHead;
  /**
   * Per stream, the rows completed since the previous checkpoint: every stream with new rows, and a
   * stream the task created since then even without rows (it is part of the recording from then on).
   */
  streams: Record<string, StreamChunk>;
}

export type { Recording };
