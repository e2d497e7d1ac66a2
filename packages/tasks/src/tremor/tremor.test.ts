import {
  analyzeRecording,
  parseTaskRecording,
  tremorAnalysedSpan,
  type Recording,
  type Stream,
} from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAudioContext } from '../metronome';
import { resolveParams } from '../params';
import { startRun } from '../testing/harness';
import { FakeClock } from '../testing/fake-clock';
import { scheduleTone, type SpeechLike } from './cues';
import { readTremorParams, tremorDefinition, tremorSequence } from './definition';
import { createTremorPlugin } from './index';
import { samplingQuality } from './quality';
import { TREMOR_TEXT, type TrialRecord } from './run';
import { createBrowserSensors, startSensorRecorder } from './sensors';
import { FakeSensorSource, type FakeFeed } from './testing';
import { StreamSet } from '../columns';

afterEach(() => {
  document.body.innerHTML = '';
  Reflect.deleteProperty(document, 'visibilityState');
});

type Run = ReturnType<typeof startRun>;
const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
const labels = (recording: Recording) => column(recording.streams.markers, 'label') as string[];
const trialsOf = (recording: Recording) => recording.params.trials as unknown as TrialRecord[];
const button = (run: Run, name: string) => run.element.querySelector<HTMLButtonElement>(`.dt-tremor-${name}`);
const text = (run: Run, name: string) => run.element.querySelector(`.dt-tremor-${name}`)!.textContent;

/** Starts a run with fake sensors, a fake audio context, a recording vibrator and a speaking voice. */
function start(
  options: {
    feed?: FakeFeed | null;
    apis?: { accelerometer?: boolean; gyroscope?: boolean };
    params?: Record<string, string | number | boolean>;
  } = {},
) {
  const sensors = new FakeSensorSource({
    feed: options.feed === undefined ? {} : options.feed,
    apis: options.apis,
  });
  const vibrations: number[][] = [];
  const spoken: string[] = [];
  const speech: SpeechLike = { hasVoices: () => true, speak: (t) => void spoken.push(t), cancel: () => {} };
  let audio: FakeAudioContext | null = null;
  const plugin = createTremorPlugin({
    sensors,
    vibrate: (pattern) => (vibrations.push(pattern), true),
    speech,
  });
  const run = startRun(plugin, {
    params: { prepareS: 2, ...options.params },
    audio: (clock) => (audio = new FakeAudioContext(() => clock.now())),
  });
  return { run, sensors, vibrations, spoken, audio: () => audio };
}

/** Presses Start and lets the position run: 2 s to get ready, 3 s countdown, the trial, the settle time. */
async function doPosition(run: Run, durationS: number): Promise<void> {
  button(run, 'start')!.click();
  await run.clock.advance(2000 + 3000 + durationS * 1000 + 500);
}

