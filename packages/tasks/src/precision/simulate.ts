/**
 * A synthetic run of the precision task. Core's seeded precision simulator (simulate-precision.ts) is
 * not exported from `@dystrack/core`, so its model is written here again, in screen px on the task's
 * target: the tool tip = target point + a constant offset + a slow circular drift (0.25 Hz) + a
 * linear sinusoidal tremor of known frequency and peak-to-peak amplitude along a fixed direction.
 * Hold: the target point is the ring centre; traces: it moves along the shape at a slow constant
 * speed. Sampled at 240 Hz with the pen down from just before each trial (the tip is put in the ring
 * during the countdown) to just after it. The truth's deviation figures are computed from the
 * continuous deviation over the kept trials' windows (what core analyses), not by the analysis.
 */
import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { PEN_FLAGS } from '../pen/flags';
import type { InkSummary } from '../pen/ink';
import { attemptsParam, PEN_MARKERS, type PenAttempt, type PenOutcome } from '../pen/protocol';
import { calibrationFacts } from '../pen/run-calibration';
import { nextSampleMs, penPointerWriter, simulatedCalibration, simulatedTilt } from '../pen/simulate';
import { createRng } from '../rng';
import { precisionDefinition, readPrecisionParams } from './definition';
import { pathPoint, precisionTarget, type Box, type PrecisionTarget } from './geometry';
import { precisionProtocol, targetParams } from './run';

/** The simulated person's hand: what core's analysis should find again. */
export interface PrecisionPerson {
  /** Frequency of the linear tremor, Hz. */
  tremorHz: number;
  /** Its peak-to-peak amplitude, mm. */
  tremorAmpPpMm: number;
  /** Its direction, rad from the x axis. */
  tremorAngleRad: number;
  /** Constant offset of the tip from the target, mm. */
  offsetMm: [number, number];
  /** Radius of the slow 0.25-Hz circular drift of the tip around the offset, mm. */
  driftMm: number;
  /** Tracing speed along the shape, mm/s. */
  speedMmPerS: number;
  /** Mean pen pressure, 0–1. */
  pressure: number;
  /** Chance of redoing a trial part of the way through. */
  redoChance: number;
}

/** The truth over the kept trials' windows, from the continuous deviation on a 1-kHz grid. */
export interface PrecisionTruth {
  tremorHz: number;
  tremorAmpPpMm: number;
  /** RMS of the tip–target distance, mm. */
  deviationRmsMm: number;
  /** Share of time with the tip within 1 mm of the target, %. */
  withinOneMmPct: number;
  /** Kept trials' time, s. */
  keptS: number;
}

/** A simulated run and its truth. */
export interface SimulatedPrecisionRun {
  capture: TaskCapture;
  person: PrecisionPerson;
  truth: PrecisionTruth;
  target: PrecisionTarget;
  pxPerMm: number;
}

/** The surface of the simulated 1280 × 800 screen, client CSS px (header above, buttons below). */
const SIMULATED_CANVAS: Box = { leftPx: 0, topPx: 96, widthPx: 1280, heightPx: 616 };

/**
 * A synthetic run of the precision task with its truth: a calibrated 1280 × 800 screen (3.4–4.6
 * px/mm), a person with a tremor of 4.5–8 Hz and 0.2–0.8 mm peak to peak, a small offset and drift,
 * doing the part's trials with a pen at 240 Hz (holds with rests and countdowns, traces at 2–5 mm/s
 * ended with Done), now and then redoing one; the same markers, params and flags as
 * {@link runPrecision}. `longest`: 10 trials (holds of 30 s, or very slow traces) up to the time limit.
 * @param person - overrides of the simulated person (tests fix the tremor)
 */
