import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { penInput as pen } from './test-utils/pen-input.js';
import {
  countAccelerationExtrema,
  countSpeedMaxima,
  handwritingRateHz,
  ldljVelocity,
  medianSampleRateHz,
  MIN_KINEMATIC_SAMPLES,
  penKinematics,
  sparc,
} from './kinematics.js';

/**
 * Velocity of a minimum-jerk reach of `amplitude` along the direction `angle` in `duration` s,
 * sampled at n points from t = 0 to t = duration: v = (A/T)(30τ² − 60τ³ + 30τ⁴).
 */
function minimumJerk(amplitude: number, duration: number, n: number, angle = 0) {
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const tau = k / (n - 1);
    const v = (amplitude / duration) * (30 * tau ** 2 - 60 * tau ** 3 + 30 * tau ** 4);
    vx[k] = v * Math.cos(angle);
    vy[k] = v * Math.sin(angle);
  }
  return { vx, vy, dtS: duration / (n - 1) };
}

/**
 * Analytic LDLJ of a minimum-jerk reach: v_peak = 1.875·A/T, ∫(d²v/dt²)² dt = 720·A²/T⁵, so
 * DLJ = T³/(1.875² A²/T²) · 720 A²/T⁵ = 720/3.515625 = 204.8 and LDLJ = −ln 204.8.
 */
const MIN_JERK_LDLJ = -Math.log(204.8); // −5.322033893165353 (numpy: -np.log(720/1.875**2))

describe('ldljVelocity', () => {
  it('equals the analytic value −ln(204.8) = −5.32203 for a minimum-jerk reach', () => {
    expect(MIN_JERK_LDLJ).toBeCloseTo(-5.322033893165353, 12);
    const { vx, vy, dtS } = minimumJerk(100, 1, 1001);
    expect(Math.abs(ldljVelocity(vx, vy, dtS) - MIN_JERK_LDLJ)).toBeLessThan(1e-4);
  });

  it('is independent of amplitude, duration, direction and sampling (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.integer({ min: 200, max: 2000 }),
        fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
        (amplitude, duration, n, angle) => {
          const { vx, vy, dtS } = minimumJerk(amplitude, duration, n, angle);
          expect(Math.abs(ldljVelocity(vx, vy, dtS) - MIN_JERK_LDLJ)).toBeLessThan(2e-3);
        },
      ),
      { seed: 1, numRuns: 60 },
    );
  });

  it('is exactly invariant to scaling the amplitude or stretching time on the same samples', () => {
    const { vx, vy, dtS } = minimumJerk(10, 0.8, 301, 0.4);
    const base = ldljVelocity(vx, vy, dtS);
    const scaled = ldljVelocity(
      vx.map((v) => v * 37),
      vy.map((v) => v * 37),
      dtS,
    );
    // the same positions in 3× the time: velocity /3, spacing ×3
    const stretched = ldljVelocity(
      vx.map((v) => v / 3),
      vy.map((v) => v / 3),
      dtS * 3,
    );
    expect(scaled).toBeCloseTo(base, 10);
    expect(stretched).toBeCloseTo(base, 10);
  });

  it('gets more negative as jerk is added', () => {
    const { vx, vy, dtS } = minimumJerk(50, 1, 1001);
    const values = [0, 0.02, 0.05, 0.1, 0.2].map((eps) => {
      const peak = 1.875 * 50;
      const wobbly = vx.map((v, k) => v + eps * peak * Math.sin((2 * Math.PI * 6 * k) / 1000));
      return ldljVelocity(wobbly, vy, dtS);
    });
    expect(values[0]).toBeCloseTo(MIN_JERK_LDLJ, 3);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]! - 0.05);
  });

  it('uses the velocity vector, not the speed: a constant-speed circle has finite LDLJ', () => {
    const n = 501;
    const vx = new Float64Array(n);
    const vy = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      vx[k] = -Math.sin((2 * Math.PI * k) / (n - 1));
      vy[k] = Math.cos((2 * Math.PI * k) / (n - 1));
    }
    // one turn in 1 s, |v| = 1: ∫‖d²v/dt²‖² = (2π)⁴, so LDLJ = −ln((2π)⁴)
    expect(ldljVelocity(vx, vy, 1 / (n - 1))).toBeCloseTo(-4 * Math.log(2 * Math.PI), 3);
  });

  it('returns NaN for too few samples or no movement and +Infinity for zero jerk', () => {
    expect(ldljVelocity([1, 2, 3], [0, 0, 0], 0.01)).toBeNaN();
    expect(ldljVelocity([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 0.01)).toBeNaN();
    expect(ldljVelocity([1, 1, 1, 1], [0, 0, 0, 0], 0)).toBeNaN();
    expect(ldljVelocity([2, 2, 2, 2, 2], [1, 1, 1, 1, 1], 0.01)).toBe(Infinity);
  });
});