describe('tremor run', () => {
  it('runs one position with cues, checks its trial, and records raw samples with their units', async () => {
    const { run, sensors, vibrations, spoken, audio } = start();
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 1 of 5');
    expect(text(run, 'title')).toBe('Rest');
    expect(text(run, 'during')).toContain('(10 seconds)');
    await doPosition(run, 10);
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.params.position).toBe('rest');
    expect(sensors.permissionCalls).toBe(1);
    expect(sensors.starts).toBe(1);
    expect(sensors.frequencyHz).toBe(100);
    expect(sensors.started).toBe(false);

    const trials = trialsOf(recording);
    expect(trials.map((t) => [t.position, t.outcome, t.source, t.rateHz, t.gapCount, t.problems])).toEqual([
      ['rest', 'kept', 'accelerometer', 100, 0, []],
    ]);
    expect(trials[0]!.endMs - trials[0]!.startMs).toBe(10_000);
    expect(trials[0]!.reportedIntervalMedian).toBe(17);
    expect(recording.flags).toEqual([]);
    expect(labels(recording)).toEqual([
      'position:rest',
      'sensor-on',
      'countdown-3',
      'countdown-2',
      'countdown-1',
      'trial-start',
      'cue-start',
      'trial-end',
      'cue-end',
      'sensor-off',
      'trial-kept',
    ]);
    // Samples only while armed: from sensor-on to sensor-off.
    const t = column(recording.streams.accelerometer, 'timeStampMs') as number[];
    const times = column(recording.streams.markers, 'timeStampMs') as number[];
    expect(t[0]).toBeGreaterThanOrEqual(times[labels(recording).indexOf('sensor-on')]!);
    expect(t.at(-1)).toBeLessThanOrEqual(times[labels(recording).indexOf('sensor-off')]! + 1);
    // The gravity is kept in the Generic Sensor stream (m/s²), and the rotation rate is in rad/s.
    expect(column(recording.streams.accelerometer, 'zMPerS2')[0]).toBeCloseTo(9.81, 10);
    expect(Object.keys(recording.streams.gyroscope!.columns).sort()).toEqual(
      ['timeStampMs', 'xRadPerS', 'yRadPerS', 'zRadPerS'].sort(),
    );
    // The fake's 6-Hz, 0.3 m/s² RMS tremor comes out of core's analysis of the recording.
    const { metrics } = analyzeRecording(recording);
    expect(Math.abs(metrics.tremor_peak_frequency_hz! - 6)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(metrics.tremor_rms_m_per_s2! / 0.3 - 1)).toBeLessThanOrEqual(0.05);

    // Cues: three ticks, a start beep, two end beeps; vibration at start and end; the position spoken.
    const tones = audio()!.oscillators.map((o) => o.frequency.value);
    expect(tones).toEqual([660, 660, 660, 880, 660, 660]);
    const starts = audio()!
      .oscillators.slice(0, 4)
      .map((o) => o.startedAt!);
    expect(starts[1]! - starts[0]!).toBeCloseTo(1, 9);
    expect(starts[3]! - starts[0]!).toBeCloseTo(3, 9);
    expect(vibrations).toEqual([[300], [150, 100, 150]]);
    expect(spoken).toEqual(['Rest position. Relax your hand.']);
    expect(recording.params.cues).toEqual({ audio: true, vibration: true, speech: true });
  });

  it('runs the position it is given, with that position’s length and place in the sequence', async () => {
    const { run } = start({ params: { position: 'task', weightTest: true } });
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 5 of 6');
    expect(text(run, 'title')).toBe('Your task posture');
    await doPosition(run, 15);
    const recording = await run.done;
    expect(recording.params.position).toBe('task');
    expect(trialsOf(recording).map((t) => [t.position, t.endMs - t.startMs])).toEqual([['task', 15_000]]);
  });

  it('says a rate under 40 Hz clearly; discard does the position again, keep flags the recording', async () => {
    const { run } = start({
      feed: { motionHz: 20 },
      apis: { accelerometer: false, gyroscope: false },
      params: { positions: 'rest' },
    });
    await run.clock.advance(0);
    await doPosition(run, 10);
    expect(text(run, 'status')).toContain(TREMOR_TEXT.problems['low-rate']);
    expect(text(run, 'status')).toContain(TREMOR_TEXT.problemQuestion);
    expect(button(run, 'start')).toBeNull();
    button(run, 'discard')!.click();
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 1 of 1');
    expect(button(run, 'start')).not.toBeNull();
    await doPosition(run, 10);
    button(run, 'keep')!.click();
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.streams.accelerometer).toBeUndefined();
    const trials = trialsOf(recording);
    expect(trials.map((t) => [t.attempt, t.outcome, t.source, t.rateHz, t.problems])).toEqual([
      [1, 'discarded', 'motion.acceleration', 20, ['low-rate']],
      [2, 'flagged', 'motion.acceleration', 20, ['low-rate']],
    ]);
    expect(recording.flags).toContain('LOW_SAMPLING_RATE');
    expect(
      labels(recording).filter((l) => l.startsWith('trial-') && l !== 'trial-start' && l !== 'trial-end'),
    ).toEqual(['trial-discarded', 'trial-flagged']);
    // Core analyses the flagged second attempt, without its edges, and says why it is unreliable.
    const span = tremorAnalysedSpan(recording)!;
    expect([span.fromMs, span.toMs]).toEqual([trials[1]!.startMs + 2000, trials[1]!.endMs - 2000]);
    expect(analyzeRecording(recording).quality_flags).toContain('LOW_SAMPLING_RATE');
  });

  it('says that no sensor sent readings; a trial kept anyway gives no number, only the reason', async () => {
    const { run } = start({ feed: null, params: { positions: 'posture' } });
    await run.clock.advance(0);
    await doPosition(run, 10);
    expect(text(run, 'status')).toContain(TREMOR_TEXT.problems['no-sensor']);
    button(run, 'keep')!.click();
    const recording = await run.done;
    expect(trialsOf(recording).map((t) => [t.source, t.samples, t.problems, t.outcome])).toEqual([
      ['none', 0, ['no-sensor'], 'flagged'],
    ]);
    expect(recording.flags).toContain('NO_SENSOR');
    expect(() => analyzeRecording(recording)).toThrow(/motion sensor sent no readings/);
  });

  it('asks for the permission from the Start click, explains a refusal, and asks again from a click', async () => {
    const { run, sensors } = start({ params: { positions: 'rest' } });
    sensors.permission = 'denied';
    await run.clock.advance(0);
    button(run, 'start')!.click();
    expect(sensors.permissionCalls).toBe(1); // synchronously, inside the click
    await run.clock.advance(0);
    expect(text(run, 'status')).toBe(TREMOR_TEXT.permissionDenied);
    expect(sensors.starts).toBe(0);
    sensors.permission = 'granted';
    button(run, 'retry')!.click();
    expect(sensors.permissionCalls).toBe(2);
    await run.clock.advance(2000 + 3000 + 10_000 + 500);
    const recording = await run.done;
    expect(trialsOf(recording).map((t) => t.outcome)).toEqual(['kept']);
    expect(recording.params.sensors).toMatchObject({ permission: 'granted' });
    expect(labels(recording)).toContain('permission-denied');
  });

  it('ends the task flagged when the permission stays refused', async () => {
    const { run, sensors } = start();
    sensors.permission = 'denied';
    await run.clock.advance(0);
    button(run, 'start')!.click();
    await run.clock.advance(0);
    button(run, 'end')!.click();
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toContain('SENSOR_PERMISSION_DENIED');
    expect(trialsOf(recording)).toEqual([]);
    expect(recording.streams.motion!.columns.timeStampMs!.values).toEqual([]);
    expect(() => analyzeRecording(recording)).toThrow(/fewer than two accelerometer samples/);
  });

  it('ends the trial when the page is hidden, and says so; the redone attempt is the one analysed', async () => {
    const { run } = start({ params: { positions: 'rest' } });
    await run.clock.advance(0);
    button(run, 'start')!.click();
    await run.clock.advance(2000 + 3000 + 4000);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    await run.clock.advance(0);
    expect(text(run, 'status')).toContain(TREMOR_TEXT.problems.hidden);
    Reflect.deleteProperty(document, 'visibilityState');
    button(run, 'discard')!.click();
    await run.clock.advance(0);
    await doPosition(run, 10);
    const recording = await run.done;
    const trials = trialsOf(recording);
    expect(trials.map((t) => [t.endMs - t.startMs, t.problems, t.outcome])).toEqual([
      [4000, ['hidden'], 'discarded'],
      [10_000, [], 'kept'],
    ]);
    expect(labels(recording)).toContain('hidden-during-trial');
    expect(tremorAnalysedSpan(recording)!.attempt).toMatchObject({
      startMs: trials[1]!.startMs,
      outcome: 'kept',
    });
  });

  it('Finish needs two presses and ends the run without a trial, flagged STOPPED_EARLY', async () => {
    const { run } = start({ params: { positions: 'rest' } });
    await run.clock.advance(0);
    button(run, 'finish')!.click();
    await run.clock.advance(0);
    expect(text(run, 'finish')).toBe(TREMOR_TEXT.finishArmed);
    button(run, 'finish')!.click();
    const recording = await run.done;
    expect(recording.flags).toContain('STOPPED_EARLY');
    expect(trialsOf(recording)).toEqual([]);
    expect(recording.params.position).toBe('rest');
  });
});

