import { browserClock, sleep, type Clock } from '../clock';
import { calibrationDevice } from './calibration-store';
import { mapAudioTime, readClockAnchor, startMetronome, type AudioContextLike } from './metronome';

/**
 * Loop-back latency calibration (measures.md 6.5, after REPP): the metronome plays clicks through the
 * speaker, the microphone hears them, and the delay between each click's scheduled audio-clock time and
 * its onset in the microphone signal (also on the audio clock) is the round trip
 * `D = output path + input path`. The metronome's click times (`clickTimeMs`) already include the output
 * latency the browser reports (`getOutputTimestamp()`), so the part the browser does not account for is
 *
 *     correctionMs = D − reportedOutputMs − inputLatencyMs
 *
 * where `reportedOutputMs` is the distance between the output timestamp's mapping and the rendering
 * position (`currentTime` read with `performance.now()`), and `inputLatencyMs` what the microphone track
 * reports (`MediaTrackSettings.latency`; Chromium has it). Without a reported input latency it counts as
 * 0, so the correction is then an upper bound, and the result says so (`inputLatencyKnown: false`).
 *
 * The heard click is `clickTimeMs + correctionMs`; the analysis subtracts the correction from the mean
 * asynchrony (core: `params.latencyCalibration.correctionMs`). The SD of the asynchrony does not depend on
 * it.
 */

/** Audio-clock samples of the microphone, as the recorder worklet delivers them. */
export interface MicrophoneLike {
  /** `MediaTrackSettings.latency` of the microphone track, s, or null where the browser reports none. */
  readonly inputLatencyS: number | null;
  /** Called with consecutive blocks of samples; `startFrame` is the audio-clock frame of the first one. */
  onChunk: ((startFrame: number, samples: Float32Array) => void) | null;
  /** Stops the microphone (its tracks) and disconnects its nodes. */
  close(): void;
}

/** A context that can run the calibration: the metronome's parts and the sample rate. */
export interface CalibrationContext extends AudioContextLike {
  readonly sampleRate: number;
}

/** Options of {@link runLoopbackCalibration}. */
export interface LoopbackOptions {
  /** A running audio context (resumed from the person's click). */
  context: CalibrationContext;
  /** The microphone, opened on the same context (see {@link openMicrophone}). */
  microphone: MicrophoneLike;
  /** Clicks to play (default 12). */
  clicks?: number;
  /** Interval between clicks, ms (default 600: the room's echo dies down before the next click). */
  intervalMs?: number;
  /** How long after the last click the microphone keeps listening, ms (default 500). */
  tailMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called after each click that played: clicks played so far and in all. */
  onProgress?: (played: number, total: number) => void;
  /** Wall-clock time of the measurement (default `new Date()`), for the stored result. */
  now?: () => Date;
}

/** The stored result of a calibration (recording `params.latencyCalibration`). */
export interface LatencyCalibration {
  /** Format of this object. */
  version: 1;
  /** ISO 8601 time of the measurement. */
  measuredAt: string;
  /** Median click → microphone delay on the audio clock, ms. */
  roundTripMs: number;
  /** SD of the per-click delays that were kept, ms. */
  roundTripSdMs: number;
  clicksPlayed: number;
  /** Clicks whose onset was found and lay within ±{@link INLIER_MS} of the median. */
  clicksHeard: number;
  /** Output latency the browser's timestamps already include (median over the clicks), ms. */
  reportedOutputMs: number;
  /** The microphone's reported input latency, ms (0 when unknown). */
  inputLatencyMs: number;
  inputLatencyKnown: boolean;
  /** How much later than `clickTimeMs` the click is heard, ms: roundTrip − reportedOutput − inputLatency. */
  correctionMs: number;
  /** The audio set-up it was measured on; a different one invalidates it. */
  device: CalibrationDevice;
}

/** What identifies the audio set-up a calibration belongs to. */
export interface CalibrationDevice {
  userAgent: string;
  sampleRate: number;
  /** `AudioContext.baseLatency`, s, or null. */
  baseLatencyS: number | null;
  /** `AudioContext.outputLatency`, s, or null (0 until the output has started in some browsers). */
  outputLatencyS: number | null;
}

