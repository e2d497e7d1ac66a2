import {
  analyze,
  parseTaskRecording,
  tappingFromRecording,
  type Recording,
  type Stream,
} from '@dystrack/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeAudioContext, saveLatencyCalibration, type LatencyCalibration } from '../metronome';
import { TaskAbortedError } from '../runner';
import { simulateRecording } from '../simulate';
import { dispatchKey, dispatchPointer } from '../testing/events';
import type { FakeClock } from '../testing/fake-clock';
import { startRun } from '../testing/harness';
import { SYNC_TEXT, tapping } from './index';

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

const SYNC = { protocol: 'sync-continuation' } as const;
/** The sound timing check that simulated recordings carry. */
const SIMULATED_CALIBRATION = simulateRecording(tapping, { hand: 'right', seed: 1, params: { ...SYNC } })
  .params.latencyCalibration as unknown as LatencyCalibration;
const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
const labels = (recording: Recording) => column(recording.streams.markers, 'label') as string[];
const markerAt = (recording: Recording, label: string) =>
  column(recording.streams.markers, 'timeStampMs')[labels(recording).indexOf(label)] as number;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleSd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const startButton = (element: HTMLElement) => element.querySelector<HTMLButtonElement>('.dt-tapping-start')!;
const phaseText = (element: HTMLElement) => element.querySelector('.dt-tapping-phase')?.textContent;
const target = (element: HTMLElement) => element.querySelector<HTMLElement>('[data-target]')!;

/** A suspended fake audio context on the run's clock, with an output mapping that is not the identity. */
function suspendedAudio(clock: FakeClock): FakeAudioContext {
  const audio = new FakeAudioContext(() => clock.now(), { state: 'suspended' });
  audio.outputTimestamp = () => {
    const contextTime = Math.max(0, audio.currentTime - 0.0213);
    return { contextTime, performanceTime: clock.now() - 3.75 };
  };
  return audio;
}

/** The click time the task must store for an oscillator: its `start(when)` through the reading taken then. */
const mappedClick = (audio: FakeAudioContext, k: number) => {
  const osc = audio.oscillators[k]!;
  const stamp = osc.timestampAtStart!;
  return stamp.performanceTime! + (osc.startedAt! - stamp.contextTime!) * 1000;
};

/**
 * Dispatches queued taps (down, then up 80 ms later) when the clock reaches them, each with its exact
 * time stamp; the clock moves at most 25 ms at a time (one metronome tick) so `onStep` sees every click
 * being scheduled before it plays.
 */
async function tapUntil(
  run: ReturnType<typeof startRun>,
  queue: number[],
  untilMs: number,
  onStep?: () => void,
): Promise<void> {
  let id = 100;
  const ups: number[] = [];
  while (run.clock.now() < untilMs) {
    const now = run.clock.now();
    const next = Math.min(queue[0] ?? Infinity, ups[0] ?? Infinity, now + 25, untilMs);
    await run.clock.advance(Math.max(0, next - now));
    onStep?.();
    while (queue.length > 0 && queue[0]! <= run.clock.now()) {
      const t = queue.shift()!;
      dispatchPointer(target(run.element), 'pointerdown', { timeStamp: t, pointerId: ++id, buttons: 1 });
      ups.push(t + 80);
    }
    while (ups.length > 0 && ups[0]! <= run.clock.now()) {
      const t = ups.shift()!;
      dispatchPointer(target(run.element), 'pointerup', { timeStamp: t, pointerId: id, buttons: 0 });
    }
  }
}