describe('readTremorParams and tremorSequence', () => {
  const params = (given: Record<string, string | number | boolean> = {}) =>
    resolveParams(tremorDefinition, given);

  it('plans the positions of measures.md 7.2, the task posture 15 s, the weight test last', () => {
    expect(readTremorParams(params()).plan).toEqual([
      { position: 'rest', durationS: 10 },
      { position: 'posture', durationS: 10 },
      { position: 'wing', durationS: 10 },
      { position: 'kinetic', durationS: 10 },
      { position: 'task', durationS: 15 },
    ]);
    const weighted = readTremorParams(params({ positions: 'posture', weightTest: true, trialS: 12 }));
    expect(weighted.plan).toEqual([
      { position: 'posture', durationS: 12 },
      { position: 'posture-weighted', durationS: 12 },
    ]);
    expect([weighted.position, weighted.durationS, weighted.index]).toEqual(['posture', 12, 0]);
    const task = readTremorParams(params({ position: 'task' }));
    expect([task.position, task.durationS, task.index]).toEqual(['task', 15, 4]);
    expect(readTremorParams(params({ positions: 'rest', position: 'wing' })).index).toBe(-1);
  });

  it('refuses unknown, repeated or no positions', () => {
    const unchecked = (given: Record<string, string>) => ({ ...params(), ...given });
    expect(() => readTremorParams(unchecked({ positions: 'rest,nose' }))).toThrow(
      /unknown tremor position "nose"/,
    );
    expect(() => readTremorParams(unchecked({ positions: 'rest,rest' }))).toThrow(/listed twice/);
    expect(() => readTremorParams(unchecked({ positions: ' , ' }))).toThrow(/no position/);
    expect(() => readTremorParams(params({ position: 'nose' }))).toThrow(/"position"/);
    expect(() => resolveParams(tremorDefinition, { positions: 'rest,posture' })).toThrow(/must be one of/);
  });

  it('says where a recording stands in the sequence and which position comes next', () => {
    expect(tremorSequence({})).toEqual({
      position: 'rest',
      number: 1,
      count: 5,
      next: { position: 'posture', title: 'Arm stretched out', number: 2 },
    });
    expect(tremorSequence({ position: 'task', weightTest: true }).next).toEqual({
      position: 'posture-weighted',
      title: 'Arm stretched out, with a weight',
      number: 6,
    });
    expect(tremorSequence({ position: 'task' })).toMatchObject({ number: 5, count: 5, next: null });
    expect(tremorSequence({ positions: 'kinetic' })).toMatchObject({ number: 1, count: 1, next: null });
  });
});

