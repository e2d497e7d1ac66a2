/**
 * Seeded simulator of a phone-accelerometer tremor recording with known ground truth: a sinusoidal
 * tremor along a chosen direction, slow voluntary movement below 2 Hz, white sensor noise, and the
 * sampling of a browser sensor stream (jittered intervals, dropped samples, repeated time stamps,
 * gaps, time stamps rounded to the timer resolution).
 */
import type { TremorInput } from '../inputs.js';
import { seededRandom } from '../random.js';

/** Options of {@link simulateTremor}; every field has a default. */
export interface TremorSimulationOptions {
  /** Length of the recording, s (default 20). */
  durationS?: number;
  /** Nominal sampling rate of the device, Hz (default 100; browsers deliver about 60–240). */
  fs?: number;
  /** Tremor frequency, Hz (default 6). */
  frequencyHz?: number;
  /** RMS of the tremor acceleration along its direction, m/s² (default 0.2; sinusoid amplitude √2 times it). */
  amplitudeRmsMPerS2?: number;
  /** Alternatively the RMS displacement, cm; when given it sets the acceleration RMS = d·(2πf)²/100. */
  displacementRmsCm?: number;
  /** Direction of the (linear) tremor in device axes; normalised (default [1, 0, 0]). 0 tremor if all 0. */
  axisDirection?: readonly [number, number, number];
  /** SD of the jitter added to each sample interval, ms (default 1; intervals stay ≥ 20 % of nominal). */
  jitterMs?: number;
  /** Probability that a sample is lost (default 0.01). */
  dropProbability?: number;
  /** Probability that a sample is delivered twice with the same time stamp (default 0.005). */
  duplicateProbability?: number;
  /** Intervals without samples: start (s from the first sample) and length (ms). Default none. */
  gaps?: readonly { atS: number; durationMs: number }[];
  /** SD of the white sensor noise on each axis, m/s² (default 0.01). */
  noiseRmsMPerS2?: number;
  /** Total RMS of the slow voluntary movement, m/s² (default 0.1): three sinusoids in random directions. */
  driftRmsMPerS2?: number;
  /** Highest frequency of the voluntary movement, Hz (default 1, must stay below 2). */
  driftMaxHz?: number;
  /** Rotational tremor RMS, deg/s; null (default) records no gyroscope columns. */
  gyroRmsDegPerS?: number | null;
  /** Axis of the rotational tremor (default [0, 1, 0]). */
  gyroAxisDirection?: readonly [number, number, number];
  /** SD of the gyroscope noise on each axis, deg/s (default 0.2). */
  gyroNoiseRmsDegPerS?: number;
  /** Time stamp of the first sample, ms (default 12 345.6: a performance.now()-like offset). */
  startMs?: number;
  /** Time stamps are rounded to this, ms (default 0.1: the 100-µs coarsening of browsers). */
  timeResolutionMs?: number;
}

/** The truth behind a simulated recording. */
export interface TremorTruth {
  frequencyHz: number;
  /** RMS of the tremor acceleration, m/s² (what tremor_rms_m_per_s2 estimates). */
  rmsMPerS2: number;
  /** RMS displacement, cm = 100 · rms / (2πf)². */
  displacementRmsCm: number;
  /** Unit vector of the tremor. */
  direction: [number, number, number];
  /** RMS of the rotational tremor, deg/s, or null without a gyroscope. */
  gyroRmsDegPerS: number | null;
  fs: number;
  /** Rows in the input (repeated stamps included). */
  rows: number;
  dropped: number;
  duplicated: number;
}

function unit(v: readonly [number, number, number]): [number, number, number] {
  const norm = Math.hypot(...v);
  return norm > 0 ? [v[0] / norm, v[1] / norm, v[2] / norm] : [0, 0, 0];
}

/**
 * Simulates one tremor recording. The same seed and options give the same samples on every
 * platform. Sample times follow t_{k+1} = t_k + 1000/fs + N(0, jitterMs) (at least 20 % of the
 * nominal interval), with the configured gaps skipped; each sample is lost with `dropProbability`
 * and delivered twice (same stamp, same values) with `duplicateProbability`. Values are taken at the
 * true sample time; the stamp is that time rounded to `timeResolutionMs`.
 *
 * The tremor is A·d·sin(2πft + φ) with A = √2·RMS along the unit direction d and a random phase φ;
 * the voluntary movement is three sinusoids of random frequency (0.1 Hz to driftMaxHz), phase and
 * direction; the noise is white and Gaussian, independent per axis. The input carries no flags:
 * repeated stamps are left for the analysis to drop, as a raw sensor stream would have them.
 */
