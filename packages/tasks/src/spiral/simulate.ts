import { simulateSpiral as simulateCoreSpiral } from '@dystrack/core';
import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import type { InkSummary } from '../pen/ink';
import { PEN_FLAGS } from '../pen/flags';
import { calibrationFacts } from '../pen/run-calibration';
import {
  penPointerWriter,
  SIMULATED_JITTER_MS,
  SIMULATED_PEN_HZ,
  simulatedCalibration,
} from '../pen/simulate';
import { createRng, type Rng } from '../rng';
import { readSpiralParams, spiralDefinition } from './definition';
import { spiralGuide, type Box, type SpiralGuide } from './geometry';
import { SPIRAL_MARKERS, type SpiralAttempt, type SpiralOutcome } from './run';

export { SIMULATED_PEN_HZ };

/** The simulated person: what core's analysis should find again. */
export interface SpiralPerson {
  /** Frequency of the sinusoidal radial tremor, Hz. */
  tremorHz: number;
  /** Its peak-to-peak amplitude, mm. */
  tremorAmpPpMm: number;
  /** Tangential drawing speed of the tremor-free path, mm/s. */
  speedMmPerS: number;
  /** Loop spacing of freehand spirals, mm per turn (traced: the template's 11 mm). */
  pitchMmPerTurn: number;
  /** Turns of freehand spirals (traced: the template's). */
  turns: number;
  /** Mean pen pressure, 0–1. */
  pressure: number;
  /** Chance of redoing a spiral after one or two turns. */
  redoChance: number;
}

/** A simulated run and its truth. */
export interface SimulatedSpiralRun {
  capture: TaskCapture;
  person: SpiralPerson;
  guide: SpiralGuide;
  pxPerMm: number;
}

/** The canvas of the simulated 1280 × 800 screen, client CSS px (header above, buttons below). */
const SIMULATED_CANVAS: Box = { leftPx: 0, topPx: 96, widthPx: 1280, heightPx: 616 };

/** One drawn spiral: the pen's samples, client px, from pen-down to pen-up. */
interface Drawn {
  t: number[];
  x: number[];
  y: number[];
  pressure: number[];
}

/**
 * An Archimedean spiral r = a + b·φ drawn at constant tangential speed from the centre outward, with a
 * sinusoidal radial tremor r += (A_pp/2)·sin(2π f t + phase): core's `simulateSpiral` (measures.md 3.3)
 * sampled at 240 Hz with 0.15-ms jitter, in mm, turned into screen px here and cut at `stopMs`.
 */
function drawSpiral(
  rng: Rng,
  options: {
    t0Ms: number;
    centreX: number;
    centreY: number;
    pxPerMm: number;
    pitchMm: number;
    startRadiusMm: number;
    turns: number;
    speedMmPerS: number;
    tremorHz: number;
    tremorAmpPpMm: number;
    /** +1: the screen angle grows along the drawing (clockwise on a screen, whose y grows downwards). */
    sign: number;
    angle0: number;
    pressure: number;
    /** Stop drawing here (a redo after part of the spiral, or the time limit), ms. */
    stopMs: number;
  },
): Drawn {
  const { pxPerMm } = options;
  const { input } = simulateCoreSpiral(rng.int(1, 2 ** 30), {
    t0Ms: options.t0Ms,
    centreMm: [options.centreX / pxPerMm, options.centreY / pxPerMm],
    pitchMmPerTurn: options.pitchMm,
    startRadiusMm: options.startRadiusMm,
    turns: options.turns,
    speedMmPerS: options.speedMmPerS,
    tremorHz: options.tremorHz,
    tremorAmpPpMm: options.tremorAmpPpMm,
    // core's handedness is in x–y coordinates with y up: its anticlockwise is the screen's clockwise
    handedness: options.sign > 0 ? 'anticlockwise' : 'clockwise',
    angle0Rad: options.angle0,
    pressureMean: options.pressure,
    fs: SIMULATED_PEN_HZ,
    jitterMs: SIMULATED_JITTER_MS,
  });
  const out: Drawn = { t: [], x: [], y: [], pressure: [] };
  for (let i = 0; i < input.tMs.length && input.tMs[i]! <= options.stopMs; i++) {
    out.t.push(input.tMs[i]!);
    out.x.push(input.xMm[i]! * pxPerMm);
    out.y.push(input.yMm[i]! * pxPerMm);
    out.pressure.push(input.pressure![i]!);
  }
  return out;
}

/**
 * A synthetic run of the spiral task, with its truth: a calibrated 1280 × 800 screen (3.4–4.6 px/mm),
 * a person with a radial tremor of known frequency (4.5–7.5 Hz) and peak-to-peak amplitude (0.4–1.5
 * mm), drawing `trials` spirals with a pen at 240 Hz (freehand: own pitch 9–13 mm per turn and 4–4.8
 * turns inside the circle; traced: the template), now and then redoing one after a turn or two; the
 * same markers, params and flags as {@link runSpiral}. `longest`: 10 slow spirals up to the time limit.
 * @param person - overrides of the drawn person (tests fix the tremor)
 */