describe('samplingQuality', () => {
  it('measures the rate from the median distinct interval and counts gaps over 100 ms', () => {
    expect(samplingQuality([0, 10, 20, 20, 30, 150, 160])).toEqual({
      samples: 7,
      rateHz: 100,
      medianIntervalMs: 10,
      maxIntervalMs: 120,
      gapCount: 1,
      gapMs: 120,
    });
    expect(samplingQuality([5])).toEqual({
      samples: 1,
      rateHz: null,
      medianIntervalMs: null,
      maxIntervalMs: 0,
      gapCount: 0,
      gapMs: 0,
    });
  });
});

describe('cues', () => {
  it('schedules the end cue as two 660-Hz beeps 250 ms apart', () => {
    const clock = new FakeClock(1000);
    const audio = new FakeAudioContext(() => clock.now());
    expect(scheduleTone(audio, 'end', 2)).toEqual([2, 2.25]);
    expect(audio.oscillators.map((o) => [o.frequency.value, o.startedAt, o.stopTime])).toEqual([
      [660, 2, 2.17],
      [660, 2.25, 2.42],
    ]);
    expect(audio.gains.every((g) => g.gain.events[0]!.method === 'setValueAtTime')).toBe(true);
  });
});

describe('browser sensors', () => {
  /** A window-like scope with DeviceMotionEvent.requestPermission and a Generic Sensor Accelerometer. */
  function fakeScope(permission: () => Promise<string>) {
    const target = new EventTarget();
    const made: { frequency: number }[] = [];
    class Accelerometer extends EventTarget {
      timestamp: number | null = null;
      x: number | null = null;
      y: number | null = null;
      z: number | null = null;
      started = false;
      constructor(options: { frequency: number }) {
        super();
        made.push(options);
        sensors.push(this);
      }
      start() {
        this.started = true;
      }
      stop() {
        this.started = false;
      }
    }
    const sensors: Accelerometer[] = [];
    const scope = {
      DeviceMotionEvent: Object.assign(function DeviceMotionEvent() {}, { requestPermission: permission }),
      Accelerometer,
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
    };
    return { scope, target, made, sensors };
  }

  it('asks iOS for the permission and maps its answer', async () => {
    expect(
      await createBrowserSensors(fakeScope(() => Promise.resolve('granted')).scope).requestPermission(),
    ).toBe('granted');
    expect(
      await createBrowserSensors(fakeScope(() => Promise.resolve('denied')).scope).requestPermission(),
    ).toBe('denied');
    expect(
      await createBrowserSensors(fakeScope(() => Promise.reject(new Error('no'))).scope).requestPermission(),
    ).toBe('denied');
    const none = { addEventListener() {}, removeEventListener() {} };
    expect(await createBrowserSensors(none).requestPermission()).toBe('not-required');
    expect(createBrowserSensors(none).apis).toEqual({
      deviceMotion: false,
      accelerometer: false,
      gyroscope: false,
    });
  });

  it('records devicemotion events and Accelerometer readings raw while armed, and stops the sensors', () => {
    const { scope, target, made, sensors } = fakeScope(() => Promise.resolve('granted'));
    const source = createBrowserSensors(scope);
    expect(source.apis).toEqual({ deviceMotion: true, accelerometer: true, gyroscope: false });
    const set = new StreamSet('tremor');
    const streams = {
      motion: set.stream('motion'),
      accelerometer: set.stream('accelerometer'),
      gyroscope: null,
    };
    const recorder = startSensorRecorder(source, streams, { frequencyHz: 100, clock: new FakeClock() });
    expect(made).toEqual([{ frequency: 100, referenceFrame: 'device' }]);
    expect(sensors[0]!.started).toBe(true);
    const motion = (timeStamp: number) => {
      const event = new Event('devicemotion');
      Object.defineProperties(event, {
        timeStamp: { value: timeStamp },
        acceleration: { value: { x: 0.1, y: null, z: -0.2 } },
        accelerationIncludingGravity: { value: { x: 0.1, y: 0.3, z: 9.6 } },
        rotationRate: { value: { alpha: 1, beta: 2, gamma: 3 } },
        interval: { value: 16 },
      });
      target.dispatchEvent(event);
    };
    const reading = (timestamp: number) => {
      Object.assign(sensors[0]!, { timestamp, x: 0.5, y: 0.25, z: 9.75 });
      sensors[0]!.dispatchEvent(new Event('reading'));
    };
    motion(100); // not armed: dropped
    recorder.arm(true);
    motion(116.5);
    reading(118.25);
    recorder.arm(false);
    reading(128.25);
    const snapshot = set.snapshot();
    expect(snapshot.motion!.columns).toEqual({
      timeStampMs: { type: 'f64', values: [116.5] },
      accXMPerS2: { type: 'f64', values: [0.1] },
      accYMPerS2: { type: 'f64', values: [null] },
      accZMPerS2: { type: 'f64', values: [-0.2] },
      accGravXMPerS2: { type: 'f64', values: [0.1] },
      accGravYMPerS2: { type: 'f64', values: [0.3] },
      accGravZMPerS2: { type: 'f64', values: [9.6] },
      rotAlphaDegPerS: { type: 'f64', values: [1] },
      rotBetaDegPerS: { type: 'f64', values: [2] },
      rotGammaDegPerS: { type: 'f64', values: [3] },
      intervalMs: { type: 'f64', values: [16] },
    });
    expect(snapshot.accelerometer!.columns).toEqual({
      timeStampMs: { type: 'f64', values: [118.25] },
      xMPerS2: { type: 'f64', values: [0.5] },
      yMPerS2: { type: 'f64', values: [0.25] },
      zMPerS2: { type: 'f64', values: [9.75] },
    });
    const errorEvent = Object.assign(new Event('error'), {
      error: { name: 'NotReadableError', message: 'Could not connect to a sensor' },
    });
    sensors[0]!.dispatchEvent(errorEvent);
    expect(recorder.errors).toEqual(['accelerometer: NotReadableError: Could not connect to a sensor']);
    recorder.stop();
    expect(sensors[0]!.started).toBe(false);
    recorder.arm(true);
    motion(200);
    expect(set.snapshot().motion!.columns.timeStampMs!.values).toEqual([116.5]);
  });
});