/** Why a calibration did not give a result. */
export type CalibrationFailure = 'too-few-heard' | 'too-variable';

export class CalibrationError extends Error {
  constructor(
    readonly reason: CalibrationFailure,
    readonly clicksPlayed: number,
    readonly clicksHeard: number,
    message: string,
  ) {
    super(message);
    this.name = 'CalibrationError';
  }
}

/** Per-click delays further than this from their median are left out (echo, a noise burst), ms. */
export const INLIER_MS = 5;
/** At least this share of the clicks must be heard. */
export const MIN_HEARD_SHARE = 2 / 3;
/** A kept delay SD above this means the path is not stable enough to correct by one number, ms. */
export const MAX_SD_MS = 3;

/** Options of {@link detectOnsets}. */
export interface OnsetOptions {
  /** How long after the scheduled time the onset is looked for, ms (default 300). */
  searchMs?: number;
  /** The noise floor is measured over this long before the scheduled time, ms (default 50). */
  noiseMs?: number;
  /** The click's peak must stand this many times above the noise RMS (default 8, about 18 dB). */
  minSnr?: number;
}

/**
 * The delay of each click's onset in a microphone signal after its scheduled time, ms (null when the
 * click was not heard). The onset is the first sample, at or after the scheduled frame, whose magnitude
 * reaches max(30 % of the peak within `searchMs`, 4 × the noise RMS); a click is heard when its peak is
 * at least `minSnr` × the noise RMS (measured over `noiseMs` before it) and above 10⁻⁴. The time is
 * interpolated linearly between the sample before the crossing and the crossing one.
 * @param signal - microphone samples; `signal.samples[i]` is audio-clock frame `signal.startFrame + i`
 * @param sampleRate - frames per second
 * @param clickTimesS - scheduled click times on the audio clock, s
 */
export function detectOnsets(
  signal: { startFrame: number; samples: Float32Array },
  sampleRate: number,
  clickTimesS: readonly number[],
  options: OnsetOptions = {},
): (number | null)[] {
  const searchFrames = Math.round(((options.searchMs ?? 300) / 1000) * sampleRate);
  const noiseFrames = Math.round(((options.noiseMs ?? 50) / 1000) * sampleRate);
  const minSnr = options.minSnr ?? 8;
  const x = signal.samples;
  return clickTimesS.map((timeS) => {
    const exact = timeS * sampleRate - signal.startFrame;
    const from = Math.ceil(exact);
    const to = Math.min(x.length, from + searchFrames);
    if (from < 1 || from >= x.length) return null;
    let noise = 0;
    let count = 0;
    for (let i = Math.max(0, from - noiseFrames); i < from; i++) {
      noise += x[i]! * x[i]!;
      count++;
    }
    const noiseRms = count > 0 ? Math.sqrt(noise / count) : 0;
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(x[i]!));
    if (peak < 1e-4 || peak < minSnr * noiseRms) return null;
    const threshold = Math.max(0.3 * peak, 4 * noiseRms);
    for (let i = from; i < to; i++) {
      const level = Math.abs(x[i]!);
      if (level < threshold) continue;
      const before = Math.abs(x[i - 1]!);
      const fraction = level > before ? (threshold - before) / (level - before) : 0;
      const frame = i - 1 + Math.min(1, Math.max(0, fraction));
      return (Math.max(frame, exact) - exact) * (1000 / sampleRate);
    }
    return null;
  });
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

/**
 * Summarises per-click delays into a calibration, or throws a {@link CalibrationError} when fewer than
 * {@link MIN_HEARD_SHARE} of the clicks were heard within ±{@link INLIER_MS} of their median, or when the
 * kept delays vary by more than {@link MAX_SD_MS} (SD).
 */