export function simulateTremor(
  seed: number,
  options: TremorSimulationOptions = {},
): { input: TremorInput; truth: TremorTruth } {
  const rng = seededRandom(seed);
  const durationS = options.durationS ?? 20;
  const fs = options.fs ?? 100;
  const f = options.frequencyHz ?? 6;
  const omega = 2 * Math.PI * f;
  const rms =
    options.displacementRmsCm !== undefined
      ? (options.displacementRmsCm / 100) * omega ** 2
      : (options.amplitudeRmsMPerS2 ?? 0.2);
  const direction = unit(options.axisDirection ?? [1, 0, 0]);
  const jitterMs = options.jitterMs ?? 1;
  const dropProbability = options.dropProbability ?? 0.01;
  const duplicateProbability = options.duplicateProbability ?? 0.005;
  const gaps = options.gaps ?? [];
  const noise = options.noiseRmsMPerS2 ?? 0.01;
  const driftRms = options.driftRmsMPerS2 ?? 0.1;
  const driftMaxHz = Math.min(options.driftMaxHz ?? 1, 1.99);
  const gyroRms = options.gyroRmsDegPerS ?? null;
  const gyroDirection = unit(options.gyroAxisDirection ?? [0, 1, 0]);
  const gyroNoise = options.gyroNoiseRmsDegPerS ?? 0.2;
  const startMs = options.startMs ?? 12_345.6;
  const resolution = options.timeResolutionMs ?? 0.1;

  const phase = rng.uniform(0, 2 * Math.PI);
  const gyroPhase = phase + rng.uniform(-0.5, 0.5);
  const drift = Array.from({ length: 3 }, () => ({
    omega: 2 * Math.PI * rng.uniform(0.1, driftMaxHz),
    phase: rng.uniform(0, 2 * Math.PI),
    // amplitude √2·RMS/√3 each, so that the three together have the requested RMS
    direction: unit([rng.normal(), rng.normal(), rng.normal()]).map(
      (c) => (c * driftRms * Math.SQRT2) / Math.sqrt(3),
    ),
  }));

  const t: number[] = [];
  const columns: number[][] = [[], [], [], [], [], []];
  let dropped = 0;
  let duplicated = 0;
  const nominalMs = 1000 / fs;
  for (let elapsedMs = 0; elapsedMs <= durationS * 1000;) {
    const inGap = gaps.some((g) => elapsedMs >= g.atS * 1000 && elapsedMs < g.atS * 1000 + g.durationMs);
    const lost = t.length > 0 && rng.next() < dropProbability;
    if (lost && !inGap) dropped++;
    if (!inGap && !lost) {
      const ts = elapsedMs / 1000;
      const stamp = Math.round((startMs + elapsedMs) / resolution) * resolution;
      const s = Math.SQRT2 * rms * Math.sin(omega * ts + phase);
      const g = Math.SQRT2 * (gyroRms ?? 0) * Math.sin(omega * ts + gyroPhase);
      const row = [0, 1, 2].map((axis) => {
        let v = s * direction[axis]! + rng.normal(0, noise);
        for (const d of drift) v += d.direction[axis]! * Math.sin(d.omega * ts + d.phase);
        return v;
      });
      const gyroRow = [0, 1, 2].map((axis) => g * gyroDirection[axis]! + rng.normal(0, gyroNoise));
      const copies = rng.next() < duplicateProbability ? 2 : 1;
      if (copies === 2) duplicated++;
      for (let c = 0; c < copies; c++) {
        t.push(stamp);
        row.forEach((v, axis) => columns[axis]!.push(v));
        gyroRow.forEach((v, axis) => columns[3 + axis]!.push(v));
      }
    }
    elapsedMs += Math.max(0.2 * nominalMs, nominalMs + rng.normal(0, jitterMs));
  }

  const column = (i: number): Float64Array => Float64Array.from(columns[i]!);
  return {
    input: {
      task: 'tremor',
      tMs: Float64Array.from(t),
      ax: column(0),
      ay: column(1),
      az: column(2),
      gx: gyroRms === null ? null : column(3),
      gy: gyroRms === null ? null : column(4),
      gz: gyroRms === null ? null : column(5),
      flags: [],
    },
    truth: {
      frequencyHz: f,
      rmsMPerS2: rms,
      displacementRmsCm: (100 * rms) / omega ** 2,
      direction,
      gyroRmsDegPerS: gyroRms,
      fs,
      rows: t.length,
      dropped,
      duplicated,
    },
  };
}
