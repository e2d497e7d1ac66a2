import { MARKERS, StreamSet, type StreamBuilder } from '../columns';
import type { JsonValue, SimulateOptions, TaskCapture } from '../contract';
import { createRng, type Rng } from '../rng';
import { readTremorParams, type TremorPositionId } from './definition';
import { assessTrial } from './quality';
import { TREMOR_MARKERS, type TrialRecord } from './run';

/** The truth behind one simulated position. */
export interface TremorPositionTruth {
  position: TremorPositionId;
  /** Tremor frequency, Hz. */
  frequencyHz: number;
  /** RMS of the tremor acceleration along its direction, m/s² (what `tremor_rms_m_per_s2` estimates). */
  rmsMPerS2: number;
  /** RMS of the rotational tremor, deg/s. */
  gyroRmsDegPerS: number;
  /** `trial-start` and `trial-end`, ms. */
  startMs: number;
  endMs: number;
}

type Vec = [number, number, number];

const G = 9.81;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function unit(v: Vec): Vec {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** A direction near `base` (normalised), scattered by `sd`. */
function near(rng: Rng, base: Vec, sd: number): Vec {
  return unit([base[0] + rng.normal(0, sd), base[1] + rng.normal(0, sd), base[2] + rng.normal(0, sd)]);
}

/** How the phone lies in each position: gravity as the accelerometer reads it (device axes, m/s²). */
const GRAVITY_DIRECTION: Record<TremorPositionId, Vec> = {
  rest: [0, 0, 1],
  posture: [0, 0, 1],
  wing: [0, 0.34, 0.94],
  kinetic: [0, 0.2, 0.98],
  task: [0, 0.87, 0.5],
  'posture-weighted': [0, 0, 1],
};

/** The person's tremor in one position. */
interface PositionModel {
  truth: Omit<TremorPositionTruth, 'startMs' | 'endMs'>;
  direction: Vec;
  gyroDirection: Vec;
  phase: number;
  gravity: Vec;
  /** Slow voluntary movement: three sinusoids below 1 Hz. */
  drift: { omega: number; phase: number; amplitude: Vec }[];
  /** Kinetic: the reach to the nose and back, along y, and the tilt it brings. */
  reach: { omega: number; amplitude: number; tiltRad: number } | null;
}

function positionModel(
  rng: Rng,
  position: TremorPositionId,
  f0: number,
  posture: PositionModel | null,
): PositionModel {
  let frequencyHz: number;
  let rmsMPerS2: number;
  switch (position) {
    case 'rest':
      frequencyHz = f0 - rng.uniform(0, 0.5);
      rmsMPerS2 = rng.uniform(0.04, 0.12);
      break;
    case 'task':
      frequencyHz = f0 - rng.uniform(0, 1);
      rmsMPerS2 = rng.uniform(0.2, 0.8);
      break;
    case 'posture-weighted':
      // A weight lowers a mechanical-reflex tremor's frequency (measures.md 7.1: by more than 1 Hz for
      // enhanced physiological tremor, at most 1 Hz for essential tremor).
      frequencyHz = (posture?.truth.frequencyHz ?? f0) - rng.uniform(0.2, 1.3);
      rmsMPerS2 = (posture?.truth.rmsMPerS2 ?? 0.3) * rng.uniform(0.8, 1.2);
      break;
    default:
      frequencyHz = f0 + rng.uniform(-0.3, 0.3);
      rmsMPerS2 = rng.uniform(0.15, 0.6);
  }
  const gravity = GRAVITY_DIRECTION[position].map((c) => c * G) as Vec;
  return {
    truth: { position, frequencyHz, rmsMPerS2, gyroRmsDegPerS: rmsMPerS2 * rng.uniform(20, 50) },
    direction: near(rng, [0.2, 0.3, 1], 0.3),
    gyroDirection: near(rng, [1, 0.3, 0.1], 0.3),
    phase: rng.uniform(0, 2 * Math.PI),
    gravity,
    drift: Array.from({ length: 3 }, () => ({
      omega: 2 * Math.PI * rng.uniform(0.1, 0.9),
      phase: rng.uniform(0, 2 * Math.PI),
      amplitude: near(rng, [0, 0, 0.01], 1).map((c) => c * rng.uniform(0.02, 0.06)) as Vec,
    })),
    reach:
      position === 'kinetic'
        ? {
            omega: 2 * Math.PI * rng.uniform(0.4, 0.55),
            amplitude: rng.uniform(1, 2.5),
            tiltRad: rng.uniform(0.2, 0.4),
          }
        : null,
  };
}

/** Linear acceleration, gravity (device axes, m/s²) and rotation rate ([x, y, z], deg/s) at `tS`. */
function signalAt(model: PositionModel, tS: number): { linear: Vec; gravity: Vec; rotation: Vec } {
  const { frequencyHz, rmsMPerS2, gyroRmsDegPerS } = model.truth;
  const wave = Math.sin(2 * Math.PI * frequencyHz * tS + model.phase) * Math.SQRT2;
  const linear: Vec = [0, 0, 0];
  const rotation: Vec = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    linear[axis] = wave * rmsMPerS2 * model.direction[axis]!;
    rotation[axis] = wave * gyroRmsDegPerS * model.gyroDirection[axis]!;
    for (const d of model.drift) linear[axis]! += d.amplitude[axis]! * Math.sin(d.omega * tS + d.phase);
  }
  let gravity = model.gravity;
  if (model.reach) {
    const { omega, amplitude, tiltRad } = model.reach;
    linear[1] += amplitude * Math.sin(omega * tS);
    // The hand turns towards the face and back: gravity swings between z and y.
    const tilt = tiltRad * (1 - Math.cos(omega * tS)) * 0.5;
    const [gx, gy, gz] = model.gravity;
    gravity = [gx, gy * Math.cos(tilt) + gz * Math.sin(tilt), gz * Math.cos(tilt) - gy * Math.sin(tilt)];
    rotation[0] += ((tiltRad * omega * Math.sin(omega * tS)) / 2) * (180 / Math.PI);
  }
  return { linear, gravity, rotation };
}

