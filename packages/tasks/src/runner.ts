import type { Recording, SessionContextV1, TimingV1 } from '@dystrack/core';
import { TASK_RECORDING_SPECS } from '@dystrack/core';
import { abortError, browserClock, isAbortError, type Clock } from './clock';
import { MARKERS, StreamSet } from './columns';
import type {
  CheckpointDelta,
  Hand,
  JsonValue,
  RecordingHead,
  RecordingMeta,
  TaskAudioContext,
  TaskContext,
  TaskParams,
  TaskPlugin,
} from './contract';
import { runCountdown } from './countdown';
import { collectDevice } from './device';
import { createAnnouncer, prefersReducedMotion } from './dom';
import { resolveParams } from './params';
import { buildRecordingHead, FLAGS, withStreams } from './recording';
import { randomUuid } from './rng';
import { estimatePollingHz } from './polling';
import { probeTiming, type TimingProbeResult } from './timing-probe';
import { trackVisibility } from './capture/visibility';

export interface RunTaskOptions {
  /** The element the task draws into (it should be empty and visible, ideally full-screen). */
  element: HTMLElement;
  hand: Hand;
  /** Parameter values; missing ones take the definition's defaults. */
  params?: Readonly<Partial<TaskParams>>;
  /** The pre-session answers (see `validatePreSession`). */
  context: SessionContextV1;
  /** Aborts the run: the promise rejects with a {@link TaskAbortedError}. */
  signal?: AbortSignal;
  /**
   * Crash safety: called with what is new since the previous call (a {@link CheckpointDelta}: the rows
   * each stream completed since then, and the envelope now, flag `INCOMPLETE`) at least every
   * `checkpointIntervalMs`, at each trial end, when the page is hidden or unloaded, and once more on
   * abort or error (flags `ABORTED` / `TASK_ERROR`). Append each delta to storage (IndexedDB) under the
   * recording's `id` and its `seq`; `assembleCheckpoints` turns the deltas, in order, into the
   * recording a full copy would have been (after a crash, at start-up). Replace them with the final
   * recording when the run resolves. Must be quick and synchronous (start the IndexedDB write, do not
   * await it). If it throws, the delta counts as not handed over: the exception is swallowed so that
   * capture goes on, and the next delta has the same `seq` and covers these rows too.
   */
  onCheckpoint?: (delta: CheckpointDelta) => void;
  /** Screen-reader announcements (the app's live region); default: a live region inside `element`. */
  announce?: (message: string) => void;
  /** Default: the `prefers-reduced-motion` media query. */
  reducedMotion?: boolean;
  /** Input hardware the person named (keyboard, pen or tablet model, phone model). */
  inputDevice?: string | null;
  /** The recording's client UUID (default `crypto.randomUUID()`); the same for checkpoints and the final recording. */
  id?: string;
  /** Clock and timers (default: `performance.now()` and the window's timers); tests pass a fake. */
  clock?: Clock;
  /** Interval of periodic checkpoints, ms (default 1000, at most 2000). */
  checkpointIntervalMs?: number;
  /** The timing probe (default {@link probeTiming}); tests may pass a fixed result. */
  probe?: () => TimingProbeResult;
  /**
   * Makes the run's audio context when the task first asks for one (`ctx.audio()`); called at most once
   * per run. Return a new context (or `null` for none): the runner owns it and closes it (when it has
   * `close`) at the end of the run. Default {@link createBrowserAudio}; tests pass a `FakeAudioContext`.
   */
  audio?: () => TaskAudioContext | null;
}

/**
 * The default audio source of a run: a new `AudioContext` with the `interactive` latency hint
 * (`webkitAudioContext` in old Safari), or `null` where the browser has no Web Audio or refuses one.
 */
