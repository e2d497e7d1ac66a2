import { seededRandom } from '../random.js';
import { finishPenInput, type PenColumns } from './from-csv.js';
import { distanceToPath, type PenRecordingInput, type TargetPath } from './recording-facts.js';
import { irregularSampleTimes, type SamplingOptions } from './simulate-spiral.js';

/** Options of {@link simulatePrecision}. */
export interface SimulatePrecisionOptions extends SamplingOptions {
  /** Tremor frequency, Hz. Default 6. */
  tremorHz?: number;
  /** Peak-to-peak amplitude of the linear tremor, mm (0: none). Default 0. */
  tremorAmpPpMm?: number;
  /** Direction of the linear tremor, rad from the x axis. Default 0.6. */
  tremorAngleRad?: number;
  /** `hold`: keep the tool tip on a fixed point; `trace`: follow a target moving along a line. Default hold. */
  mode?: 'hold' | 'trace';
  /** Target speed along the line in `trace` mode, mm/s. Default 10. */
  speedMmPerS?: number;
  /** Constant offset of the tip from the target, mm. Default [0.3, −0.2]. */
  offsetMm?: [number, number];
  /** Amplitude of a slow 0.25-Hz drift of the tip around the offset, mm (0: none). Default 0. */
  driftMm?: number;
  /** Trial length, s. Default 20. */
  durationS?: number;
  /** Whether the target columns are included (or, with `path`, the input's `targetPath`). Default true. */
  withTarget?: boolean;
  /** The hold target, or where the straight trace starts, mm. Default: drawn from the seed in 20–100 mm. */
  startMm?: [number, number];
  /**
   * `trace` along this polyline (mm; the precision task's circle or zig-zag) at `speedMmPerS` from its
   * first point, staying at its end once there, instead of along a straight line: the input then has
   * no target columns but the polyline as its `targetPath`, and the truth's deviation is the distance
   * from the tip to the polyline (what `path_deviation_rms_mm` measures for a trace).
   */
  path?: TargetPath;
  /** Mean pressure (0–1). Default 0.3. */
  pressureMean?: number;
  /** The truth's deviation figures over this time span only, ms on the input's clock. Default: all of it. */
  truthWindowMs?: [number, number];
}

/** Ground truth of a simulated precision trial, from the continuous deviation on a 1-kHz grid. */
export interface PrecisionTruth {
  tremorHz: number;
  tremorAmpPpMm: number;
  /** RMS of the tip–target distance, mm. */
  deviationRmsMm: number;
  /** Share of time with the tip within 1 mm of the target, %. */
  withinOneMmPct: number;
  /** Target speed, mm/s (0 when holding). */
  speedMmPerS: number;
  durationS: number;
  /** Phases of the tremor and of the drift, rad. */
  tremorPhaseRad: number;
  driftPhaseRad: number;
}

/** The point at arc length `s` (mm) along a polyline (its end beyond its length). */
function pointAlong(path: TargetPath, s: number): [number, number] {
  let left = Math.max(0, s);
  for (let k = 0; k + 1 < path.xMm.length; k++) {
    const dx = path.xMm[k + 1]! - path.xMm[k]!;
    const dy = path.yMm[k + 1]! - path.yMm[k]!;
    const length = Math.hypot(dx, dy);
    if (left <= length && length > 0) {
      return [path.xMm[k]! + (left / length) * dx, path.yMm[k]! + (left / length) * dy];
    }
    left -= length;
  }
  const last = path.xMm.length - 1;
  return [path.xMm[last]!, path.yMm[last]!];
}

/**
 * A seeded precision-tool trial with known ground truth: the target holds still (`hold`) or moves
 * along a straight line, or along `options.path`, at constant speed (`trace`); the tip = target + constant offset + optional
 * slow drift (0.25 Hz, circular) + a linear sinusoidal tremor of known frequency and peak-to-peak
 * amplitude; irregular sampling as {@link irregularSampleTimes}; the tool stays down; pressure around
 * 0.3. The truth's deviation figures are computed from the continuous signal on a 1-kHz grid (the tip's
 * distance to the target, or with `path` to the polyline), not by the analysis. The precision task's
 * simulator (packages/tasks) builds its recordings from this one.
 * @param seed - the random seed
 * @param options - see {@link SimulatePrecisionOptions}
 */
