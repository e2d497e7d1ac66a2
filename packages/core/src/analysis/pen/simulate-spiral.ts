/**
 * Seeded simulators of pen drawings with known ground truth, for tests of the spiral (and precision)
 * analyses: realistic irregular sampling (a mean rate with Gaussian jitter of the intervals), optional
 * gaps longer than 50 ms and repeated time stamps.
 */
import { seededRandom, type Random } from '../random.js';
import type { PenInput } from '../inputs.js';
import { finishPenInput, type PenColumns, type PenTask } from './from-csv.js';

/** Irregular sampling of a simulated pen trace. */
export interface SamplingOptions {
  /** Mean sampling rate, Hz (digitisers give 60–240 Hz). Default 150. */
  fs?: number;
  /** SD of the Gaussian jitter added to every sample interval, ms. Default 1. */
  jitterMs?: number;
  /** Number of gaps of 60–120 ms (longer than the 50-ms segment limit). Default 0. */
  gaps?: number;
  /** Number of samples reported twice with the same time stamp. Default 0. */
  duplicates?: number;
  /** Time of the first sample, ms on the input's clock. Default 1000. */
  t0Ms?: number;
}

/**
 * Sample times, ms from 0 to `durationMs`: intervals 1000/fs + N(0, jitter²), at least a quarter of
 * the mean interval; then `gaps` stretches of 60–120 ms (starting between 10 % and 90 % of the
 * duration) lose their samples; then `duplicates` times are repeated (the same time twice in a row).
 */
export function irregularSampleTimes(rng: Random, durationMs: number, options: SamplingOptions): number[] {
  const fs = options.fs ?? 150;
  const jitter = options.jitterMs ?? 1;
  const meanDt = 1000 / fs;
  let times: number[] = [0];
  while (times[times.length - 1]! < durationMs) {
    const dt = Math.max(0.25 * meanDt, meanDt + rng.normal(0, jitter));
    times.push(Math.min(durationMs, times[times.length - 1]! + dt));
  }
  for (let g = 0; g < (options.gaps ?? 0); g++) {
    const length = rng.uniform(60, 120);
    const start = rng.uniform(0.1, 0.9) * durationMs;
    // the samples strictly inside (start, start + length) are lost: the interval across is > 60 ms
    times = times.filter((t) => t <= start || t >= start + length);
  }
  for (let d = 0; d < (options.duplicates ?? 0); d++) {
    const i = rng.int(1, times.length - 1);
    times.splice(i, 0, times[i]!);
  }
  return times;
}

/** Options of {@link simulateSpiral}. */
export interface SimulateSpiralOptions extends SamplingOptions {
  /** Frequency of the sinusoidal radial tremor, Hz. Default 6. */
  tremorHz?: number;
  /** Peak-to-peak amplitude of the radial tremor, mm (0: no tremor). Default 0. */
  tremorAmpPpMm?: number;
  /** Number of turns. Default 4.5 (the template of measures.md 3.2). */
  turns?: number;
  /** Drawn from the centre outward (default) or from the outside inward. */
  direction?: 'outward' | 'inward';
  /** Rotation sense in x–y coordinates with y up (anticlockwise: the polar angle grows). Default anticlockwise. */
  handedness?: 'clockwise' | 'anticlockwise';
  /** Loop spacing, mm per turn. Default 11 (1.1 cm per turn, correction 17). */
  pitchMmPerTurn?: number;
  /** Radius at θ = 0, mm. Default 2. */
  startRadiusMm?: number;
  /** Constant tangential drawing speed, mm/s. Default 60. */
  speedMmPerS?: number;
  /** Centre of the spiral, mm. Default (80, 60). */
  centreMm?: [number, number];
  /** SD of white position noise added to x and y, mm. Default 0. */
  noiseMm?: number;
  /** Polar angle of the start (θ = 0), rad. Default: drawn from the seed in −π…π. */
  angle0Rad?: number;
  /** Mean pressure (0–1), varying by ±0.05 at 0.3 Hz. Default 0.45. */
  pressureMean?: number;
}

/** Ground truth of a simulated spiral. */
export interface SpiralTruth {
  tremorHz: number;
  tremorAmpPpMm: number;
  /** 2π·b, mm per turn. */
  tightnessMmPerTurn: number;
  turns: number;
  direction: 'outward' | 'inward';
  handedness: 'clockwise' | 'anticlockwise';
  centreMm: [number, number];
  /** Tangential speed of the tremor-free path, mm/s. */
  speedMmPerS: number;
  durationS: number;
}