describe('tapping: synchronisation–continuation', () => {
  it('records the scheduled clicks and the taps so that the analysis gives the injected asynchronies and continuation intervals', async () => {
    let audio!: FakeAudioContext;
    // This device's sound timing check: clicks are heard 12.5 ms after their time stamps.
    saveLatencyCalibration(localStorage, {
      ...SIMULATED_CALIBRATION,
      measuredAt: new Date().toISOString(),
      correctionMs: 12.5,
      device: {
        userAgent: navigator.userAgent,
        sampleRate: 48_000,
        baseLatencyS: 0.01,
        outputLatencyS: 0.02,
      },
    });
    const run = startRun(tapping, {
      params: { ...SYNC, pacedClicks: 8, continuationTaps: 16 },
      audio: (clock) => (audio = suspendedAudio(clock)),
    });
    expect(phaseText(run.element)).toBe('Get ready');
    startButton(run.element).click();
    await run.clock.advance(3000); // the countdown: go at 13 000
    expect(phaseText(run.element)).toBe(SYNC_TEXT.paced);
    expect(run.announcements).toContain(`${SYNC_TEXT.paced}.`);

    // Paced phase: a tap at each click from the second one on, with known asynchronies.
    const asynchronies = [-31.5, -12.25, 4.75, -45, -20.5, 8, -27.125];
    const queue: number[] = [];
    let seen = 0;
    const onStep = () => {
      while (seen < audio.oscillators.length) {
        if (seen >= 1) queue.push(mappedClick(audio, seen) + asynchronies[seen - 1]!);
        seen++;
        queue.sort((a, b) => a - b);
      }
    };
    await tapUntil(run, queue, 13_000 + 100 + 7 * 500 + 200, onStep);
    expect(audio.oscillators).toHaveLength(8);
    const clicks = audio.oscillators.map((_, k) => mappedClick(audio, k));

    // Continuation: the metronome stops; taps at known intervals.
    // the output mapping puts the clicks 17.55 ms after their audio time: the last at 16 617.55, the
    // continuation half an interval later
    await run.clock.advance(100);
    expect(phaseText(run.element)).toBe(SYNC_TEXT.continuation);
    expect(run.announcements).toContain(`${SYNC_TEXT.continuation}.`);
    const intervals = [
      503, 497.5, 510, 489, 505.25, 512, 494, 500.5, 507, 491, 515, 498, 502, 488.75, 509, 496,
    ];
    let t = clicks.at(-1)! + asynchronies.at(-1)!;
    const continuation = intervals.map((iti) => (t += iti));
    await tapUntil(run, [...continuation], continuation.at(-1)! + 260);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    // The metronome stream holds exactly the scheduled clicks, mapped through the output timestamp.
    const metronome = recording.streams.metronome!;
    expect(column(metronome, 'clickTimeMs')).toEqual(clicks);
    expect(column(metronome, 'audioTimeS')).toEqual(audio.oscillators.map((o) => o.startedAt));
    expect(column(metronome, 'mapping')).toEqual(clicks.map(() => 'outputTimestamp'));
    expect(column(metronome, 'outputLatencyS')).toEqual(clicks.map(() => 0.02));
    expect(labels(recording)).toEqual([
      'countdown-3',
      'countdown-2',
      'countdown-1',
      'trial-start',
      'paced-start',
      'continuation-start',
      'trial-end',
    ]);
    expect(markerAt(recording, 'trial-start')).toBe(13_000);
    expect(markerAt(recording, 'continuation-start')).toBeGreaterThanOrEqual(clicks.at(-1)! + 250);
    expect(markerAt(recording, 'continuation-start')).toBeLessThan(clicks.at(-1)! + 251);
    expect(recording.params).toMatchObject({
      protocol: 'sync-continuation',
      intervalMs: 500,
      metronome: { intervalMs: 500, clicksPlayed: 8, missedCount: 0, interrupted: false },
      layout: { targets: [{ diameterPx: expect.any(Number) }] },
    });

    const { metrics } = analyze(tappingFromRecording(recording));
    expect(Math.abs(metrics.asynchrony_sd_ms! - sampleSd(asynchronies))).toBeLessThan(1e-9);
    expect(recording.params.latencyCalibration).toMatchObject({ correctionMs: 12.5 });
    expect(Math.abs(metrics.asynchrony_mean_ms! - (mean(asynchronies) - 12.5))).toBeLessThan(1e-9);
    // Continuation intervals: between the taps after continuation-start, without the first 3.
    const unpaced = intervals.slice(1).slice(3);
    expect(Math.abs(metrics.continuation_iti_mean_ms! - mean(unpaced))).toBeLessThan(1e-9);
    expect(metrics.continuation_iti_cv_pct).toBeCloseTo((100 * sampleSd(unpaced)) / mean(unpaced), 9);

    // Same streams, columns and params as the simulator's recordings of this protocol.
    const simulated = simulateRecording(tapping, { hand: 'right', seed: 1, params: { ...SYNC } });
    expect(Object.keys(recording.streams).sort()).toEqual(Object.keys(simulated.streams).sort());
    for (const [name, stream] of Object.entries(recording.streams))
      expect(Object.keys(stream.columns).sort(), name).toEqual(
        Object.keys(simulated.streams[name]!.columns).sort(),
      );
    expect(Object.keys(recording.params).sort()).toEqual(Object.keys(simulated.params).sort());
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });

  it('resumes the audio context synchronously inside the Start-the-beat click', async () => {
    let audio!: FakeAudioContext;
    const run = startRun(tapping, { params: { ...SYNC }, audio: (clock) => (audio = suspendedAudio(clock)) });
    const button = startButton(run.element);
    expect(button.textContent).toBe('Start the beat');
    expect(parseFloat(button.style.minHeight)).toBeGreaterThanOrEqual(64);
    await run.clock.advance(5000);
    expect(audio.resumeCalls).toBe(0);
    expect(audio.state).toBe('suspended');
    expect(run.element.querySelector('.dt-countdown, [data-countdown]')).toBeNull();
    button.click();
    // no await between the click and these checks: the gesture's own call stack resumed it
    expect(audio.resumeCalls).toBe(1);
    expect(audio.state).toBe('running');
    run.controller.abort();
    await expect(run.done).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('warns about and flags a wireless-like audio output (latency ≥ 100 ms), and not a wired one', async () => {
    for (const [outputLatency, wireless] of [
      [0.25, true],
      [0.02, false],
    ] as const) {
      let audio!: FakeAudioContext;
      const run = startRun(tapping, {
        params: { ...SYNC },
        audio: (clock) => {
          audio = suspendedAudio(clock);
          audio.outputLatency = outputLatency;
          return audio;
        },
      });
      startButton(run.element).click();
      await run.clock.advance(50);
      const message = run.element.querySelector('.dt-tapping-message')!.textContent!;
      expect(message.includes('wireless headphones'), `latency ${outputLatency}`).toBe(wireless);
      run.controller.abort();
      const error = await run.done.catch((e: unknown) => e);
      const flags = (error as { recording?: { flags: string[] } | null }).recording?.flags ?? [];
      expect(flags.includes('HIGH_AUDIO_LATENCY'), `latency ${outputLatency}`).toBe(wireless);
    }
  });

  it('says so when the browser refuses to start the sound, and lets the person try again', async () => {
    let audio!: FakeAudioContext;
    const run = startRun(tapping, {
      params: { ...SYNC, pacedClicks: 5, continuationTaps: 10 },
      audio: (clock) => (audio = suspendedAudio(clock)),
    });
    audio.resumeAllowed = false;
    startButton(run.element).click();
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-tapping-message')!.textContent).toBe(SYNC_TEXT.resumeFailed);
    expect(run.announcements).toContain(SYNC_TEXT.resumeFailed);
    expect(startButton(run.element).disabled).toBe(false);
    audio.resumeAllowed = true;
    startButton(run.element).click();
    expect(audio.resumeCalls).toBe(2);
    await run.clock.advance(3000 + 100 + 4 * 500 + 300);
    expect(audio.oscillators).toHaveLength(5);
    expect(phaseText(run.element)).toBe(SYNC_TEXT.continuation);
    await run.clock.advance(10 * 1000 + 100);
    const recording = await run.done;
    expect(recording.flags).toEqual(['SHORT_RECORDING', 'NO_TAPS']);
    expect(labels(recording)).toContain('audio-refused');
    expect(labels(recording)).toContain('continuation-time-limit');
    expect(column(recording.streams.metronome, 'clickTimeMs')).toHaveLength(5);
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });

  it('stops the metronome and disconnects every node on abort, and closes the audio context', async () => {
    let audio!: FakeAudioContext;
    const close = vi.fn(() => Promise.resolve());
    const run = startRun(tapping, {
      params: { ...SYNC },
      audio: (clock) => Object.assign((audio = suspendedAudio(clock)), { close }),
    });
    startButton(run.element).click();
    await run.clock.advance(3000 + 1480); // clicks at 13 100 + k × 500: the one at 14 600 is scheduled, not played
    const scheduled = audio.oscillators.length;
    expect(scheduled).toBeGreaterThanOrEqual(3);
    expect(audio.nodes.some((node) => node.connected)).toBe(true);
    run.controller.abort();
    const error: unknown = await run.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect(audio.nodes.every((node) => !node.connected)).toBe(true);
    // clicks scheduled but not yet played were cancelled
    for (const o of audio.oscillators) {
      if (o.startedAt! > audio.currentTime) expect(o.audible).toBe(false);
    }
    expect(close).toHaveBeenCalledTimes(1);
    const last = (error as TaskAbortedError).recording!;
    expect(last.flags).toEqual(expect.arrayContaining(['INCOMPLETE', 'ABORTED']));
    expect(column(last.streams.metronome, 'clickTimeMs').length).toBeGreaterThanOrEqual(2);
    expect(() => parseTaskRecording(last)).not.toThrow();
    await run.clock.advance(5000);
    expect(audio.oscillators).toHaveLength(scheduled);
    expect(run.clock.pending).toBe(0);
    expect(run.element.children).toHaveLength(0);
  });

  it('without audio says so plainly and ends with NO_AUDIO, without tapping', async () => {
    const run = startRun(tapping, { params: { ...SYNC } });
    expect(run.element.querySelector('.dt-tapping-message')!.textContent).toBe(SYNC_TEXT.noAudio);
    expect(run.announcements).toContain(SYNC_TEXT.noAudio);
    expect(run.element.querySelector('[role="progressbar"]')).not.toBeNull();
    startButton(run.element).click(); // OK
    const recording = await run.done;
    expect(recording.flags).toEqual(['NO_AUDIO']);
    expect(recording.streams.metronome).toBeUndefined();
    expect(labels(recording)).not.toContain('trial-start');
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(run.element.children).toHaveLength(0);
  });

  it('by keys: one key (Space by default), its default action prevented, named for the analysis', async () => {
    const run = startRun(tapping, {
      params: { ...SYNC, input: 'keys', pacedClicks: 5, continuationTaps: 10 },
      audio: (clock) => new FakeAudioContext(() => clock.now()),
    });
    expect(target(run.element).textContent).toBe('Space');
    startButton(run.element).click();
    await run.clock.advance(3000 + 500);
    const e = dispatchKey(document.body, 'keydown', { code: 'Space', key: ' ', timeStamp: run.clock.now() });
    expect(e.defaultPrevented).toBe(true);
    dispatchKey(document.body, 'keyup', { code: 'Space', key: ' ', timeStamp: run.clock.now() + 90 });
    expect(run.element.querySelector('.dt-tapping-count')!.textContent).toBe('1');
    run.controller.abort();
    const error = (await run.done.catch((x: unknown) => x)) as TaskAbortedError;
    expect(error.recording!.params).toMatchObject({
      syncKey: 'Space',
      input: 'keys',
      // no sound timing check on this device
      latencyCalibrationMissing: 'none',
    });
    expect(error.recording!.params.latencyCalibration).toBeUndefined();
    expect(column(error.recording!.streams.keyboard, 'code')).toEqual(['Space', 'Space']);
  });

  it('stops on a confirmed Stop during the paced phase: STOPPED_EARLY, metronome silent', async () => {
    let audio!: FakeAudioContext;
    const run = startRun(tapping, { params: { ...SYNC }, audio: (clock) => (audio = suspendedAudio(clock)) });
    startButton(run.element).click();
    await run.clock.advance(3000 + 1000);
    const stop = run.element.querySelector<HTMLButtonElement>('.dt-tapping-stop')!;
    stop.click();
    stop.click();
    await run.clock.advance(200);
    const recording = await run.done;
    const played = column(recording.streams.metronome, 'clickTimeMs').length;
    expect(recording.flags).toEqual(['STOPPED_EARLY', 'NO_TAPS']);
    expect(played).toBeLessThan(4);
    expect(audio.oscillators.filter((o) => o.audible)).toHaveLength(played);
    expect(recording.params.metronome).toMatchObject({ clicksPlayed: played });
    expect(labels(recording)).not.toContain('continuation-start');
  });
});

describe('tapping: synchronisation–continuation simulate', () => {
  it('gives valid recordings with metronome rows that the analysis reads, for both inputs and hands', () => {
    for (const input of ['pointer', 'keys']) {
      for (const hand of ['left', 'right'] as const) {
        for (const seed of [1, 2, 3]) {
          const params = { ...SYNC, input };
          const recording = simulateRecording(tapping, { hand, seed, params });
          expect(() => parseTaskRecording(recording)).not.toThrow();
          expect(recording.flags).toEqual(['SIMULATED']);
          expect(simulateRecording(tapping, { hand, seed, params })).toEqual(recording);
          expect(column(recording.streams.metronome, 'clickTimeMs')).toHaveLength(20);
          expect(labels(recording)).toContain('continuation-start');
          const { metrics, quality_flags } = analyze(tappingFromRecording(recording));
          expect(metrics.asynchrony_sd_ms).toBeGreaterThan(5);
          expect(metrics.asynchrony_sd_ms).toBeLessThan(50);
          expect(metrics.asynchrony_mean_ms).toBeLessThan(0);
          expect(metrics.continuation_iti_mean_ms).toBeGreaterThan(450);
          expect(metrics.continuation_iti_mean_ms).toBeLessThan(550);
          expect(metrics.wk_motor_variance_ms2).not.toBeNull();
          expect(quality_flags).not.toContain('TOO_FEW_EVENTS');
          expect(quality_flags).not.toContain('NO_METRONOME');
          // one target: no alternation is judged
          expect(metrics.alternation_error_count).toBeNull();
          expect(quality_flags).not.toContain('ALTERNATION_ERRORS');
        }
      }
    }
  });

  it('gives the mean asynchrony only with the sound timing check, corrected by its latency', () => {
    const recording = simulateRecording(tapping, {
      hand: 'left',
      seed: 4,
      params: { ...SYNC, input: 'keys' },
    });
    const calibrated = analyze(tappingFromRecording(recording));
    const { latencyCalibration, ...rest } = recording.params;
    const correction = (latencyCalibration as { correctionMs: number }).correctionMs;
    const shifted = {
      ...recording,
      params: { ...rest, latencyCalibration: { correctionMs: correction + 10 } },
    };
    expect(analyze(tappingFromRecording(shifted)).metrics.asynchrony_mean_ms).toBeCloseTo(
      calibrated.metrics.asynchrony_mean_ms! - 10,
      9,
    );
    const uncalibrated = analyze(tappingFromRecording({ ...recording, params: rest }));
    expect(uncalibrated.metrics.asynchrony_mean_ms).toBeNull();
    expect(uncalibrated.quality_flags).toContain('LATENCY_UNCALIBRATED');
    expect(calibrated.quality_flags).not.toContain('LATENCY_UNCALIBRATED');
    // the SD does not depend on the latency
    expect(uncalibrated.metrics.asynchrony_sd_ms).toBe(calibrated.metrics.asynchrony_sd_ms);
  });

  it('fills the longest protocol the parameters allow, within the task maximum', () => {
    const recording = simulateRecording(tapping, {
      hand: 'left',
      seed: 5,
      longest: true,
      params: { ...SYNC },
    });
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.params).toMatchObject({ intervalMs: 1000, pacedClicks: 60, continuationTaps: 60 });
    expect(column(recording.streams.metronome, 'clickTimeMs')).toHaveLength(60);
    expect(recording.durationMs).toBeGreaterThan(110_000);
    expect(recording.durationMs).toBeLessThanOrEqual(300_000);
  });
});