describe('sparc', () => {
  it('matches the authors’ example: Gaussian speed exp(−5t²), t = −1…1 step 0.01, fs 100 → −1.41403', () => {
    const speed = Array.from({ length: 200 }, (_, k) => Math.exp(-5 * (-1 + k * 0.01) ** 2));
    // docstring of spectral_arclength (Balasubramanian, smoothness.py) and numpy: -1.4140312617104787
    expect(sparc(speed, 100)).toBeCloseTo(-1.4140312617104787, 9);
  });

  it('matches numpy for a two-peaked profile at 200 Hz (less smooth: more negative)', () => {
    const speed = Array.from({ length: 300 }, (_, k) => {
      const t = k / 200;
      return Math.exp(-(((t - 0.5) / 0.12) ** 2)) + 0.6 * Math.exp(-(((t - 0.95) / 0.1) ** 2));
    });
    // /usr/bin/python3, the reference algorithm with numpy.fft: -2.138426632528701
    expect(sparc(speed, 200)).toBeCloseTo(-2.138426632528701, 9);
  });

  it('matches numpy for short strokes (their few bins up to fc are summed directly, not by FFT)', () => {
    // /usr/bin/python3, the reference algorithm with numpy.fft (22 samples at 200 Hz, 30 at 120 Hz)
    const bell = Array.from({ length: 22 }, (_, k) => 80 * Math.sin((Math.PI * (k + 0.5)) / 22) ** 2);
    expect(sparc(bell, 200)).toBeCloseTo(-1.1662484300180915, 12);
    const hesitant = Array.from(
      { length: 30 },
      (_, k) => 60 * Math.exp(-(((k - 8) / 4) ** 2)) + 45 * Math.exp(-(((k - 21) / 5) ** 2)),
    );
    expect(sparc(hesitant, 120)).toBeCloseTo(-1.7960971944317052, 12);
  });

  it('is NaN for an all-zero or too short profile', () => {
    expect(sparc([0, 0, 0, 0], 100)).toBeNaN();
    expect(sparc([1], 100)).toBeNaN();
  });
});

describe('countSpeedMaxima (NIV)', () => {
  const bumps = (centres: number[], n = 200, width = 0.05) =>
    Array.from({ length: n }, (_, k) =>
      centres.reduce((s, c) => s + Math.exp(-(((k / (n - 1) - c) / width) ** 2)), 0),
    );

  it('counts 1 for a bell, 2 for two peaks, 0 for a monotone profile', () => {
    expect(countSpeedMaxima(bumps([0.5]))).toBe(1);
    expect(countSpeedMaxima(bumps([0.3, 0.7]))).toBe(2);
    expect(countSpeedMaxima(Array.from({ length: 50 }, (_, k) => k))).toBe(0);
    expect(countSpeedMaxima(Array.from({ length: 50 }, (_, k) => 50 - k))).toBe(0);
    expect(countSpeedMaxima([3, 3, 3, 3])).toBe(0);
  });

  it('counts a plateau once and never a maximum at the first or last sample', () => {
    expect(countSpeedMaxima([0, 1, 2, 2, 2, 1, 0])).toBe(1);
    expect(countSpeedMaxima([0, 1, 2, 2, 2])).toBe(0); // plateau runs to the end: not strictly inside
    expect(countSpeedMaxima([5, 1, 2, 1, 5])).toBe(1);
    expect(countSpeedMaxima([5, 4, 3, 2, 1])).toBe(0);
  });

  it('only looks inside [start, end)', () => {
    const s = [0, 2, 0, 3, 0, 4, 0];
    expect(countSpeedMaxima(s)).toBe(3);
    expect(countSpeedMaxima(s, 2, 5)).toBe(1); // [0, 3, 0]
    expect(countSpeedMaxima(s, 3, 7)).toBe(1); // 3 is the first sample: only 4 counts
  });

  it('counts k well-separated bumps as k (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), (k) => {
        const centres = Array.from({ length: k }, (_, i) => (i + 0.5) / k);
        expect(countSpeedMaxima(bumps(centres, 400, 0.25 / k))).toBe(k);
      }),
      { seed: 2, numRuns: 12 },
    );
  });
});

describe('countAccelerationExtrema (NCA)', () => {
  const derivative = (xs: number[]) => xs.slice(1).map((v, i) => v - xs[i]!);
  it('counts 2 for a bell-shaped speed profile and 4 for two peaks', () => {
    const bell = Array.from({ length: 200 }, (_, k) => Math.sin((Math.PI * k) / 199) ** 2);
    expect(countAccelerationExtrema(derivative(bell))).toBe(2);
    const two = Array.from({ length: 300 }, (_, k) => Math.sin((2 * Math.PI * k) / 299) ** 2);
    expect(countAccelerationExtrema(derivative(two))).toBe(4);
    expect(countAccelerationExtrema([1, 1, 1])).toBe(0);
  });
});

