import { seededRandom } from '../random.js';
import type { PenInput } from '../inputs.js';
import { finishPenInput, type PenColumns } from './from-csv.js';
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
  /** Whether the target columns are included. Default true. */
  withTarget?: boolean;
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
}

/**
 * A seeded precision-tool trial with known ground truth: the target holds still (`hold`) or moves
 * along a straight line at constant speed (`trace`); the tip = target + constant offset + optional
 * slow drift (0.25 Hz, circular) + a linear sinusoidal tremor of known frequency and peak-to-peak
 * amplitude; irregular sampling as {@link irregularSampleTimes}; the tool stays down; pressure around
 * 0.3. The truth's deviation figures are computed from the continuous signal, not by the analysis.
 * @param seed - the random seed
 * @param options - see {@link SimulatePrecisionOptions}
 */
export function simulatePrecision(
  seed: number,
  options: SimulatePrecisionOptions = {},
): { input: PenInput; truth: PrecisionTruth } {
  const rng = seededRandom(seed);
  const tremorHz = options.tremorHz ?? 6;
  const amp = options.tremorAmpPpMm ?? 0;
  const angle = options.tremorAngleRad ?? 0.6;
  const speed = options.mode === 'trace' ? (options.speedMmPerS ?? 10) : 0;
  const [ox, oy] = options.offsetMm ?? [0.3, -0.2];
  const drift = options.driftMm ?? 0;
  const durationS = options.durationS ?? 20;
  const withTarget = options.withTarget ?? true;
  const phase = rng.uniform(0, 2 * Math.PI);
  const driftPhase = rng.uniform(0, 2 * Math.PI);
  const lineAngle = rng.uniform(-Math.PI, Math.PI);
  const [x0, y0] = [rng.uniform(20, 100), rng.uniform(20, 100)];
  const target = (tS: number): [number, number] => [
    x0 + speed * tS * Math.cos(lineAngle),
    y0 + speed * tS * Math.sin(lineAngle),
  ];
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
    pressure: Float64Array.from(times, (t) => 0.3 + 0.02 * Math.sin((2 * Math.PI * t) / 5000)),
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: withTarget ? new Float64Array(n) : null,
    targetYMm: withTarget ? new Float64Array(n) : null,
  };
  times.forEach((t, i) => {
    const [tx, ty] = target(t / 1000);
    const [dx, dy] = deviation(t / 1000);
    (columns.xMm as Float64Array)[i] = tx + dx;
    (columns.yMm as Float64Array)[i] = ty + dy;
    if (withTarget) {
      (columns.targetXMm as Float64Array)[i] = tx;
      (columns.targetYMm as Float64Array)[i] = ty;
    }
  });
  let sumSq = 0;
  let within = 0;
  const steps = Math.round(durationS * 1000);
  for (let k = 0; k <= steps; k++) {
    const d = Math.hypot(...deviation(k / 1000));
    sumSq += d * d;
    if (d <= 1) within++;
  }
  return {
    input: finishPenInput(columns, 'precision'),
    truth: {
      tremorHz,
      tremorAmpPpMm: amp,
      deviationRmsMm: Math.sqrt(sumSq / (steps + 1)),
      withinOneMmPct: (100 * within) / (steps + 1),
      speedMmPerS: speed,
      durationS,
    },
  };
}
