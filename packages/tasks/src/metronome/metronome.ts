import { abortError, browserClock, type Clock } from '../clock';

/**
 * The shared metronome of the synchronisation–continuation tapping task and the MIDI scale task
 * (measures.md 6.2, 6.5, 2.6 and 9): short clicks scheduled on the Web Audio clock by a look-ahead
 * scheduler, each click's time mapped to the performance clock (the time base of `Event.timeStamp`)
 * through `AudioContext.getOutputTimestamp()`.
 *
 * Timers only decide *when to schedule*: every click is handed to the audio graph with
 * `OscillatorNode.start(when)` up to `lookaheadMs` before it plays, so the sound itself never depends
 * on `setTimeout` timing. A late timer shifts no click; a timer later than the look-ahead makes the
 * clicks it could not schedule in time silent (they are listed in {@link MetronomeResult.missed}),
 * never late.
 *
 * ## Latency convention
 *
 * {@link MetronomeClick.clickTimeMs} is the **scheduled start of the click at the audio output, as the
 * context reports it**: `performanceTime + (audioTimeS − contextTime) × 1000`, with
 * `{ contextTime, performanceTime }` read from `getOutputTimestamp()` when the click was scheduled
 * (`contextTime` is the sample frame the output device is presenting, `performanceTime` when it is
 * presented, on the `performance.now()` clock). Nothing is added to it.
 *
 * How much of the path to the ear that timestamp covers differs between browsers and devices; the parts
 * it does not cover (Bluetooth links, external interfaces, drivers that misreport) make the audible click
 * *later* than `clickTimeMs`, by up to about `outputLatency` (and, in the fallback mapping below, by about
 * `baseLatency + outputLatency`). So both latencies are stored with every click, as the context gave them
 * at that moment (`null` where the browser has no such attribute, e.g. `outputLatency` in Safari), and are
 * **not** added: absolute asynchrony needs a loop-back calibration (measures.md 6.5), while SD of
 * asynchrony and continuation ITIs do not depend on a constant latency.
 *
 * ## Fallback mapping
 *
 * When `getOutputTimestamp` is missing, throws, or gives no usable reading (both values are 0 until
 * the output has rendered its first block; non-finite values; a negative `contextTime`; a
 * `performanceTime` more than `maxTimestampAgeMs` away from now, i.e. a stale reading after a
 * suspension), the anchor is
 * `{ contextTime: currentTime, performanceTime: clock.now() }`, read back to back, and the click is
 * marked `mapping: 'currentTime'`. `currentTime` is where the graph is *rendering*, ahead of what is
 * being output, so these times are earlier than output-timestamp times by roughly the rendering-to-output
 * latency.
 */

/** One reading of `AudioContext.getOutputTimestamp()` (members are optional in the DOM typings). */
export interface AudioTimestampLike {
  contextTime?: number;
  performanceTime?: number;
}

/** The parts of an `AudioParam` the metronome uses. */
export interface AudioParamLike {
  value: number;
  setValueAtTime(value: number, startTime: number): unknown;
  exponentialRampToValueAtTime(value: number, endTime: number): unknown;
}

/** The parts of an `AudioNode` the metronome uses. */
export interface AudioNodeLike {
  connect(destination: AudioNodeLike): unknown;
  disconnect(): void;
}

/** The parts of an `OscillatorNode` the metronome uses. */
export interface OscillatorNodeLike extends AudioNodeLike {
  readonly frequency: AudioParamLike;
  start(when?: number): void;
  stop(when?: number): void;
}

/** The parts of a `GainNode` the metronome uses. */
export interface GainNodeLike extends AudioNodeLike {
  readonly gain: AudioParamLike;
}

/**
 * The parts of an `AudioContext` the metronome uses: a real `AudioContext` is one, and tests pass a
 * fake with a controllable clock.
 */
export interface AudioContextLike {
  /** Audio clock, s (advances in render quanta while the context runs). */
  readonly currentTime: number;
  /** `suspended` until resumed from a user gesture; `running`; `interrupted` (Safari); `closed`. */
  readonly state: string;
  /** Processing latency between the graph and the audio subsystem, s (missing in some browsers). */
  readonly baseLatency?: number;
  /** Estimated latency from the audio subsystem to the output device, s (missing in Safari). */
  readonly outputLatency?: number;
  readonly destination: AudioNodeLike;
  getOutputTimestamp?(): AudioTimestampLike;
  resume(): Promise<void>;
  createOscillator(): OscillatorNodeLike;
  createGain(): GainNodeLike;
}