export function createBrowserAudio(): TaskAudioContext | null {
  const scope = globalThis as {
    AudioContext?: new (options?: { latencyHint?: string }) => TaskAudioContext;
    webkitAudioContext?: new (options?: { latencyHint?: string }) => TaskAudioContext;
  };
  const Constructor = scope.AudioContext ?? scope.webkitAudioContext;
  if (typeof Constructor !== 'function') return null;
  try {
    return new Constructor({ latencyHint: 'interactive' });
  } catch {
    // Too many contexts, or a browser policy: the task says that there is no sound.
    return null;
  }
}

/**
 * The rejection of an aborted run. `recording` is what had been captured (flags `INCOMPLETE`, `ABORTED`),
 * what the run's checkpoint deltas assemble to; it is null when the run was aborted before it started.
 */
export class TaskAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor(
    readonly recording: Recording | null,
    options?: { cause?: unknown },
  ) {
    super('The task was aborted.', options);
  }
}

/**
 * Runs a task in the browser: resolves the parameters, runs the timing probe, tracks page
 * visibility, hands the task a {@link TaskContext} (whose `countdown()` shows the shared 3-2-1
 * countdown over the task's layout), checkpoints the capture for crash safety, and builds the recording.
 * @returns the finished recording; it passes core's `parseTaskRecording`
 * @throws TaskAbortedError (name `AbortError`) when `signal` aborts; RangeError for bad params or hand;
 *   a task's own error (after a last checkpoint flagged `TASK_ERROR`)
 * @example
 * const recording = await runTask(getTask('tapping')!, {
 *   element, hand: 'right', context: validatePreSession(answers), signal,
 *   onCheckpoint: (delta) => chunks.append(delta),
 * });
 */