describe('sampling rate rule (measures.md 4.3)', () => {
  it('takes the median pen-down interval and resamples at 200 Hz from 133 Hz up', () => {
    const input = pen([0, 5, 10, 20, 25, 30], [0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0]);
    expect(medianSampleRateHz(input, [{ start: 0, end: 6 }])).toBe(200);
    expect(medianSampleRateHz(input, [])).toBeNaN();
    expect(handwritingRateHz(140)).toBe(200);
    expect(handwritingRateHz(133)).toBe(200);
    expect(handwritingRateHz(120)).toBe(120);
  });
});

describe('penKinematics', () => {
  it('reproduces scipy: interp → butter(2, 10 Hz) sosfiltfilt → numpy.gradient (fixture)', () => {
    // irregular time stamps near 150 Hz (median rate 148.9 Hz → resampled at 200 Hz)
    const n = 300;
    const t: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const ti = 1000 + (i * 1000) / 150 + 2.5 * Math.sin(1.7 * i);
      const s = (ti - 1000) / 1000;
      t.push(ti);
      x.push(20 + 30 * s + 2 * Math.sin(2 * Math.PI * 4 * s));
      y.push(50 - 4 * Math.cos(2 * Math.PI * 4 * s + 0.3));
    }
    const input = pen(t, x, y);
    const kin = penKinematics(input, { start: 0, end: n })!;
    expect(kin.fs).toBe(200);
    expect(kin.filtered).toBe(true);
    expect(kin.x.length).toBe(399);
    // /usr/bin/python3: g = t0 + k·5 ms; np.interp; butter(2, 10, fs=200, output='sos'); sosfiltfilt;
    // np.gradient(·, 1/200). Columns: k, x_f, vx, vy, speed, |a|, d|v|/dt
    const expected: [number, number, number, number, number, number, number][] = [
      [
        0, 19.967905774603697, 79.22437850574653, 63.002917905959066, 101.22188406805522, 207.86979816737514,
        90.89065623576005,
      ],
      [
        50, 27.500212258011956, 78.74736415493686, 28.771751799510525, 83.83889946178249, 2333.7619339830862,
        792.0159081712171,
      ],
      [
        137, 38.60869624550717, 26.932054190471888, -94.75483848574413, 98.50794363592193, 1349.6883095543126,
        -215.65377532741792,
      ],
      [
        398, 79.23927190589096, 68.89067666261894, -27.40852649922374, 74.14278559571498, 467.96517252976463,
        -302.0485247468258,
      ],
    ];
    for (const [k, xf, vx, vy, sp, acc, at] of expected) {
      expect(kin.x[k]).toBeCloseTo(xf, 8);
      expect(kin.vx[k]).toBeCloseTo(vx, 6);
      expect(kin.vy[k]).toBeCloseTo(vy, 6);
      expect(kin.speed[k]).toBeCloseTo(sp, 6);
      expect(kin.acc[k]! / acc).toBeCloseTo(1, 9);
      expect(kin.tangentialAcc[k]! / at).toBeCloseTo(1, 9);
    }
    expect(kin.tS[0]).toBe(1);
    expect(kin.tS[398]).toBeCloseTo(1 + 398 / 200, 12);
    // same formula evaluated in numpy: -14.975713290537524; 16 interior speed maxima
    expect(ldljVelocity(kin.vx, kin.vy, kin.dtS)).toBeCloseTo(-14.975713290537524, 8);
    expect(countSpeedMaxima(kin.speed)).toBe(16);
  });

  it('keeps a constant velocity away from the ends', () => {
    const t = Array.from({ length: 200 }, (_, i) => i * 5 + (i % 3));
    const input = pen(
      t,
      t.map((ms) => 10 + 0.03 * ms),
      t.map((ms) => 5 - 0.02 * ms),
    );
    const kin = penKinematics(input, { start: 0, end: 200 }, { fs: 100 })!;
    expect(kin.fs).toBe(100);
    for (let k = 20; k < kin.vx.length - 20; k++) {
      // the forward–backward filter's start-up transient (a ramp from a step steady state) decays to < 1e-4
      expect(kin.vx[k]).toBeCloseTo(30, 3);
      expect(kin.vy[k]).toBeCloseTo(-20, 3);
      expect(kin.speed[k]).toBeCloseTo(Math.hypot(30, 20), 3);
    }
  });

  it('returns null for segments too short to filter, and skips the filter when fs ≤ 2·fc', () => {
    const t = Array.from({ length: 30 }, (_, i) => i * 10);
    const input = pen(
      t,
      t.map((ms) => ms / 10),
      t.map(() => 0),
    );
    expect(penKinematics(input, { start: 0, end: MIN_KINEMATIC_SAMPLES - 1 })).toBeNull();
    expect(penKinematics(input, { start: 0, end: 1 })).toBeNull();
    expect(penKinematics(input, { start: 0, end: 30 })!.filtered).toBe(true);
    const coarse = penKinematics(input, { start: 0, end: 30 }, { fs: 100, cutoffHz: 60 })!;
    expect(coarse.filtered).toBe(false);
    expect(coarse.vx[5]).toBeCloseTo(100, 9); // 0.1 mm per ms, unfiltered
  });
});
