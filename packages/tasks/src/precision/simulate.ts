/**
 * A synthetic run of the precision task, built from core's seeded precision simulator
 * (`simulatePrecision` of `@dystrack/core`): each contact of the pen is one core trial, in mm, on the
 * task's target (hold: the ring centre; traces: the recorded polyline of the circle or zig-zag, followed
 * at a slow constant speed), with core's model of the tip: target + a constant offset + a slow circular
 * drift (0.25 Hz) + a linear sinusoidal tremor of known frequency and peak-to-peak amplitude; sampled
 * at 240 Hz, turned into screen px and pointer rows here. The pen is down from just before each hold
 * (the tip is put in the ring during the countdown) to just after it. The truth's deviation figures are
 * core's, over the pen-down time inside each kept trial's window, and the median over the kept trials
 * (what core analyses).
 */
import { dsp, simulatePrecision as simulateCorePrecision } from '@dystrack/core';
import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { PEN_FLAGS } from '../pen/flags';
import type { InkSummary } from '../pen/ink';
import { attemptsParam, PEN_MARKERS, type PenAttempt, type PenOutcome } from '../pen/protocol';
import { calibrationFacts } from '../pen/run-calibration';
import {
  penPointerWriter,
  SIMULATED_JITTER_MS,
  SIMULATED_PEN_HZ,
  simulatedCalibration,
  simulatedTilt,
} from '../pen/simulate';
import { createRng } from '../rng';
import { precisionDefinition, readPrecisionParams } from './definition';
import { precisionTarget, type Box, type PrecisionTarget } from './geometry';
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

/**
 * The truth over the kept trials, from core's continuous deviation on a 1-kHz grid over the pen-down
 * time inside each kept trial's window: per trial, then the median over the kept trials.
 */
export interface PrecisionTruth {
  tremorHz: number;
  tremorAmpPpMm: number;
  /** RMS of the tip–target distance (traces: the distance to the polyline), mm. */
  deviationRmsMm: number;
  /** Share of time with the tip within 1 mm of the target, %. */
  withinOneMmPct: number;
  /** Kept trials' time (trial-start to trial-end), s, summed. */
  keptS: number;
  /** Kept trials (what core's `precision_trial_count` should be). */
  keptTrials: number;
  /** Pen-down time inside each kept trial's window, s, median over the kept trials. */
  trialPenDownS: number;
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
  const tilt = simulatedTilt(rng, options.hand);
  const pathMm = target.path
    ? {
        xMm: Float64Array.from(target.path.xPx, (x) => x / pxPerMm),
        yMm: Float64Array.from(target.path.yPx, (y) => y / pxPerMm),
      }
    : undefined;

  let pointerId = rng.int(2, 40);
  /** Core's truth of each contact, over the part inside its trial's window (set once the window is known). */
  const contacts: { downMs: number; upMs: number; seed: number }[] = [];
  /**
   * Writes the pen from `downMs` to `untilMs` (core's trial, in px), then a pointerup when `lift` (not
   * when the run ended first); returns the time after the last sample.
   */
  const contact = (downMs: number, untilMs: number, lift: boolean) => {
    const seed = rng.int(1, 2 ** 30);
    const { input } = coreContact(seed, downMs, untilMs);
    const n = input.tMs.length;
    for (let i = 0; i < n; i++) {
      write({
        type: i === 0 ? 'pointerdown' : 'pointermove',
        t: input.tMs[i]!,
        id: pointerId,
        x: input.xMm[i]! * pxPerMm,
        y: input.yMm[i]! * pxPerMm,
        pressure: input.pressure![i]!,
        ...tilt,
      });
    }
    const t = input.tMs[n - 1]! + 1000 / SIMULATED_PEN_HZ;
    if (lift) {
      write({
        type: 'pointerup',
        t,
        id: pointerId,
        x: input.xMm[n - 1]! * pxPerMm,
        y: input.yMm[n - 1]! * pxPerMm,
        pressure: 0,
        ...tilt,
      });
    }
    contacts.push({ downMs, upMs: input.tMs[n - 1]!, seed });
    pointerId++;
    return t;
  };
  /** Core's simulated contact from `downMs` to `untilMs` (its truth over `truthWindowMs`). */
  function coreContact(seed: number, downMs: number, untilMs: number, truthWindowMs?: [number, number]) {
    return simulateCorePrecision(seed, {
      mode: hold ? 'hold' : 'trace',
      startMm: [target.centreXPx / pxPerMm, target.centreYPx / pxPerMm],
      ...(pathMm ? { path: pathMm } : {}),
      speedMmPerS: who.speedMmPerS,
      tremorHz: who.tremorHz,
      tremorAmpPpMm: who.tremorAmpPpMm,
      tremorAngleRad: who.tremorAngleRad,
      offsetMm: who.offsetMm,
      driftMm: who.driftMm,
      pressureMean: who.pressure,
      durationS: (untilMs - downMs) / 1000,
      fs: SIMULATED_PEN_HZ,
      jitterMs: SIMULATED_JITTER_MS,
      t0Ms: downMs,
      ...(truthWindowMs ? { truthWindowMs } : {}),
    });
  }

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
      const liftedMs = contact(downMs, upMs, stopMs !== limitMs);
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
      const liftedMs = contact(downMs, stopMs, stopMs !== limitMs);
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

  // the truth over the trials core keeps (kept, and holds cut short after half their time, traces with
  // ink), per trial over the pen-down time inside its window, then the median over the trials
  const analysed = attempts
    .map((a, k) => ({ a, c: contacts[k]! }))
    .filter(
      ({ a }) =>
        a.outcome === 'kept' ||
        (a.outcome !== 'redone' && (!hold || a.endMs - a.startMs >= protocol.trialMs! / 2)),
    );
  const perTrial = analysed.map(({ a, c }) => {
    const window: [number, number] = [Math.max(a.startMs, c.downMs), Math.min(a.endMs, c.upMs)];
    const { truth } = coreContact(c.seed, c.downMs, c.upMs, window);
    return { ...truth, penDownS: (window[1] - window[0]) / 1000 };
  });
  const keptS = analysed.reduce((s, { a }) => s + (a.endMs - a.startMs) / 1000, 0);
  const medianOf = (values: number[]) => (values.length ? dsp.median(values) : Number.NaN);

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
      deviationRmsMm: medianOf(perTrial.map((t) => t.deviationRmsMm)),
      withinOneMmPct: medianOf(perTrial.map((t) => t.withinOneMmPct)),
      keptTrials: perTrial.length,
      trialPenDownS: medianOf(perTrial.map((t) => t.penDownS)),
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