export async function runTask(
  plugin: Pick<TaskPlugin, 'definition' | 'run'>,
  options: RunTaskOptions,
): Promise<Recording> {
  const { definition } = plugin;
  const spec = TASK_RECORDING_SPECS[definition.id];
  if (!definition.hands.includes(options.hand) || !spec.hands.includes(options.hand)) {
    throw new RangeError(`the ${definition.id} task cannot be run with hand "${options.hand}"`);
  }
  const params = resolveParams(definition, options.params);
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) throw new TaskAbortedError(null, { cause: signal.reason });

  const clock = options.clock ?? browserClock;
  const element = options.element;
  const announcer = options.announce ? null : createAnnouncer(element);
  const announce = options.announce ?? announcer!.announce;
  const reducedMotion = options.reducedMotion ?? prefersReducedMotion();
  const meta: RecordingMeta = {
    id: options.id ?? randomUuid(),
    hand: options.hand,
    params,
    context: { ...options.context },
    startedAt: new Date().toISOString(),
  };
  const device = collectDevice({ inputDevice: options.inputDevice ?? null });
  const probe = (options.probe ?? probeTiming)();
  const streams = new StreamSet(definition.id);
  const taskFlags: string[] = [];
  const runParams: Record<string, JsonValue> = {};
  const intervalMs = Math.min(2000, Math.max(100, options.checkpointIntervalMs ?? 1000));
  let checkpointTimer: number | undefined;
  const makeAudio = options.audio ?? createBrowserAudio;
  let audio: { context: TaskAudioContext | null } | undefined;

  /** The envelope now: everything but the streams (cheap: no stream is copied). */
  const envelope = (extraFlags: readonly string[]): RecordingHead => {
    const now = clock.now();
    // the keyboard's polling rate from the key events' time stamps (measures.md 9.5 item 2)
    const keyboard = streams.get('keyboard');
    const keyTimes = keyboard?.has('timeStampMs')
      ? keyboard.f64('timeStampMs').slice(0, keyboard.rows)
      : undefined;
    const timing: TimingV1 = {
      crossOriginIsolated: probe.crossOriginIsolated,
      resolutionMs: probe.resolutionMs,
      pollingEstimateHz: probe.pollingEstimateHz ?? (keyTimes ? estimatePollingHz(keyTimes) : null),
      hiddenCount: visibility.hiddenCount,
      hiddenMs: visibility.hiddenMs(now),
      timeOriginMs: probe.timeOriginMs,
    };
    const flags = [...extraFlags];
    if (visibility.hiddenCount > 0) flags.push(FLAGS.tabHidden);
    if (probe.coarse) flags.push(FLAGS.coarseTimer);
    return buildRecordingHead(
      plugin,
      { flags: [...taskFlags], durationMs: streams.durationMs(now), params: { ...runParams } },
      meta,
      { device, timing, flags },
    );
  };
  const snapshot = (extraFlags: readonly string[]): Recording =>
    withStreams(envelope(extraFlags), streams.snapshot());
  // Checkpoints hand over only what is new: copying the whole capture every second made a long pen
  // trial's work (and garbage) grow with the square of its length.
  let nextSeq = 0;
  let handed: ReadonlyMap<string, number> = new Map();
  /** Hands the app a checkpoint delta; returns the envelope it carried. */
  const checkpoint = (extraFlags: readonly string[] = []): RecordingHead => {
    const head = envelope([FLAGS.incomplete, ...extraFlags]);
    if (!options.onCheckpoint) return head;
    const { streams: chunks, rows } = streams.chunksSince(handed);
    try {
      options.onCheckpoint({ id: meta.id, seq: nextSeq, head, streams: chunks });
      nextSeq++;
      handed = rows;
    } catch {
      // The app's storage failing must not end the capture: the next delta covers these rows too.
    }
    return head;
  };
  const schedule = () => {
    checkpointTimer = clock.setTimeout(() => {
      checkpoint();
      schedule();
    }, intervalMs);
  };
  const visibility = trackVisibility(streams.stream('visibility'), {
    onHide: () => checkpoint(),
    nowMs: clock.now(),
  });

  const ctx: TaskContext = {
    element,
    hand: options.hand,
    params,
    signal,
    clock,
    reducedMotion,
    announce,
    stream: (name, columns) => streams.stream(name, columns),
    mark: (label, timeStampMs) => {
      streams.mark(label, timeStampMs ?? clock.now());
    },
    flag: (code) => {
      if (!taskFlags.includes(code)) taskFlags.push(code);
    },
    setParam: (name, value) => {
      runParams[name] = value;
    },
    countdown: () =>
      runCountdown({
        container: element,
        clock,
        signal,
        announce,
        reducedMotion,
        onStep: (value, timeMs) => streams.mark(`countdown-${value}`, timeMs),
      }),
    checkpoint: () => {
      checkpoint();
    },
    audio: () => {
      audio ??= { context: makeAudio() };
      return audio.context;
    },
  };

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  schedule();
  try {
    // The race makes an abort end the run even if a task ignored its signal.
    await Promise.race([plugin.run(ctx), aborted]);
    if (signal.aborted) throw abortError(signal);
    return snapshot([]);
  } catch (error) {
    if (signal.aborted || isAbortError(error)) {
      streams.mark(MARKERS.abort, clock.now());
      // the last checkpoint's envelope, with every row: what the run's deltas assemble to
      const partial = withStreams(checkpoint([FLAGS.aborted]), streams.snapshot());
      throw new TaskAbortedError(partial, { cause: error });
    }
    checkpoint([FLAGS.taskError]);
    throw error;
  } finally {
    if (checkpointTimer !== undefined) clock.clearTimeout(checkpointTimer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => {});
    visibility.stop();
    announcer?.remove();
    closeAudio(audio?.context ?? null);
  }
}

/** Closes a run's audio context; a context that is already closed or cannot close is left as it is. */
function closeAudio(context: TaskAudioContext | null): void {
  if (!context || context.state === 'closed' || typeof context.close !== 'function') return;
  try {
    context.close().catch(() => {});
  } catch {
    // Nothing to free: the context is gone either way.
  }
}