export function simulatePrecisionRun(
  options: SimulateOptions,
  person: Partial<PrecisionPerson> = {},
): SimulatedPrecisionRun {
  const given = readPrecisionParams(options.params);
  const longest = options.longest ?? false;
  const { parameters } = precisionDefinition;
  const p = longest
    ? {
        ...given,
        trials: parameters.trials.max,
        holdS: parameters.holdS.max,
        timeLimitS: parameters.timeLimitS.max,
      }
    : given;
  const protocol = precisionProtocol(p, options.hand);
  const hold = p.part === 'hold';
  const rng = createRng(options.seed);
  const set = new StreamSet('precision');
  const write = penPointerWriter(set.stream('pointer'));
  const calibration = simulatedCalibration(rng);
  const { pxPerMm } = calibration;
  const target = precisionTarget({
    box: SIMULATED_CANVAS,
    pxPerMm,
    calibrated: true,
    part: p.part,
    hand: options.hand,
  });
  const who: PrecisionPerson = {
    tremorHz: rng.uniform(4.5, 8),
    tremorAmpPpMm: rng.uniform(0.2, 0.8),
    tremorAngleRad: rng.uniform(0, Math.PI),
    offsetMm: [rng.normal(0, 0.25), rng.normal(0, 0.25)],
    driftMm: rng.uniform(0.1, 0.4),
    speedMmPerS: longest ? 0.5 : rng.uniform(2, 5),
    pressure: rng.uniform(0.2, 0.5),
    redoChance: longest ? 0 : 0.1,
    ...person,
  };
  const tremorPhase = rng.uniform(0, 2 * Math.PI);
  const driftPhase = rng.uniform(0, 2 * Math.PI);
  const tilt = simulatedTilt(rng, options.hand);
  /** Tip − target at time t (ms), mm. */
  const deviation = (tMs: number): [number, number] => {
    const s = tMs / 1000;
    const tremor = (who.tremorAmpPpMm / 2) * Math.sin(2 * Math.PI * who.tremorHz * s + tremorPhase);
    const w = 2 * Math.PI * 0.25 * s + driftPhase;
    return [
      who.offsetMm[0] + who.driftMm * Math.cos(w) + tremor * Math.cos(who.tremorAngleRad),
      who.offsetMm[1] + who.driftMm * Math.sin(w) + tremor * Math.sin(who.tremorAngleRad),
    ];
  };

  let pointerId = rng.int(2, 40);
  /** Writes the pen from `downMs` to `upMs` (no pointerup when `upMs` is null: the run ended first) at the target point of arc length `s(t)`. */
  const contact = (downMs: number, untilMs: number, lift: boolean, arcMm: (tMs: number) => number) => {
    let t = downMs;
    let first = true;
    let last = { x: target.startXPx, y: target.startYPx };
    const pressurePhase = rng.uniform(0, 2 * Math.PI);
    while (t <= untilMs) {
      const point = pathPoint(target, arcMm(t));
      const [dx, dy] = deviation(t);
      last = { x: point.x + dx * pxPerMm, y: point.y + dy * pxPerMm };
      const pressure = who.pressure + 0.03 * Math.sin(2 * Math.PI * 0.2 * (t / 1000) + pressurePhase);
      write({ type: first ? 'pointerdown' : 'pointermove', t, id: pointerId, ...last, pressure, ...tilt });
      first = false;
      t = nextSampleMs(rng, t);
    }
    if (lift) write({ type: 'pointerup', t, id: pointerId, ...last, pressure: 0, ...tilt });
    pointerId++;
    return t;
  };

  const countdown = (atMs: number) => {
    for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, atMs + i * 1000);
    return atMs + 3000;
  };
  let goMs = countdown(Math.round(rng.uniform(4000, 30_000)));
  const limitMs = goMs + p.timeLimitS * 1000;
  const flags: string[] = [];
  const attempts: PenAttempt[] = [];
  const kept = () => attempts.filter((a) => a.outcome === 'kept').length;
  const strokes = (pen: number): InkSummary => ({ pen, touch: 0, mouse: 0, other: 0, rejected: 0 });
  let trial = 1;
  let lastEndMs = goMs;
  let timeLimitAtMs: number | null = null;

  while (timeLimitAtMs === null && kept() < p.trials) {
    const startMs = goMs;
    set.mark(MARKERS.trialStart, startMs);
    set.mark(PEN_MARKERS.trial(trial), startMs);
    let outcome: PenOutcome;
    let endMs: number;
    if (hold) {
      const trialEndMs = startMs + protocol.trialMs!;
      const redoAtMs = rng.chance(who.redoChance)
        ? startMs + rng.uniform(2000, Math.max(2500, protocol.trialMs! / 2))
        : null;
      const stopMs = Math.min(trialEndMs, redoAtMs ?? Number.POSITIVE_INFINITY, limitMs);
      // the tip goes into the ring during the countdown and leaves just after the end
      const downMs = startMs - rng.uniform(200, 1200);
      const upMs = stopMs === limitMs ? limitMs : stopMs + rng.uniform(100, 400);
      const liftedMs = contact(downMs, upMs, stopMs !== limitMs, () => 0);
      if (redoAtMs !== null && stopMs === redoAtMs) {
        endMs = liftedMs + rng.uniform(300, 800);
        outcome = 'redone';
      } else {
        endMs = stopMs;
        outcome = stopMs === trialEndMs ? 'kept' : 'time-limit';
      }
    } else {
      const downMs = startMs + rng.uniform(800, 2000);
      const traceMs = (target.pathLengthMm / who.speedMmPerS) * 1000;
      const redoAtMs = rng.chance(who.redoChance) ? downMs + rng.uniform(0.2, 0.6) * traceMs : null;
      const stopMs = Math.min(downMs + traceMs, redoAtMs ?? Number.POSITIVE_INFINITY, limitMs);
      const liftedMs = contact(downMs, stopMs, stopMs !== limitMs, (t) =>
        Math.max(0, ((t - downMs) / 1000) * who.speedMmPerS),
      );
      if (stopMs === limitMs) {
        endMs = limitMs;
        outcome = 'time-limit';
      } else if (redoAtMs !== null && stopMs === redoAtMs) {
        endMs = liftedMs + rng.uniform(400, 1000);
        outcome = 'redone';
      } else {
        endMs = liftedMs + rng.uniform(600, 1500); // Done
        outcome = 'kept';
      }
    }
    if (endMs >= limitMs) {
      endMs = limitMs;
      outcome = 'time-limit';
    }
    set.mark(MARKERS.trialEnd, endMs);
    lastEndMs = endMs;
    attempts.push({ trial, startMs, endMs, outcome, strokes: strokes(1) });
    if (outcome === 'time-limit') {
      timeLimitAtMs = endMs;
      break;
    }
    if (outcome === 'redone') {
      set.mark(PEN_MARKERS.redo(trial), endMs);
      goMs = hold ? countdown(endMs) : endMs;
    } else {
      trial = kept() + 1;
      if (kept() >= p.trials) break;
      if (hold) {
        set.mark(PEN_MARKERS.rest, endMs);
        const restEnd = endMs + (rng.chance(0.5) ? p.restS * 1000 : rng.uniform(2000, p.restS * 1000));
        goMs = countdown(restEnd);
      } else goMs = endMs;
    }
    if (goMs >= limitMs) timeLimitAtMs = limitMs;
  }
  if (timeLimitAtMs !== null) {
    set.mark(PEN_MARKERS.timeLimit, timeLimitAtMs);
    flags.push(PEN_FLAGS.timeLimit);
  }

  // the truth over the kept trials' windows, on a 1-kHz grid
  let sumSq = 0;
  let within = 0;
  let points = 0;
  for (const a of attempts) {
    if (a.outcome !== 'kept') continue;
    for (let t = a.startMs; t <= a.endMs; t += 1) {
      const d = Math.hypot(...deviation(t));
      sumSq += d * d;
      if (d <= 1) within++;
      points++;
    }
  }
  const keptS = attempts
    .filter((a) => a.outcome === 'kept')
    .reduce((s, a) => s + (a.endMs - a.startMs) / 1000, 0);

  const capture = set.capture(
    flags,
    {
      trials: p.trials,
      ...targetParams(target),
      calibration: calibrationFacts(calibration),
      pxPerMm,
      canvas: { ...SIMULATED_CANVAS, devicePixelRatio: 2 },
      attempts: attemptsParam(attempts),
      ...(longest ? { holdS: p.holdS, timeLimitS: p.timeLimitS } : {}),
    },
    lastEndMs,
  );
  return {
    capture,
    person: who,
    truth: {
      tremorHz: who.tremorHz,
      tremorAmpPpMm: who.tremorAmpPpMm,
      deviationRmsMm: points > 0 ? Math.sqrt(sumSq / points) : Number.NaN,
      withinOneMmPct: points > 0 ? (100 * within) / points : Number.NaN,
      keptS,
    },
    target,
    pxPerMm,
  };
}

/** The plugin's `simulate`: {@link simulatePrecisionRun}'s capture. */
export function simulatePrecision(options: SimulateOptions): TaskCapture {
  return simulatePrecisionRun(options).capture;
}
