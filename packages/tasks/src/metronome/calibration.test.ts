import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { FakeClock } from '../testing/fake-clock';
import {
  CALIBRATION_STORAGE_KEY,
  CalibrationError,
  detectOnsets,
  forgetLatencyCalibration,
  loadLatencyCalibration,
  runLoopbackCalibration,
  saveLatencyCalibration,
  summariseDelays,
  type CalibrationDevice,
  type LatencyCalibration,
  type MicrophoneLike,
  type StorageLike,
} from './calibration';
import { FakeAudioContext } from './testing';

const RATE = 48_000;

/**
 * A microphone signal: seeded noise of `noise` RMS, and at each click time + its delay a 1 kHz tone
 * that starts at phase 0 with amplitude `level` and decays with a 5 ms time constant.
 */
function micSignal(
  clickTimesS: readonly number[],
  delaysMs: readonly (number | null)[],
  options: { seconds: number; noise?: number; level?: number; seed?: number },
): Float32Array {
  const rng = createRng(options.seed ?? 1);
  const x = new Float32Array(Math.ceil(options.seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal(0, options.noise ?? 0.002);
  clickTimesS.forEach((timeS, k) => {
    const delay = delaysMs[k];
    if (delay === null || delay === undefined) return;
    const onsetS = timeS + delay / 1000;
    for (let i = Math.ceil(onsetS * RATE); i < Math.min(x.length, (onsetS + 0.05) * RATE); i++) {
      const t = i / RATE - onsetS;
      x[i]! += (options.level ?? 0.3) * Math.exp(-t / 0.005) * Math.sin(2 * Math.PI * 1000 * t);
    }
  });
  return x;
}

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const DEVICE: CalibrationDevice = {
  userAgent: 'Test browser',
  sampleRate: RATE,
  baseLatencyS: 0.01,
  outputLatencyS: 0.02,
};

describe('detectOnsets', () => {
  it('finds each click’s onset within 0.1 ms of the true delay, at fractional-sample delays', () => {
    const clicks = [0.5, 1.1, 1.7, 2.3, 2.9];
    const delays = [23.4567, 23.51, 41.0001, 7.25, 120.3];
    const found = detectOnsets(
      { startFrame: 0, samples: micSignal(clicks, delays, { seconds: 3.5 }) },
      RATE,
      clicks,
    );
    found.forEach((delay, k) => expect(Math.abs(delay! - delays[k]!)).toBeLessThan(0.1));
  });

  it('places the signal on the audio clock by its start frame', () => {
    const clicks = [10.5, 11.1];
    const startFrame = 10 * RATE;
    const shifted = micSignal([0.5, 1.1], [30, 30], { seconds: 1.5 });
    const found = detectOnsets({ startFrame, samples: shifted }, RATE, clicks);
    found.forEach((delay) => expect(Math.abs(delay! - 30)).toBeLessThan(0.1));
  });

  it('gives null for a click that was not heard, one buried in noise, and one outside the signal', () => {
    const clicks = [0.5, 1.1, 1.7, 5];
    const x = micSignal(clicks, [20, null, 20, 20], { seconds: 2.2 });
    // the third click is as quiet as the noise
    const quiet = micSignal([1.7], [20], { seconds: 2.2, level: 0.004, seed: 2 });
    for (let i = Math.round(1.65 * RATE); i < Math.round(1.95 * RATE); i++) x[i] = quiet[i]!;
    const found = detectOnsets({ startFrame: 0, samples: x }, RATE, clicks);
    expect(found[0]).toBeCloseTo(20, 0);
    expect(found.slice(1)).toEqual([null, null, null]);
  });
});

describe('summariseDelays', () => {
  const facts = { reportedOutputMs: 30, inputLatencyS: 0.005, device: DEVICE, measuredAt: new Date(0) };

  it('keeps the delays within ±5 ms of the median and subtracts the reported output and input latency', () => {
    const delays = [52, 52.5, 51.5, 52, 52, 90, null, 52.2, 51.8, 52, 52.1, 51.9];
    const result = summariseDelays(delays, facts);
    expect(result.clicksPlayed).toBe(12);
    expect(result.clicksHeard).toBe(10);
    expect(result.roundTripMs).toBe(52);
    expect(result.correctionMs).toBeCloseTo(52 - 30 - 5, 10);
    expect(result.inputLatencyKnown).toBe(true);
    expect(result.roundTripSdMs).toBeGreaterThan(0.2);
    expect(result.roundTripSdMs).toBeLessThan(0.35);
  });

  it('counts an unknown input latency as 0 and says so', () => {
    const result = summariseDelays([40, 40, 40], { ...facts, inputLatencyS: null });
    expect(result.correctionMs).toBe(10);
    expect(result.inputLatencyKnown).toBe(false);
  });

  it('refuses too few heard clicks and too variable delays', () => {
    const few = () => summariseDelays([40, 40, null, null, 80, 40], facts);
    expect(few).toThrow(CalibrationError);
    expect(few).toThrow(/heard 3 of 6 clicks/);
    const variable = () => summariseDelays([40, 44, 36, 40, 44, 36], facts);
    expect(variable).toThrow(/varied by/);
    try {
      variable();
    } catch (error) {
      expect((error as CalibrationError).reason).toBe('too-variable');
    }
  });
});

/** A microphone that the test feeds by hand. */
function fakeMicrophone(inputLatencyS: number | null): MicrophoneLike & { closed: boolean } {
  return {
    inputLatencyS,
    onChunk: null,
    closed: false,
    close() {
      this.closed = true;
    },
  };
}

describe('runLoopbackCalibration', () => {
  it('measures the unreported output latency from the clicks the metronome really scheduled', async () => {
    const clock = new FakeClock(1000);
    const audio = new FakeAudioContext(() => clock.now());
    audio.outputLagS = 0.03; // the output timestamp accounts for 30 ms
    const microphone = fakeMicrophone(0.004);
    const progress: number[] = [];
    const done = runLoopbackCalibration({
      context: audio,
      microphone,
      clock,
      clicks: 12,
      intervalMs: 600,
      onProgress: (played) => progress.push(played),
      now: () => new Date('2026-11-26T12:00:00Z'),
    });
    await clock.advance(400 + 11 * 600 + 100); // the last click has played; the microphone still listens
    // The sound left 30 + 17.5 ms after rendering and took 4 ms into the microphone.
    const times = audio.oscillators.map((o) => o.startedAt!);
    expect(times).toHaveLength(12);
    const signal = micSignal(
      times,
      times.map(() => 51.5),
      { seconds: times.at(-1)! + 0.4 },
    );
    for (let frame = 0; frame < signal.length; frame += 2048) {
      microphone.onChunk!(frame, signal.slice(frame, frame + 2048));
    }
    await clock.advance(600);
    const result = await done;
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result.reportedOutputMs).toBeCloseTo(30, 6);
    expect(result.inputLatencyMs).toBeCloseTo(4, 10);
    expect(Math.abs(result.correctionMs - 17.5)).toBeLessThan(0.1);
    expect(result.clicksHeard).toBe(12);
    expect(result.measuredAt).toBe('2026-11-26T12:00:00.000Z');
    expect(result.device.sampleRate).toBe(48_000);
    expect(microphone.onChunk).toBeNull();
  });

  it('rejects with the reason when the microphone heard nothing', async () => {
    const clock = new FakeClock(1000);
    const audio = new FakeAudioContext(() => clock.now());
    const microphone = fakeMicrophone(null);
    const done = runLoopbackCalibration({ context: audio, microphone, clock, clicks: 6, intervalMs: 600 });
    const outcome = done.catch((error: unknown) => error);
    await clock.advance(400 + 5 * 600 + 100);
    microphone.onChunk!(0, new Float32Array(RATE * 5));
    await clock.advance(600);
    const error = (await outcome) as CalibrationError;
    expect(error).toBeInstanceOf(CalibrationError);
    expect(error.reason).toBe('too-few-heard');
    expect(error.clicksHeard).toBe(0);
  });

  it('rejects with an AbortError when aborted', async () => {
    const clock = new FakeClock(1000);
    const audio = new FakeAudioContext(() => clock.now());
    const controller = new AbortController();
    const done = runLoopbackCalibration({
      context: audio,
      microphone: fakeMicrophone(null),
      clock,
      signal: controller.signal,
    });
    const outcome = done.catch((error: unknown) => error);
    await clock.advance(1000);
    controller.abort();
    expect(((await outcome) as Error).name).toBe('AbortError');
  });
});

describe('stored calibration', () => {
  const calibration: LatencyCalibration = {
    version: 1,
    measuredAt: '2026-11-20T10:00:00.000Z',
    roundTripMs: 52,
    roundTripSdMs: 0.3,
    clicksPlayed: 12,
    clicksHeard: 12,
    reportedOutputMs: 30,
    inputLatencyMs: 4,
    inputLatencyKnown: true,
    correctionMs: 18,
    device: DEVICE,
  };
  const now = new Date('2026-11-26T10:00:00Z');

  it('is used on the same audio set-up within 30 days', () => {
    const storage = new MemoryStorage();
    expect(loadLatencyCalibration(storage, DEVICE, now)).toEqual({ invalid: 'none' });
    saveLatencyCalibration(storage, calibration);
    expect(loadLatencyCalibration(storage, DEVICE, now)).toEqual({ calibration });
    // a small change of the reported output latency is the same device
    expect(loadLatencyCalibration(storage, { ...DEVICE, outputLatencyS: 0.025 }, now)).toEqual({
      calibration,
    });
  });

  it('is not used on another set-up, when too old, or when unreadable', () => {
    const storage = new MemoryStorage();
    saveLatencyCalibration(storage, calibration);
    const other = (device: Partial<CalibrationDevice>) =>
      loadLatencyCalibration(storage, { ...DEVICE, ...device }, now);
    expect(other({ outputLatencyS: 0.2 })).toEqual({ invalid: 'other-device' }); // Bluetooth headset
    expect(other({ sampleRate: 44_100 })).toEqual({ invalid: 'other-device' });
    expect(other({ userAgent: 'Another browser' })).toEqual({ invalid: 'other-device' });
    expect(other({ baseLatencyS: 0.02 })).toEqual({ invalid: 'other-device' });
    expect(loadLatencyCalibration(storage, DEVICE, new Date('2027-01-01T00:00:00Z'))).toEqual({
      invalid: 'expired',
    });
    storage.setItem(CALIBRATION_STORAGE_KEY, '{"version":1');
    expect(loadLatencyCalibration(storage, DEVICE, now)).toEqual({ invalid: 'unreadable' });
    forgetLatencyCalibration(storage);
    expect(loadLatencyCalibration(storage, DEVICE, now)).toEqual({ invalid: 'none' });
    expect(loadLatencyCalibration(null, DEVICE, now)).toEqual({ invalid: 'none' });
  });
});
