import { parseTaskRecording, type Recording, type Stream } from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAudioContext } from '../metronome';
import { resolveParams } from '../params';
import { startRun } from '../testing/harness';
import { FakeClock } from '../testing/fake-clock';
import { scheduleTone, type SpeechLike } from './cues';
import { readTremorParams, tremorDefinition } from './definition';
import { createTremorPlugin } from './index';
import { positionRecordings } from './positions';
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
  it('runs every position with cues, checks each trial, and records raw samples with their units', async () => {
    const { run, sensors, vibrations, spoken, audio } = start();
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 1 of 5');
    expect(text(run, 'title')).toBe('Rest');
    for (const s of [10, 10, 10, 10, 15]) await doPosition(run, s);
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(sensors.permissionCalls).toBe(1);
    expect(sensors.starts).toBe(1);
    expect(sensors.frequencyHz).toBe(100);
    expect(sensors.started).toBe(false);

    const trials = trialsOf(recording);
    expect(trials.map((t) => [t.position, t.outcome, t.source, t.rateHz, t.gapCount, t.problems])).toEqual(
      ['rest', 'posture', 'wing', 'kinetic', 'task'].map((p) => [p, 'kept', 'accelerometer', 100, 0, []]),
    );
    expect(trials.map((t) => t.endMs - t.startMs)).toEqual([10_000, 10_000, 10_000, 10_000, 15_000]);
    expect(trials[0]!.reportedIntervalMedian).toBe(17);
    expect(recording.flags).toEqual([]);

    const first = labels(recording).slice(0, 13);
    expect(first).toEqual([
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
      'position:posture',
      'sensor-on',
    ]);
    // Samples only while armed: from sensor-on to sensor-off of each position.
    const t = column(recording.streams.accelerometer, 'timeStampMs') as number[];
    const times = column(recording.streams.markers, 'timeStampMs') as number[];
    const on = times[labels(recording).indexOf('sensor-on')]!;
    const off = times[labels(recording).indexOf('sensor-off')]!;
    expect(t[0]).toBeGreaterThanOrEqual(on);
    expect(t.filter((x) => x <= off + 1).length).toBe(t.filter((x) => x < times[11]!).length);
    // The gravity is kept in the Generic Sensor stream (m/s²), and the rotation rate is in rad/s.
    expect(column(recording.streams.accelerometer, 'zMPerS2')[0]).toBeCloseTo(9.81, 10);
    expect(Object.keys(recording.streams.gyroscope!.columns).sort()).toEqual(
      ['timeStampMs', 'xRadPerS', 'yRadPerS', 'zRadPerS'].sort(),
    );

    // Cues: three ticks, a start beep, two end beeps per position; vibration at start and end; speech.
    const tones = audio()!.oscillators.map((o) => o.frequency.value);
    expect(tones).toEqual(Array.from({ length: 5 }, () => [660, 660, 660, 880, 660, 660]).flat());
    const starts = audio()!
      .oscillators.slice(0, 4)
      .map((o) => o.startedAt!);
    expect(starts[1]! - starts[0]!).toBeCloseTo(1, 9);
    expect(starts[3]! - starts[0]!).toBeCloseTo(3, 9);
    expect(vibrations).toEqual(Array.from({ length: 5 }, () => [[300], [150, 100, 150]]).flat());
    expect(spoken[0]).toBe('Rest position. Relax your hand.');
    expect(spoken).toHaveLength(5);
    expect(recording.params.cues).toEqual({ audio: true, vibration: true, speech: true });
  });

  it('says a rate under 40 Hz clearly; discard redoes the position, keep flags the recording', async () => {
    const { run } = start({
      feed: { motionHz: 20 },
      apis: { accelerometer: false, gyroscope: false },
      params: { positions: 'rest' },
    });
    await run.clock.advance(0);
    await doPosition(run, 10);
    expect(text(run, 'status')).toContain(TREMOR_TEXT.problems['low-rate']);
    expect(button(run, 'start')).toBeNull();
    button(run, 'discard')!.click();
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 1 of 1');
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
    // Per position: only the last attempt that was not discarded.
    const positions = positionRecordings(recording);
    expect(positions.map((p) => [p.position, p.attempt, p.outcome])).toEqual([['rest', 2, 'flagged']]);
    const cut = column(positions[0]!.recording.streams.motion, 'timeStampMs') as number[];
    expect(cut[0]).toBeGreaterThanOrEqual(trials[1]!.startMs + 2000);
    expect(cut.at(-1)).toBeLessThanOrEqual(trials[1]!.endMs - 2000);
    expect(positions[0]!.recording.durationMs).toBe(6000);
  });

  it('says that no sensor sent readings, and keeps the trial flagged when asked', async () => {
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
  });

  it('ends the trial when the page is hidden, and says so', async () => {
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
  });

  it('Redo goes back to the previous position; Finish needs two presses and flags STOPPED_EARLY', async () => {
    const { run } = start({ params: { positions: 'rest,posture,wing' } });
    await run.clock.advance(0);
    await doPosition(run, 10);
    expect(text(run, 'progress')).toBe('Position 2 of 3');
    button(run, 'redo')!.click();
    await run.clock.advance(0);
    expect(text(run, 'progress')).toBe('Position 1 of 3');
    await doPosition(run, 10);
    expect(text(run, 'progress')).toBe('Position 2 of 3');
    button(run, 'finish')!.click();
    await run.clock.advance(0);
    expect(text(run, 'finish')).toBe(TREMOR_TEXT.finishArmed);
    button(run, 'finish')!.click();
    const recording = await run.done;
    expect(recording.flags).toContain('STOPPED_EARLY');
    expect(trialsOf(recording).map((t) => [t.position, t.attempt])).toEqual([
      ['rest', 1],
      ['rest', 2],
    ]);
    expect(positionRecordings(recording).map((p) => [p.position, p.attempt])).toEqual([['rest', 2]]);
  });
});

describe('readTremorParams', () => {
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
    expect(
      readTremorParams(params({ positions: ' posture , task', weightTest: true, trialS: 12 })).plan,
    ).toEqual([
      { position: 'posture', durationS: 12 },
      { position: 'task', durationS: 15 },
      { position: 'posture-weighted', durationS: 12 },
    ]);
  });

  it('refuses unknown, repeated or no positions', () => {
    expect(() => readTremorParams(params({ positions: 'rest,nose' }))).toThrow(
      /unknown tremor position "nose"/,
    );
    expect(() => readTremorParams(params({ positions: 'rest,rest' }))).toThrow(/listed twice/);
    expect(() => readTremorParams(params({ positions: ' , ' }))).toThrow(/no position/);
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