export function simulatePrecision(
  seed: number,
  options: SimulatePrecisionOptions = {},
): { input: PenRecordingInput; truth: PrecisionTruth } {
  const rng = seededRandom(seed);
  const tremorHz = options.tremorHz ?? 6;
  const amp = options.tremorAmpPpMm ?? 0;
  const angle = options.tremorAngleRad ?? 0.6;
  const path = options.path;
  const speed = options.mode === 'trace' || path ? (options.speedMmPerS ?? 10) : 0;
  const [ox, oy] = options.offsetMm ?? [0.3, -0.2];
  const drift = options.driftMm ?? 0;
  const durationS = options.durationS ?? 20;
  const withTarget = options.withTarget ?? true;
  const phase = rng.uniform(0, 2 * Math.PI);
  const driftPhase = rng.uniform(0, 2 * Math.PI);
  const lineAngle = rng.uniform(-Math.PI, Math.PI);
  const drawn: [number, number] = [rng.uniform(20, 100), rng.uniform(20, 100)];
  const [x0, y0] = options.startMm ?? drawn;
  const pressureMean = options.pressureMean ?? 0.3;
  const target = (tS: number): [number, number] =>
    path
      ? pointAlong(path, speed * tS)
      : [x0 + speed * tS * Math.cos(lineAngle), y0 + speed * tS * Math.sin(lineAngle)];
  const deviation = (tS: number): [number, number] => {
    const tremor = (amp / 2) * Math.sin(2 * Math.PI * tremorHz * tS + phase);
    const w = 2 * Math.PI * 0.25 * tS + driftPhase;
    return [
      ox + drift * Math.cos(w) + tremor * Math.cos(angle),
      oy + drift * Math.sin(w) + tremor * Math.sin(angle),
    ];
  };
  const times = irregularSampleTimes(rng, durationS * 1000, options);
  const t0 = options.t0Ms ?? 1000;
  const n = times.length;
  const columns: PenColumns = {
    tMs: Float64Array.from(times, (t) => t0 + t),
    xMm: new Float64Array(n),
    yMm: new Float64Array(n),
    pressure: Float64Array.from(times, (t) => pressureMean + 0.02 * Math.sin((2 * Math.PI * t) / 5000)),
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: withTarget && !path ? new Float64Array(n) : null,
    targetYMm: withTarget && !path ? new Float64Array(n) : null,
  };
  times.forEach((t, i) => {
    const [tx, ty] = target(t / 1000);
    const [dx, dy] = deviation(t / 1000);
    (columns.xMm as Float64Array)[i] = tx + dx;
    (columns.yMm as Float64Array)[i] = ty + dy;
    if (withTarget && !path) {
      (columns.targetXMm as Float64Array)[i] = tx;
      (columns.targetYMm as Float64Array)[i] = ty;
    }
  });
  let sumSq = 0;
  let within = 0;
  let points = 0;
  const [fromMs, toMs] = options.truthWindowMs ?? [t0, t0 + durationS * 1000];
  const steps = Math.round(durationS * 1000);
  for (let k = 0; k <= steps; k++) {
    if (t0 + k < fromMs || t0 + k > toMs) continue;
    const tS = k / 1000;
    const [dx, dy] = deviation(tS);
    let d: number;
    if (path) {
      const [tx, ty] = target(tS);
      d = distanceToPath(tx + dx, ty + dy, path);
    } else d = Math.hypot(dx, dy);
    sumSq += d * d;
    if (d <= 1) within++;
    points++;
  }
  const input: PenRecordingInput = finishPenInput(columns, 'precision');
  if (path && withTarget) input.targetPath = path;
  return {
    input,
    truth: {
      tremorHz,
      tremorAmpPpMm: amp,
      deviationRmsMm: points > 0 ? Math.sqrt(sumSq / points) : Number.NaN,
      withinOneMmPct: points > 0 ? (100 * within) / points : Number.NaN,
      speedMmPerS: speed,
      durationS,
      tremorPhaseRad: phase,
      driftPhaseRad: driftPhase,
    },
  };
}