export function summariseDelays(
  delaysMs: readonly (number | null)[],
  facts: {
    reportedOutputMs: number;
    inputLatencyS: number | null;
    device: CalibrationDevice;
    measuredAt: Date;
  },
): LatencyCalibration {
  const played = delaysMs.length;
  const found = delaysMs.filter((d): d is number => d !== null);
  const centre = found.length ? median(found) : 0;
  const kept = found.filter((d) => Math.abs(d - centre) <= INLIER_MS);
  const needed = Math.ceil(played * MIN_HEARD_SHARE);
  if (played === 0 || kept.length < needed) {
    throw new CalibrationError(
      'too-few-heard',
      played,
      kept.length,
      `the microphone heard ${kept.length} of ${played} clicks clearly; at least ${needed} are needed`,
    );
  }
  const roundTripMs = median(kept);
  const roundTripSdMs = sampleSd(kept);
  if (roundTripSdMs > MAX_SD_MS) {
    throw new CalibrationError(
      'too-variable',
      played,
      kept.length,
      `the delay varied by ${roundTripSdMs.toFixed(1)} ms (SD); at most ${MAX_SD_MS} ms is usable`,
    );
  }
  const inputLatencyKnown = facts.inputLatencyS !== null;
  const inputLatencyMs = (facts.inputLatencyS ?? 0) * 1000;
  return {
    version: 1,
    measuredAt: facts.measuredAt.toISOString(),
    roundTripMs,
    roundTripSdMs,
    clicksPlayed: played,
    clicksHeard: kept.length,
    reportedOutputMs: facts.reportedOutputMs,
    inputLatencyMs,
    inputLatencyKnown,
    correctionMs: roundTripMs - facts.reportedOutputMs - inputLatencyMs,
    device: facts.device,
  };
}

/** Microphone samples collected into one array on the audio clock (gaps filled with silence). */
class SignalBuffer {
  startFrame = -1;
  private data = new Float32Array(48_000);
  private length = 0;

  append(startFrame: number, samples: Float32Array): void {
    if (this.startFrame < 0) this.startFrame = startFrame;
    const offset = startFrame - this.startFrame;
    if (offset < 0) return;
    const end = offset + samples.length;
    if (end > this.data.length) {
      const grown = new Float32Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(samples, offset);
    this.length = Math.max(this.length, end);
  }

  get signal(): { startFrame: number; samples: Float32Array } {
    return { startFrame: Math.max(0, this.startFrame), samples: this.data.subarray(0, this.length) };
  }
}

/**
 * Plays `clicks` metronome clicks and measures how late the microphone hears each (see the module
 * comment). Resolves with the calibration; rejects with a {@link CalibrationError} when the clicks were
 * not heard clearly or steadily enough, and with an AbortError on abort. The microphone is not closed
 * here: the caller opened it and closes it.
 */
export async function runLoopbackCalibration(options: LoopbackOptions): Promise<LatencyCalibration> {
  const { context, microphone, signal } = options;
  const clock = options.clock ?? browserClock;
  const clicks = options.clicks ?? 12;
  const intervalMs = options.intervalMs ?? 600;
  const buffer = new SignalBuffer();
  microphone.onChunk = (startFrame, samples) => buffer.append(startFrame, samples);
  const reported: number[] = [];
  try {
    const metronome = startMetronome({
      context,
      intervalMs,
      clicks,
      clock,
      signal,
      firstClickDelayMs: 400,
      gain: 0.8,
      accentGain: 0.8,
      onClick: (click) => {
        // Where the output-timestamp mapping puts the frame being rendered now, relative to now.
        const anchor = readClockAnchor(context, () => clock.now());
        if (anchor.mapping === 'outputTimestamp') {
          reported.push(mapAudioTime(context.currentTime, anchor) - clock.now());
        }
        options.onProgress?.(click.index + 1, clicks);
      },
    });
    const result = await metronome.done;
    await sleep(clock, options.tailMs ?? 500, signal);
    const times = result.clicks.map((click) => click.audioTimeS);
    const delays = detectOnsets(buffer.signal, context.sampleRate, times);
    for (let i = result.clicks.length; i < clicks; i++) delays.push(null);
    return summariseDelays(delays, {
      reportedOutputMs: reported.length ? median(reported) : 0,
      inputLatencyS: microphone.inputLatencyS,
      device: calibrationDevice(context, globalThis.navigator?.userAgent ?? ''),
      measuredAt: (options.now ?? (() => new Date()))(),
    });
  } finally {
    microphone.onChunk = null;
  }
}

export * from './calibration-store';