/** Where a click's performance time came from. */
export type ClickMapping = 'outputTimestamp' | 'currentTime';

/** One click that started playing. */
export interface MetronomeClick {
  /** Position on the metronome's grid, from 0 (missed clicks keep their index: the grid never shifts). */
  index: number;
  /** Whether the accent pattern marks this click (higher, louder). */
  accent: boolean;
  /** Scheduled start on the AudioContext clock, s: exactly the `when` given to `OscillatorNode.start`. */
  audioTimeS: number;
  /**
   * Scheduled start at the audio output on the performance clock, ms:
   * `anchorPerformanceTimeMs + (audioTimeS − anchorContextTimeS) × 1000`. Output latency not added
   * (see the module's latency convention).
   */
  clickTimeMs: number;
  /** `outputTimestamp`: anchored by `getOutputTimestamp()`; `currentTime`: the fallback anchor. */
  mapping: ClickMapping;
  /** The anchor's audio-clock time, s (`contextTime`, or `currentTime` in the fallback). */
  anchorContextTimeS: number;
  /** The anchor's performance time, ms (`performanceTime`, or `clock.now()` in the fallback). */
  anchorPerformanceTimeMs: number;
  /** `AudioContext.baseLatency` when the click was scheduled, s; `null` where the browser has none. */
  baseLatencyS: number | null;
  /** `AudioContext.outputLatency` when the click was scheduled, s; `null` where the browser has none. */
  outputLatencyS: number | null;
}

/** How a metronome run ended. */
export interface MetronomeResult {
  /** `complete`: every click of `clicks` was played; `stopped`: `stop()` or a closed context ended it. */
  reason: 'complete' | 'stopped';
  /** The clicks that played, in order (the same objects `onClick` got). */
  clicks: MetronomeClick[];
  /** Grid indices that never sounded because the scheduling timer came too late for them. */
  missed: number[];
  /** Whether the context was seen in a state other than `running` during the run (suspended, interrupted). */
  interrupted: boolean;
  /** Audio-clock time of grid index 0, s. */
  firstClickAudioTimeS: number;
  /** The interval between clicks, ms. */
  intervalMs: number;
}

/** Options of {@link startMetronome}. */
export interface MetronomeOptions {
  /** A running context: resume it with {@link resumeAudio} from a click or key handler first. */
  context: AudioContextLike;
  /** Inter-onset interval, ms (500 = 120 bpm). */
  intervalMs: number;
  /** Number of clicks (grid positions, missed ones included); default: until stopped. */
  clicks?: number;
  /** Accent pattern, repeated: `[true, false, false, false]` accents beat 1 of a 4/4 bar. Default: none. */
  accents?: readonly boolean[];
  /** Delay of the first click after the start, ms (default 100; at least `minLeadMs`). */
  firstClickDelayMs?: number;
  /** How far ahead of the audio clock clicks are scheduled, ms (default 150). */
  lookaheadMs?: number;
  /** Period of the scheduling timer, ms (default 25; less than `lookaheadMs`). */
  tickMs?: number;
  /** A click is handed to the graph at least this long before it plays, else it is missed, ms (default 10). */
  minLeadMs?: number;
  /** The performance clock and timers (default the browser's); its `now()` anchors the fallback mapping. */
  clock?: Clock;
  /** Stops the metronome at once; `done` then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called once per click, in order, on the first scheduler tick after the click has started. */
  onClick?: (click: MetronomeClick) => void;
  /** Where the clicks go (default `context.destination`). */
  destination?: AudioNodeLike;
  /** Click pitch, Hz (default 1000). */
  frequencyHz?: number;
  /** Accented click pitch, Hz (default 1500). */
  accentFrequencyHz?: number;
  /** Click length, ms: an exponential decay from the peak (default 30). */
  clickDurationMs?: number;
  /** Peak gain of a click, 0–1 (default 0.5). */
  gain?: number;
  /** Peak gain of an accented click, 0–1 (default 0.8). */
  accentGain?: number;
  /** An output timestamp whose `performanceTime` is further than this from now is stale, ms (default 1000). */
  maxTimestampAgeMs?: number;
}