export function simulateSpiralRun(
  options: SimulateOptions,
  person: Partial<SpiralPerson> = {},
): SimulatedSpiralRun {
  const p = readSpiralParams(options.params);
  const rng = createRng(options.seed);
  const longest = options.longest ?? false;
  const trials = longest ? spiralDefinition.parameters.trials.max : p.trials;
  const timeLimitS = longest ? spiralDefinition.parameters.timeLimitS.max : p.timeLimitS;
  const set = new StreamSet('spiral');
  const write = penPointerWriter(set.stream('pointer'));

  // The device and its calibration (whole px steps of the card width, as the calibration UI gives).
  const calibration = simulatedCalibration(rng);
  const { pxPerMm } = calibration;
  const guide = spiralGuide({ box: SIMULATED_CANVAS, pxPerMm, calibrated: true, hand: options.hand });
  const boundaryMm = guide.boundaryRadiusPx / pxPerMm;

  const who: SpiralPerson = {
    tremorHz: rng.uniform(4.5, 7.5),
    tremorAmpPpMm: rng.uniform(0.4, 1.5),
    speedMmPerS: longest ? 20 : rng.uniform(35, 75),
    pitchMmPerTurn: rng.uniform(9, 13),
    turns: rng.uniform(4, 4.8),
    pressure: rng.uniform(0.3, 0.6),
    redoChance: longest ? 0 : 0.15,
    ...person,
  };
  const traced = p.mode === 'traced';
  const sign = guide.rotation === 'clockwise' ? 1 : -1;

  const countdownMs = Math.round(rng.uniform(4000, 30_000));
  for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdownMs + i * 1000);
  const goMs = countdownMs + 3000;
  const limitMs = goMs + timeLimitS * 1000;
  const flags: string[] = [];
  const attempts: SpiralAttempt[] = [];
  const strokes = (pen: number): InkSummary => ({ pen, touch: 0, mouse: 0, other: 0, rejected: 0 });
  let pointerId = rng.int(2, 40);
  let startMs = goMs;
  let trial = 1;
  let endMs = goMs;
  let ended = false;
  while (!ended && attempts.filter((a) => a.outcome === 'kept').length < trials) {
    set.mark(MARKERS.trialStart, startMs);
    set.mark(SPIRAL_MARKERS.trial(trial), startMs);
    const redo = rng.chance(who.redoChance);
    const turns = traced ? guide.turns : Math.min(who.turns, (boundaryMm - 1) / who.pitchMmPerTurn);
    const downMs = startMs + rng.uniform(800, 2500);
    const drawn = drawSpiral(rng, {
      t0Ms: downMs,
      centreX: guide.centreXPx + (traced ? 0 : rng.normal(0, 0.8) * pxPerMm),
      centreY: guide.centreYPx + (traced ? 0 : rng.normal(0, 0.8) * pxPerMm),
      pxPerMm,
      pitchMm: traced ? 2 * Math.PI * guide.bMmPerRad : who.pitchMmPerTurn * rng.uniform(0.95, 1.05),
      startRadiusMm: traced ? 0.5 : rng.uniform(0.5, 2),
      turns: redo ? rng.uniform(1, 2) : turns,
      speedMmPerS: (traced ? 0.7 : 1) * who.speedMmPerS * rng.uniform(0.9, 1.1),
      tremorHz: who.tremorHz,
      tremorAmpPpMm: who.tremorAmpPpMm,
      sign,
      angle0: guide.startAngleRad + (traced ? 0 : rng.uniform(-0.3, 0.3)),
      pressure: who.pressure,
      stopMs: limitMs,
    });
    const n = drawn.t.length;
    const tiltX = rng.uniform(20, 40) * (options.hand === 'left' ? -1 : 1);
    const tiltY = rng.uniform(-25, -10);
    for (let i = 0; i < n; i++) {
      write({
        type: i === 0 ? 'pointerdown' : 'pointermove',
        t: drawn.t[i]!,
        id: pointerId,
        x: drawn.x[i]!,
        y: drawn.y[i]!,
        pressure: drawn.pressure[i]!,
        tiltX: tiltX + 2 * Math.sin(i / 200),
        tiltY,
      });
    }
    const lastMs = drawn.t[n - 1] ?? downMs;
    const timeUp = lastMs + 1000 / SIMULATED_PEN_HZ > limitMs || downMs > limitMs;
    let outcome: SpiralOutcome;
    if (timeUp) {
      // the run ends at the limit; a pen still down has no pointerup in the recording
      endMs = limitMs;
      outcome = n > 0 ? 'time-limit' : 'empty';
      ended = true;
    } else {
      const upMs = lastMs + 1000 / SIMULATED_PEN_HZ;
      write({
        type: 'pointerup',
        t: upMs,
        id: pointerId,
        x: drawn.x[n - 1]!,
        y: drawn.y[n - 1]!,
        pressure: 0,
        tiltX,
        tiltY,
      });
      endMs = Math.min(limitMs, upMs + rng.uniform(500, 1500));
      outcome = redo ? 'redone' : 'kept';
    }
    set.mark(MARKERS.trialEnd, endMs);
    attempts.push({ trial, startMs, endMs, outcome, strokes: strokes(n > 0 ? 1 : 0) });
    pointerId++;
    if (outcome === 'redone') set.mark(SPIRAL_MARKERS.redo(trial), endMs);
    else trial++;
    startMs = endMs;
    if (!ended && endMs >= limitMs) {
      ended = true;
    }
  }
  if (ended) {
    set.mark(SPIRAL_MARKERS.timeLimit, endMs);
    flags.push(PEN_FLAGS.timeLimit);
  }

  const capture = set.capture(
    flags,
    {
      mode: p.mode,
      trials,
      calibration: calibrationFacts(calibration),
      pxPerMm,
      guide: { ...guide },
      canvas: { ...SIMULATED_CANVAS, devicePixelRatio: 2 },
      attempts: attempts.map((a) => ({ ...a, strokes: { ...a.strokes } })),
      ...(longest ? { timeLimitS } : {}),
    },
    endMs,
  );
  return { capture, person: who, guide, pxPerMm };
}

/** The plugin's `simulate`: {@link simulateSpiralRun}'s capture. */
export function simulateSpiral(options: SimulateOptions): TaskCapture {
  return simulateSpiralRun(options).capture;
}