interface Writers {
  motion: StreamBuilder;
  accelerometer: StreamBuilder;
  gyroscope: StreamBuilder;
}

/**
 * Writes the readings of one armed period [fromMs, toMs] of a position; none during `gap` (a sensor
 * that stalled).
 */
function writeReadings(
  rng: Rng,
  streams: Writers,
  model: PositionModel,
  goMs: number,
  fromMs: number,
  toMs: number,
  gap: readonly [number, number] | null = null,
): void {
  const noise = (sd: number) => rng.normal(0, sd);
  const stalled = (t: number) => gap !== null && t >= gap[0] && t < gap[1];
  // Generic Sensors: 100 Hz, small jitter.
  const acc = streams.accelerometer;
  const gyro = streams.gyroscope;
  for (let t = fromMs + rng.uniform(0, 10); t <= toMs; t += 10 + rng.normal(0, 0.2)) {
    if (stalled(t)) continue;
    const { linear, gravity, rotation } = signalAt(model, (t - goMs) / 1000);
    const stamp = round(t, 2);
    if (acc.hasRoom()) {
      acc.f64('timeStampMs').push(stamp);
      acc.f64('xMPerS2').push(round(linear[0] + gravity[0] + noise(0.01), 4));
      acc.f64('yMPerS2').push(round(linear[1] + gravity[1] + noise(0.01), 4));
      acc.f64('zMPerS2').push(round(linear[2] + gravity[2] + noise(0.01), 4));
      acc.endRow();
    }
    if (gyro.hasRoom()) {
      const rad = Math.PI / 180;
      gyro.f64('timeStampMs').push(round(stamp + 0.3, 2));
      gyro.f64('xRadPerS').push(round((rotation[0] + noise(0.2)) * rad, 5));
      gyro.f64('yRadPerS').push(round((rotation[1] + noise(0.2)) * rad, 5));
      gyro.f64('zRadPerS').push(round((rotation[2] + noise(0.2)) * rad, 5));
      gyro.endRow();
    }
  }
  // devicemotion: about 60 Hz, dispatch jitter.
  const m = streams.motion;
  for (let t = fromMs + rng.uniform(0, 16); t <= toMs; t += Math.max(5, 1000 / 60 + rng.normal(0, 1))) {
    if (!m.hasRoom()) break;
    if (stalled(t)) continue;
    const { linear, gravity, rotation } = signalAt(model, (t - goMs) / 1000);
    const a = linear.map((v) => v + noise(0.01));
    m.f64('timeStampMs').push(round(t, 2));
    m.f64('accXMPerS2').push(round(a[0]!, 4));
    m.f64('accYMPerS2').push(round(a[1]!, 4));
    m.f64('accZMPerS2').push(round(a[2]!, 4));
    m.f64('accGravXMPerS2').push(round(a[0]! + gravity[0], 4));
    m.f64('accGravYMPerS2').push(round(a[1]! + gravity[1], 4));
    m.f64('accGravZMPerS2').push(round(a[2]! + gravity[2], 4));
    m.f64('rotAlphaDegPerS').push(round(rotation[2] + noise(0.2), 3));
    m.f64('rotBetaDegPerS').push(round(rotation[0] + noise(0.2), 3));
    m.f64('rotGammaDegPerS').push(round(rotation[1] + noise(0.2), 3));
    m.f64('intervalMs').push(16);
    m.endRow();
  }
}

/** The positions in the order a person's models are drawn (so that each is the same in every recording). */
const MODEL_ORDER: readonly TremorPositionId[] = [
  'rest',
  'posture',
  'wing',
  'kinetic',
  'task',
  'posture-weighted',
];

/** Attempts and pause of the longest recording: discarded attempts, then the kept one, within 3 minutes. */
const LONGEST = { attempts: 6, pauseS: 1, spanS: 178 } as const;