/** A running metronome. */
export interface Metronome {
  /** The clicks that have played so far (grows as they start). */
  readonly clicks: readonly MetronomeClick[];
  /** Audio-clock time of grid index 0, s. */
  readonly firstClickAudioTimeS: number;
  /**
   * Stops: no click starts after this call (clicks already scheduled but not started are cancelled and
   * not recorded); a click already sounding rings out. `done` then resolves with `reason: 'stopped'`.
   */
  stop(): void;
  /** Resolves when the last click has finished (or after `stop()`); rejects with an AbortError on abort. */
  readonly done: Promise<MetronomeResult>;
}

/** Gain the click envelope decays to (an exponential ramp cannot reach 0). */
const SILENT_GAIN = 1e-4;

/**
 * Resumes a suspended `AudioContext`. Browsers create contexts suspended until a user gesture, so call
 * this **synchronously inside a click, pointerup or keydown handler** (before any `await` in it): it
 * calls `context.resume()` at once, so the gesture still counts. Create the context with
 * `new AudioContext({ latencyHint: 'interactive' })`.
 * @returns resolves when the context runs; rejects with an `InvalidStateError` for a closed context and a
 *   `NotAllowedError` when it is still not running after `resume()` (no gesture). Where the browser keeps
 *   `resume()` pending until a gesture, so does this promise.
 */
export function resumeAudio(context: AudioContextLike): Promise<void> {
  if (context.state === 'running') return Promise.resolve();
  if (context.state === 'closed') {
    return Promise.reject(new DOMException('The AudioContext is closed.', 'InvalidStateError'));
  }
  return context.resume().then(() => {
    if (context.state !== 'running') {
      throw new DOMException(
        `The AudioContext is ${context.state}: resume it from a click or key press.`,
        'NotAllowedError',
      );
    }
  });
}

/** A reading of the audio-clock → performance-clock mapping, with the latencies at that moment. */
export interface ClockAnchor {
  /** `outputTimestamp` when `getOutputTimestamp()` gave a usable reading, else `currentTime` (fallback). */
  mapping: ClickMapping;
  /** Audio-clock time of the anchor, s. */
  contextTimeS: number;
  /** Performance-clock time of the anchor, ms. */
  performanceTimeMs: number;
  /** `AudioContext.baseLatency`, s, or `null`. */
  baseLatencyS: number | null;
  /** `AudioContext.outputLatency`, s, or `null`. */
  outputLatencyS: number | null;
}

interface Scheduled {
  click: MetronomeClick;
  oscillator: OscillatorNodeLike;
  gain: GainNodeLike;
  endS: number;
  started: boolean;
}

const finiteOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * Reads the clock mapping now: `getOutputTimestamp()` when it gives a usable reading, else the
 * `currentTime`/`clock.now()` fallback (see the module comment), with both latencies.
 * @param context - the audio context
 * @param now - the performance clock
 * @param maxAgeMs - a reading whose `performanceTime` is further than this from `now()` is stale
 */
export function readClockAnchor(context: AudioContextLike, now: () => number, maxAgeMs = 1000): ClockAnchor {
  const baseLatencyS = finiteOrNull(context.baseLatency);
  const outputLatencyS = finiteOrNull(context.outputLatency);
  let stamp: AudioTimestampLike | undefined;
  try {
    stamp = typeof context.getOutputTimestamp === 'function' ? context.getOutputTimestamp() : undefined;
  } catch {
    stamp = undefined;
  }
  const contextTime = finiteOrNull(stamp?.contextTime);
  const performanceTime = finiteOrNull(stamp?.performanceTime);
  const nowMs = now();
  if (
    contextTime !== null &&
    performanceTime !== null &&
    performanceTime > 0 &&
    contextTime >= 0 &&
    Math.abs(nowMs - performanceTime) <= maxAgeMs
  ) {
    return {
      mapping: 'outputTimestamp',
      contextTimeS: contextTime,
      performanceTimeMs: performanceTime,
      baseLatencyS,
      outputLatencyS,
    };
  }
  return {
    mapping: 'currentTime',
    contextTimeS: context.currentTime,
    performanceTimeMs: now(),
    baseLatencyS,
    outputLatencyS,
  };
}

/**
 * Maps an audio-clock time to the performance clock through an anchor:
 * `performanceTimeMs + (audioTimeS − contextTimeS) × 1000`.
 */