/**
 * A seeded Archimedean spiral r = a + bφ (b = pitch/2π) drawn at constant tangential speed, outward
 * or inward, clockwise or anticlockwise, with a sinusoidal radial tremor
 * r += (A_pp/2)·sin(2π f t + phase) of known frequency and peak-to-peak amplitude, sampled
 * irregularly ({@link irregularSampleTimes}); the pen stays down, pressure varies slowly around 0.45.
 * The input goes through the contract's row rules (repeated stamps dropped and flagged, gap and rate
 * flags). The spiral task's simulator (packages/tasks) draws each spiral of its recordings with this one.
 * @param seed - the random seed (same seed, same drawing)
 * @param options - see {@link SimulateSpiralOptions}
 */
export function simulateSpiral(
  seed: number,
  options: SimulateSpiralOptions = {},
): { input: PenInput; truth: SpiralTruth } {
  const rng = seededRandom(seed);
  const tremorHz = options.tremorHz ?? 6;
  const amp = options.tremorAmpPpMm ?? 0;
  const turns = options.turns ?? 4.5;
  const direction = options.direction ?? 'outward';
  const handedness = options.handedness ?? 'anticlockwise';
  const b = (options.pitchMmPerTurn ?? 11) / (2 * Math.PI);
  const a = options.startRadiusMm ?? 2;
  const v = options.speedMmPerS ?? 60;
  const [cx, cy] = options.centreMm ?? [80, 60];
  const noise = options.noiseMm ?? 0;
  const phiMax = 2 * Math.PI * turns;
  const radius = (u: number) => a + b * (direction === 'outward' ? u : phiMax - u);
  // u(t) by integrating du/dt = v / √(r² + b²) in 0.5-ms steps (midpoint rule)
  const h = 0.0005;
  const uGrid: number[] = [0];
  while (uGrid[uGrid.length - 1]! < phiMax) {
    const u = uGrid[uGrid.length - 1]!;
    const mid = u + (0.5 * h * v) / Math.hypot(radius(u), b);
    uGrid.push(Math.min(phiMax, u + (h * v) / Math.hypot(radius(mid), b)));
  }
  const durationS = (uGrid.length - 1) * h;
  const phase = rng.uniform(0, 2 * Math.PI);
  const sign = handedness === 'anticlockwise' ? 1 : -1;
  const drawnAngle0 = rng.uniform(-Math.PI, Math.PI);
  const angle0 = options.angle0Rad ?? drawnAngle0;
  const pressureMean = options.pressureMean ?? 0.45;
  const times = irregularSampleTimes(rng, durationS * 1000, options);
  const t0 = options.t0Ms ?? 1000;
  const n = times.length;
  const columns: PenColumns = {
    tMs: new Float64Array(n),
    xMm: new Float64Array(n),
    yMm: new Float64Array(n),
    pressure: new Float64Array(n),
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: null,
    targetYMm: null,
  };
  const pressurePhase = rng.uniform(0, 2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const tS = times[i]! / 1000;
    const g = Math.min(uGrid.length - 1, tS / h);
    const k = Math.min(uGrid.length - 2, Math.floor(g));
    const u = uGrid[k]! + (g - k) * (uGrid[k + 1]! - uGrid[k]!);
    const r = radius(u) + (amp / 2) * Math.sin(2 * Math.PI * tremorHz * tS + phase);
    const alpha = angle0 + sign * u;
    (columns.tMs as Float64Array)[i] = t0 + times[i]!;
    (columns.xMm as Float64Array)[i] = cx + r * Math.cos(alpha) + (noise ? rng.normal(0, noise) : 0);
    (columns.yMm as Float64Array)[i] = cy + r * Math.sin(alpha) + (noise ? rng.normal(0, noise) : 0);
    (columns.pressure as Float64Array)[i] =
      pressureMean + 0.05 * Math.sin(2 * Math.PI * 0.3 * tS + pressurePhase);
  }
  return {
    input: finishPenInput(columns, 'spiral' satisfies PenTask),
    truth: {
      tremorHz,
      tremorAmpPpMm: amp,
      tightnessMmPerTurn: 2 * Math.PI * b,
      turns,
      direction,
      handedness,
      centreMm: [cx, cy],
      speedMmPerS: v,
      durationS,
    },
  };
}