/**
 * A synthetic person doing one tremor position with a Chromium phone (devicemotion at about 60 Hz,
 * Generic Sensor accelerometer and gyroscope at 100 Hz), with its truth: a sinusoidal tremor of a
 * personal frequency (5–7.5 Hz, lower at rest and in the task posture, lower again with the weight)
 * and amplitude along a direction of its own, a rotational tremor with it, slow voluntary movement
 * below 1 Hz, the reach to the nose in the kinetic position (with the tilt it brings), gravity as the
 * phone lies in the position, sensor noise. The person is drawn from the seed alone, so the recordings
 * of a sequence with one seed (one per position) are one person's. About one recording in three has a
 * first attempt whose sensor stalled for 0.4 s while the hand did something else (a 2.5-Hz-faster
 * shake), discarded and done again, as the run lets a person do. Same seed and position, same capture.
 * `longest`: several such discarded attempts before the kept one, filling the 3 minutes of the spec.
 */
export function simulateTremorSession(options: SimulateOptions): {
  capture: TaskCapture;
  truth: TremorPositionTruth;
} {
  const p = readTremorParams(options.params, options.hand);
  const person = createRng(options.seed);
  const f0 = person.uniform(5, 7.5);
  let posture: PositionModel | null = null;
  const models = new Map<TremorPositionId, PositionModel>();
  for (const position of MODEL_ORDER) {
    const model = positionModel(person, position, f0, posture);
    if (position === 'posture') posture = model;
    models.set(position, model);
  }
  const { position } = p;
  const model = models.get(position)!;
  const rng = createRng(options.seed ^ (0x7e3 * (MODEL_ORDER.indexOf(position) + 1)));
  const discarded = options.longest ? LONGEST.attempts - 1 : rng.uniform(0, 1) < 1 / 3 ? 1 : 0;
  // the longest recording: attempts as long as fit in the span, with the shortest pauses
  const gapMs = 300 + LONGEST.pauseS * 1000 + p.prepareS * 1000 + 3000;
  const durationS = options.longest
    ? Math.floor((LONGEST.spanS * 1000 - (LONGEST.attempts - 1) * gapMs) / LONGEST.attempts / 1000)
    : p.durationS;

  const set = new StreamSet('tremor');
  const streams: Writers = {
    motion: set.stream('motion'),
    accelerometer: set.stream('accelerometer'),
    gyroscope: set.stream('gyroscope'),
  };
  const decoy: PositionModel = {
    ...model,
    truth: { ...model.truth, frequencyHz: model.truth.frequencyHz + 2.5 },
  };
  const trials: TrialRecord[] = [];
  let truth: TremorPositionTruth | null = null;
  let t = Math.round(rng.uniform(4000, 30_000));
  let lastEnd = t;
  for (let attempt = 1; attempt <= discarded + 1; attempt++) {
    const kept = attempt === discarded + 1;
    set.mark(`${TREMOR_MARKERS.positionPrefix}${position}`, t);
    set.mark(TREMOR_MARKERS.sensorOn, t);
    const countdownMs = t + p.prepareS * 1000;
    for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdownMs + i * 1000);
    const goMs = countdownMs + 3000;
    set.mark(MARKERS.trialStart, goMs);
    set.mark(TREMOR_MARKERS.cueStart, goMs);
    const endMs = goMs + durationS * 1000;
    set.mark(MARKERS.trialEnd, endMs);
    set.mark(TREMOR_MARKERS.cueEnd, endMs);
    const offMs = endMs + 300;
    const stallMs = goMs + rng.uniform(0.3, 0.6) * durationS * 1000;
    writeReadings(rng, streams, kept ? model : decoy, goMs, t, offMs, kept ? null : [stallMs, stallMs + 400]);
    set.mark(TREMOR_MARKERS.sensorOff, offMs);
    const quality = assessTrial(streams, goMs, endMs, { hidden: false });
    set.mark(kept ? TREMOR_MARKERS.kept : TREMOR_MARKERS.discarded, offMs + 1);
    trials.push({
      ...quality,
      position,
      attempt,
      startMs: goMs,
      endMs,
      outcome: kept ? 'kept' : 'discarded',
    });
    if (kept) truth = { ...model.truth, startMs: goMs, endMs };
    lastEnd = endMs;
    t = Math.round(offMs + 1000 * (options.longest ? LONGEST.pauseS : rng.uniform(3, 10)));
  }
  const capture = set.capture(
    [],
    {
      position,
      trials: trials as unknown as JsonValue,
      sensors: {
        apis: { deviceMotion: true, accelerometer: true, gyroscope: true },
        permission: 'not-required',
        frequencyHz: p.sensorHz,
        errors: [],
        full: [],
      },
      cues: { audio: true, vibration: true, speech: false },
    },
    lastEnd,
  );
  return { capture, truth: truth! };
}

/** The plugin's `simulate`: {@link simulateTremorSession} without the truth. */
export function simulateTremorCapture(options: SimulateOptions): TaskCapture {
  return simulateTremorSession(options).capture;
}