export function mapAudioTime(
  audioTimeS: number,
  anchor: { contextTimeS: number; performanceTimeMs: number },
): number {
  return anchor.performanceTimeMs + (audioTimeS - anchor.contextTimeS) * 1000;
}

function checkPositive(name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`metronome: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
}

/**
 * Starts a metronome on a running `AudioContext` (see {@link resumeAudio}). The first click plays
 * `firstClickDelayMs` after now on the audio clock, then one every `intervalMs` exactly
 * (`firstClickAudioTimeS + index × intervalMs / 1000`, never accumulated).
 * @throws RangeError for invalid options; a DOMException `InvalidStateError` when the context is not running
 * @example
 * startButton.addEventListener('click', () => void resumeAudio(audio)); // in the gesture
 * // … later, after the countdown:
 * const metronome = startMetronome({ context: audio, intervalMs: 500, clicks: 20, clock: ctx.clock,
 *   signal: ctx.signal, onClick: createMetronomeStreamWriter(ctx.stream('metronome')) });
 * const result = await metronome.done;
 */
export function startMetronome(options: MetronomeOptions): Metronome {
  const { context, intervalMs, signal, onClick } = options;
  const clock = options.clock ?? browserClock;
  const count = options.clicks ?? Infinity;
  const accents = options.accents && options.accents.length > 0 ? options.accents : [false];
  const lookaheadMs = options.lookaheadMs ?? 150;
  const tickMs = options.tickMs ?? 25;
  const minLeadMs = options.minLeadMs ?? 10;
  const firstClickDelayMs = options.firstClickDelayMs ?? 100;
  const clickDurationMs = options.clickDurationMs ?? 30;
  const frequencyHz = options.frequencyHz ?? 1000;
  const accentFrequencyHz = options.accentFrequencyHz ?? 1500;
  const gainValue = options.gain ?? 0.5;
  const accentGainValue = options.accentGain ?? 0.8;
  const maxTimestampAgeMs = options.maxTimestampAgeMs ?? 1000;
  const destination = options.destination ?? context.destination;

  checkPositive('intervalMs', intervalMs);
  if (!(count === Infinity || (Number.isInteger(count) && count >= 0))) {
    throw new RangeError('metronome: clicks must be a non-negative integer');
  }
  checkPositive('tickMs', tickMs);
  checkPositive('lookaheadMs', lookaheadMs);
  checkPositive('minLeadMs', minLeadMs, true);
  checkPositive('clickDurationMs', clickDurationMs);
  checkPositive('frequencyHz', frequencyHz);
  checkPositive('accentFrequencyHz', accentFrequencyHz);
  checkPositive('maxTimestampAgeMs', maxTimestampAgeMs);
  if (lookaheadMs <= tickMs + minLeadMs) {
    throw new RangeError('metronome: lookaheadMs must exceed tickMs + minLeadMs');
  }
  if (firstClickDelayMs < minLeadMs || !Number.isFinite(firstClickDelayMs)) {
    throw new RangeError('metronome: firstClickDelayMs must be at least minLeadMs');
  }
  for (const [name, value] of [
    ['gain', gainValue],
    ['accentGain', accentGainValue],
  ] as const) {
    if (!(value > 0 && value <= 1)) throw new RangeError(`metronome: ${name} must be in (0, 1]`);
  }
  if (context.state !== 'running') {
    throw new DOMException(
      `The AudioContext is ${context.state}: call resumeAudio(context) from a click or key handler first.`,
      'InvalidStateError',
    );
  }

  const intervalS = intervalMs / 1000;
  const leadS = minLeadMs / 1000;
  const lookaheadS = lookaheadMs / 1000;
  const durationS = clickDurationMs / 1000;
  const firstS = context.currentTime + firstClickDelayMs / 1000;

  const clicks: MetronomeClick[] = [];
  const missed: number[] = [];
  /** Clicks handed to the graph whose nodes are still connected, in time order. */
  const live: Scheduled[] = [];
  let next = 0;
  let stopping = false;
  let finished = false;
  let interrupted = false;
  let timer: number | undefined;

  let resolveDone!: (result: MetronomeResult) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<MetronomeResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const release = (item: Scheduled) => {
    for (const node of [item.oscillator, item.gain]) {
      try {
        node.disconnect();
      } catch {
        // already disconnected
      }
    }
  };

  const cancel = (item: Scheduled) => {
    try {
      item.oscillator.stop();
    } catch {
      // never started or already stopped
    }
    release(item);
  };

  /** Records clicks that have started, frees the nodes of clicks that have ended. */
  const settle = (nowS: number) => {
    for (const item of live) {
      if (finished) return;
      if (item.started) continue;
      if (item.click.audioTimeS > nowS) break;
      item.started = true;
      clicks.push(item.click);
      onClick?.(item.click);
    }
    while (live.length > 0 && live[0]!.started && live[0]!.endS <= nowS) release(live.shift()!);
  };

  const schedule = (nowS: number) => {
    let anchor: ClockAnchor | undefined;
    const horizonS = nowS + lookaheadS;
    while (next < count) {
      const index = next;
      const when = firstS + index * intervalS;
      if (when >= horizonS) break;
      next++;
      if (when < nowS + leadS) {
        missed.push(index);
        continue;
      }
      anchor ??= readClockAnchor(context, () => clock.now(), maxTimestampAgeMs);
      const accent = accents[index % accents.length] === true;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const peak = accent ? accentGainValue : gainValue;
      oscillator.frequency.value = accent ? accentFrequencyHz : frequencyHz;
      gain.gain.value = 0;
      gain.gain.setValueAtTime(peak, when);
      gain.gain.exponentialRampToValueAtTime(SILENT_GAIN, when + durationS);
      oscillator.connect(gain);
      gain.connect(destination);
      oscillator.start(when);
      oscillator.stop(when + durationS);
      live.push({
        oscillator,
        gain,
        endS: when + durationS,
        started: false,
        click: {
          index,
          accent,
          audioTimeS: when,
          clickTimeMs: mapAudioTime(when, anchor),
          mapping: anchor.mapping,
          anchorContextTimeS: anchor.contextTimeS,
          anchorPerformanceTimeMs: anchor.performanceTimeMs,
          baseLatencyS: anchor.baseLatencyS,
          outputLatencyS: anchor.outputLatencyS,
        },
      });
    }
  };

  const result = (reason: MetronomeResult['reason']): MetronomeResult => ({
    reason,
    clicks: [...clicks],
    missed: [...missed],
    interrupted,
    firstClickAudioTimeS: firstS,
    intervalMs,
  });

  /** Ends the run: no timer, no listener, every node disconnected. */
  const end = () => {
    finished = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
    for (const item of live.splice(0)) cancel(item);
  };

  const fail = (error: unknown) => {
    if (finished) return;
    end();
    rejectDone(error);
  };

  /** Cancels the clicks that have not started (they are not recorded). */
  const dropUnstarted = () => {
    for (let i = live.length - 1; i >= 0; i--) {
      if (!live[i]!.started) cancel(live.splice(i, 1)[0]!);
    }
  };

  let ticking = false;
  const tick = () => {
    timer = undefined;
    if (finished) return;
    ticking = true;
    try {
      const nowS = context.currentTime;
      const running = context.state === 'running';
      if (!running) interrupted = true;
      settle(nowS);
      if (finished) return; // aborted from onClick
      if (context.state === 'closed') stopping = true;
      if (stopping) dropUnstarted();
      else schedule(nowS);
      // a stopped metronome on a clock that does not move (suspended, closed) cannot wait for its last click
      if ((stopping && (live.length === 0 || !running)) || (next >= count && live.length === 0)) {
        const reason = stopping ? 'stopped' : 'complete';
        end();
        resolveDone(result(reason));
        return;
      }
      timer = clock.setTimeout(tick, tickMs);
    } catch (error) {
      fail(error);
    } finally {
      ticking = false;
    }
  };

  function onAbort() {
    if (finished) return;
    try {
      settle(context.currentTime);
    } catch {
      // the abort wins over an onClick error
    }
    end();
    rejectDone(abortError(signal));
  }

  if (signal?.aborted) {
    finished = true;
    rejectDone(abortError(signal));
  } else {
    signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  }

  return {
    clicks,
    firstClickAudioTimeS: firstS,
    stop() {
      if (finished || stopping) return;
      stopping = true;
      if (ticking) return; // called from onClick: the running tick sees it
      if (timer !== undefined) clock.clearTimeout(timer);
      tick();
    },
    done,
  };
}
