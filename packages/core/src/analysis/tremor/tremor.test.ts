import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { analyze } from '../analyze.js';
import type { TremorInput } from '../inputs.js';
import { seededRandom } from '../random.js';
import { analyzeTremor, TREMOR_METRICS, tremorAnalyzer } from './index.js';
import { inspectSampling, resampleSpline } from './sampling.js';
import { simulateTremor } from './simulate.js';
import { RECORDING_NOTE } from './metrics.js';

const CONTRACT_IDS = [
  'tremor_peak_frequency_hz',
  'tremor_rms_m_per_s2',
  'tremor_displacement_rms_cm',
  'relative_band_power',
];

/** An input from uniformly sampled columns: t_ms = t0Ms + 1000·k/fs. */
function uniformInput(
  fs: number,
  axes: [Float64Array, Float64Array, Float64Array],
  gyro: [Float64Array, Float64Array, Float64Array] | null = null,
  t0Ms = 1000,
): TremorInput {
  return {
    task: 'tremor',
    tMs: Float64Array.from(axes[0], (_, k) => t0Ms + (1000 * k) / fs),
    ax: axes[0],
    ay: axes[1],
    az: axes[2],
    gx: gyro?.[0] ?? null,
    gy: gyro?.[1] ?? null,
    gz: gyro?.[2] ?? null,
    flags: [],
  };
}

/** A sinusoid of amplitude `a` at `f` Hz on an fs-Hz grid of n samples. */
const sine = (n: number, fs: number, f: number, a: number, phase = 0): Float64Array =>
  Float64Array.from({ length: n }, (_, k) => a * Math.sin(2 * Math.PI * f * (k / fs) + phase));

/**
 * The reference signal of the scipy fixture below: 14 s at 100 Hz; a 5.3-Hz tremor of amplitude
 * 0.3 m/s² along (0.8, 0.6, 0) from t = 5 s on; a 0.7-Hz voluntary movement of 0.4 m/s² on z; uniform
 * noise of SD 0.05 m/s² on each axis (mulberry32 seed 7, in the order ax, ay, az, gx, gz per sample);
 * gyroscope: 20 deg/s at 5.3 Hz on y from 5 s, uniform noise of SD 0.5 deg/s on x and z.
 */
function referenceSignal(): TremorInput {
  const fs = 100;
  const n = 1400;
  const rng = seededRandom(7);
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const u = (sd: number): number => sd * Math.sqrt(12) * (rng.next() - 0.5);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const on = t >= 5 ? 1 : 0;
    const s = 0.3 * Math.sin(2 * Math.PI * 5.3 * t + 0.4) * on;
    cols[0]![i] = 0.8 * s + u(0.05);
    cols[1]![i] = 0.6 * s + u(0.05);
    cols[2]![i] = 0.4 * Math.sin(2 * Math.PI * 0.7 * t) + u(0.05);
    cols[3]![i] = u(0.5);
    cols[4]![i] = 20 * Math.sin(2 * Math.PI * 5.3 * t + 1) * on;
    cols[5]![i] = u(0.5);
  }
  return uniformInput(fs, [cols[0]!, cols[1]!, cols[2]!], [cols[3]!, cols[4]!, cols[5]!]);
}

/*
 * Reference numbers: /usr/bin/python3 with numpy + scipy on the same signal (mulberry32 ported to
 * Python): sos = butter(4, [2, 20], 'bandpass', fs=100, output='sos'); each axis sosfiltfilt(sos, x);
 * welch(x, 100, nperseg=256) summed over the axes; argmax in 3–12 Hz, vertex of the parabola through
 * log10 PSD of the bin and its neighbours; P_band = Σ PSD·Δf over |f − f_peak| ≤ 1; total over 1–20 Hz;
 * high/low on the unfiltered axes (4–12 / 0.5–<4 Hz); 3-s windows (W = 300, hop 150) with welch
 * nperseg = 300, tremor when peak/median ≥ 3 and relative ≥ 0.3 (window peaks/ratios/relative:
 * 9.12/2.39/0.20, 8.25/3.37/0.18, 5.49/9.7/0.60, then five windows at 5.29–5.31 Hz with relative ≥ 0.95).
 */
const SCIPY_REFERENCE: Record<string, number> = {
  tremor_peak_frequency_hz: 5.296418694558504,
  tremor_rms_m_per_s2: 0.1680706733063893,
  tremor_displacement_rms_cm: 0.015176358728824238,
  relative_band_power: 0.9271443829445116,
  tremor_band_power_m2_per_s4: 0.02824775122566304,
  tremor_high_low_ratio: 0.5024570293545801,
  tremor_occurrence_pct: 75,
  tremor_frequency_iqr_hz: 0.014650167099073741,
  gyro_peak_frequency_hz: 5.2983088534207265,
  gyro_rms_deg_per_s: 11.143854509199734,
  gyro_relative_band_power: 0.9902962437835212,
  sampling_rate_hz: 100,
};

describe('tremor metric catalogue', () => {
  it('has every contract ID, marked as contract, with the unit last, version 1.1.0 and the recording rule', () => {
    const ids = TREMOR_METRICS.map((m) => m.id);
    for (const id of CONTRACT_IDS) {
      const metric = TREMOR_METRICS.find((m) => m.id === id);
      expect(metric?.origin, id).toBe('contract');
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of TREMOR_METRICS) {
      expect(m.task).toBe('tremor');
      // 1.1.0: a recording is analysed on its kept trial without its edges (trial.ts)
      expect(m.version).toBe('1.1.0');
      expect(m.definition.endsWith(RECORDING_NOTE)).toBe(true);
      expect(m.citation).toMatch(/measures\.md §7/);
    }
    expect(tremorAnalyzer.metrics).toBe(TREMOR_METRICS);
  });

  it('marks the amplitude metrics for log-scale change statistics', () => {
    const log = TREMOR_METRICS.filter((m) => m.logScale).map((m) => m.id);
    expect(log).toEqual(expect.arrayContaining(['tremor_rms_m_per_s2', 'tremor_displacement_rms_cm']));
    expect(log).not.toContain('tremor_peak_frequency_hz');
  });
});

describe('analyzeTremor on a constructed signal', () => {
  it('reproduces the scipy reference for every metric', () => {
    const input = referenceSignal();
    // the port of the noise generator matches the Python one (first samples)
    expect(input.ax[0]).toBeCloseTo(-0.08457521766333455, 14);
    expect(input.az[0]).toBeCloseTo(0.08260282504912002, 14);
    const { metrics, flags } = analyzeTremor(input);
    for (const [id, expected] of Object.entries(SCIPY_REFERENCE)) {
      expect(metrics[id], id).toBeCloseTo(expected, 9);
      expect(Math.abs(metrics[id]! - expected) / expected, id).toBeLessThan(1e-9);
    }
    expect(flags).toEqual([]);
  });

  it('derives displacement and band power from the RMS and peak frequency', () => {
    const { metrics } = analyzeTremor(referenceSignal());
    const rms = metrics.tremor_rms_m_per_s2!;
    const f = metrics.tremor_peak_frequency_hz!;
    expect(metrics.tremor_band_power_m2_per_s4).toBeCloseTo(rms ** 2, 15);
    expect(metrics.tremor_displacement_rms_cm).toBeCloseTo((100 * rms) / (2 * Math.PI * f) ** 2, 15);
  });

  it('gives the RMS of a pure sinusoid: A/√2 along one axis, √(ΣA²/2) over three axes', () => {
    const fs = 100;
    const n = 2000;
    const one = analyzeTremor(
      uniformInput(fs, [sine(n, fs, 7, 0.5), new Float64Array(n), new Float64Array(n)]),
    );
    expect(one.metrics.tremor_peak_frequency_hz).toBeCloseTo(7, 2);
    expect(one.metrics.tremor_rms_m_per_s2! / (0.5 / Math.SQRT2)).toBeCloseTo(1, 2);
    expect(one.metrics.relative_band_power).toBeGreaterThan(0.99);
    expect(one.metrics.tremor_occurrence_pct).toBe(100);
    const three = analyzeTremor(
      uniformInput(fs, [sine(n, fs, 7, 0.3), sine(n, fs, 7, 0.4, 1), sine(n, fs, 7, 0.2, 2)]),
    );
    const expected = Math.sqrt((0.3 ** 2 + 0.4 ** 2 + 0.2 ** 2) / 2);
    expect(three.metrics.tremor_rms_m_per_s2! / expected).toBeCloseTo(1, 2);
  });

  it('reports a 6-Hz linear tremor at 6 Hz, where the vector magnitude would give 12 Hz', () => {
    const fs = 100;
    const n = 2000;
    const x = sine(n, fs, 6, 1);
    const y = sine(n, fs, 6, 0.5);
    const { metrics } = analyzeTremor(uniformInput(fs, [x, y, new Float64Array(n)]));
    expect(metrics.tremor_peak_frequency_hz).toBeCloseTo(6, 1);
    // the vector magnitude |a| = |sin| · const is periodic at 12 Hz: analysing it as one axis shows the doubling
    const magnitude = Float64Array.from(x, (v, k) => Math.hypot(v, y[k]!));
    const rectified = analyzeTremor(uniformInput(fs, [magnitude, new Float64Array(n), new Float64Array(n)]));
    expect(rectified.metrics.tremor_peak_frequency_hz).toBeCloseTo(12, 1);
  });

  it('computes the high/low ratio on the signal before band-passing', () => {
    const fs = 100;
    const n = 3000;
    // 8 Hz of amplitude 1 and 1.5 Hz of amplitude 2: power ratio (1/2)/(4/2) = 0.25
    const x = Float64Array.from(sine(n, fs, 8, 1), (v, k) => v + 2 * Math.sin(2 * Math.PI * 1.5 * (k / fs)));
    const { metrics } = analyzeTremor(uniformInput(fs, [x, new Float64Array(n), new Float64Array(n)]));
    expect(metrics.tremor_high_low_ratio).toBeCloseTo(0.25, 2);
  });

  it('counts occurrence on 3-s windows and measures the spread of their peak frequencies', () => {
    const fs = 100;
    const seconds = 21; // windows start every 1.5 s: 13 windows
    const n = seconds * fs;
    // 5 Hz for the first 10.5 s, a stronger 7 Hz after (the frequency IQR sees both); no tremor in the
    // last 6 s
    const x = Float64Array.from({ length: n }, (_, k) => {
      const t = k / fs;
      if (t < 10.5) return Math.sin(2 * Math.PI * 5 * t);
      if (t < 15) return 1.5 * Math.sin(2 * Math.PI * 7 * t);
      return 0;
    });
    const rng = seededRandom(3);
    const noise = (): Float64Array => Float64Array.from({ length: n }, () => rng.normal(0, 0.01));
    const xNoise = noise();
    const input = uniformInput(fs, [Float64Array.from(x, (v, k) => v + xNoise[k]!), noise(), noise()]);
    const { metrics } = analyzeTremor(input);
    // 13 windows start at 0, 1.5, …, 18 s; the three starting at 15, 16.5 and 18 s hold noise only
    // (the one at 13.5 s holds 1.5 s of 7 Hz: its peak still stands out)
    expect(metrics.tremor_occurrence_pct).toBeCloseTo((100 * 10) / 13, 9);
    // tremor windows: six at 5 Hz (starts 0–7.5 s), four at 7 Hz (starts 9–13.5 s; the one across the
    // switch is dominated by the stronger 7 Hz): type-7 quartiles 5 and 7 Hz
    expect(metrics.tremor_frequency_iqr_hz).toBeCloseTo(2, 1);
  });
});

describe('analyzeTremor flags', () => {
  it('flags white noise as NO_TREMOR_PEAK but keeps the metrics numeric', () => {
    const rng = seededRandom(11);
    const n = 2000;
    const noise = (): Float64Array => Float64Array.from({ length: n }, () => rng.normal(0, 0.05));
    const { metrics, flags } = analyzeTremor(uniformInput(100, [noise(), noise(), noise()]));
    expect(flags).toContain('NO_TREMOR_PEAK');
    for (const id of CONTRACT_IDS) expect(Number.isFinite(metrics[id]), id).toBe(true);
    expect(metrics.relative_band_power).toBeLessThan(0.3);
    expect(metrics.tremor_frequency_iqr_hz ?? null).toBeNull();
  });

  it('flags LOW_SAMPLING_RATE below 40 Hz and still analyses 3–0.45·fs Hz', () => {
    const fs = 30;
    const n = 600;
    const { metrics, flags } = analyzeTremor(
      uniformInput(fs, [sine(n, fs, 5, 1), sine(n, fs, 5, 1), sine(n, fs, 5, 1)]),
    );
    expect(flags).toContain('LOW_SAMPLING_RATE');
    expect(metrics.tremor_peak_frequency_hz).toBeCloseTo(5, 1);
  });

  it('computes only the sampling rate below 20 Hz', () => {
    const fs = 10;
    const n = 300;
    const { metrics, flags } = analyzeTremor(
      uniformInput(fs, [sine(n, fs, 3, 1), sine(n, fs, 3, 1), sine(n, fs, 3, 1)]),
    );
    expect(flags).toContain('LOW_SAMPLING_RATE');
    expect(metrics.sampling_rate_hz).toBeCloseTo(10, 9);
    expect(metrics.tremor_peak_frequency_hz ?? null).toBeNull();
  });

  it('flags SAMPLE_GAPS for an interval longer than 100 ms (measures.md 7.3, as the task checks), not for 100 ms', () => {
    const fs = 100;
    const n = 1000;
    const make = (missing: number): TremorInput => {
      const input = uniformInput(fs, [sine(n, fs, 6, 1), sine(n, fs, 6, 1), sine(n, fs, 6, 1)]);
      const keep = (_: number, k: number): boolean => k < 500 || k >= 500 + missing;
      return {
        ...input,
        tMs: input.tMs.filter(keep),
        ax: input.ax.filter(keep),
        ay: input.ay.filter(keep),
        az: input.az.filter(keep),
      };
    };
    expect(analyzeTremor(make(3)).flags).not.toContain('SAMPLE_GAPS'); // a 40-ms interval
    expect(analyzeTremor(make(9)).flags).not.toContain('SAMPLE_GAPS'); // a 100-ms interval
    expect(analyzeTremor(make(10)).flags).toContain('SAMPLE_GAPS'); // a 110-ms interval
  });

  it('flags IRREGULAR_SAMPLING when the interval IQR exceeds 25 % of the median', () => {
    const regular = simulateTremor(1, {
      fs: 100,
      jitterMs: 0.5,
      dropProbability: 0,
      duplicateProbability: 0,
    });
    const irregular = simulateTremor(1, {
      fs: 100,
      jitterMs: 3,
      dropProbability: 0,
      duplicateProbability: 0,
    });
    expect(inspectSampling(regular.input.tMs).intervalIqrFraction).toBeLessThan(0.25);
    expect(analyzeTremor(regular.input).flags).not.toContain('IRREGULAR_SAMPLING');
    expect(analyzeTremor(irregular.input).flags).toContain('IRREGULAR_SAMPLING');
  });

  it('drops repeated time stamps (keeping the first) and flags DUPLICATE_TIMESTAMPS', () => {
    const fs = 100;
    const n = 1000;
    const input = uniformInput(fs, [sine(n, fs, 6, 1), sine(n, fs, 6, 1), sine(n, fs, 6, 1)]);
    const insert = <T extends Float64Array>(a: T, value?: number): Float64Array =>
      Float64Array.from([...a.subarray(0, 400), value ?? a[399]!, ...a.subarray(400)]);
    const withDuplicate: TremorInput = {
      ...input,
      tMs: insert(input.tMs),
      ax: insert(input.ax, 99),
      ay: insert(input.ay, 99),
      az: insert(input.az, 99),
    };
    const clean = analyzeTremor(input);
    const duplicated = analyzeTremor(withDuplicate);
    expect(duplicated.flags).toContain('DUPLICATE_TIMESTAMPS');
    expect(clean.flags).not.toContain('DUPLICATE_TIMESTAMPS');
    expect(duplicated.metrics).toEqual(clean.metrics); // the second (outlier) row was dropped
  });

  it('flags TOO_FEW_EVENTS when the recording is too short for three 3-s windows', () => {
    const fs = 100;
    const n = 400; // 4 s: one Welch segment fits, one window, no frequency IQR
    const { metrics, flags } = analyzeTremor(
      uniformInput(fs, [sine(n, fs, 6, 1), sine(n, fs, 6, 1), sine(n, fs, 6, 1)]),
    );
    expect(flags).toContain('TOO_FEW_EVENTS');
    expect(metrics.tremor_occurrence_pct).toBe(100);
    expect(metrics.tremor_frequency_iqr_hz ?? null).toBeNull();
    expect(metrics.tremor_peak_frequency_hz).toBeCloseTo(6, 1);
  });
});

describe('analyzeTremor bad input', () => {
  const fs = 100;
  const n = 500;
  const good = (): TremorInput => uniformInput(fs, [sine(n, fs, 6, 1), sine(n, fs, 6, 1), sine(n, fs, 6, 1)]);
  const code = (input: TremorInput): string | undefined => {
    try {
      analyzeTremor(input);
    } catch (error) {
      return error instanceof CodedError ? error.code : 'not a CodedError';
    }
    return undefined;
  };

  it('refuses an empty input', () => {
    const empty = new Float64Array(0);
    expect(code({ ...good(), tMs: empty, ax: empty, ay: empty, az: empty })).toBe('E_INPUT_EMPTY');
  });

  it('refuses NaN values', () => {
    const input = good();
    input.ay[10] = Number.NaN;
    expect(code(input)).toBe('E_INPUT_VALUE');
  });

  it('refuses time going back', () => {
    const input = good();
    input.tMs[200] = input.tMs[198]!;
    expect(code(input)).toBe('E_NONMONOTONIC_TIME');
  });

  it('refuses a recording shorter than one Welch segment (2.56 s)', () => {
    const short = (samples: number): TremorInput => {
      const input = good();
      return {
        ...input,
        tMs: input.tMs.slice(0, samples),
        ax: input.ax.slice(0, samples),
        ay: input.ay.slice(0, samples),
        az: input.az.slice(0, samples),
      };
    };
    expect(code(short(1))).toBe('E_TOO_FEW_EVENTS');
    expect(code(short(255))).toBe('E_TOO_FEW_EVENTS');
    expect(code(short(256))).toBeUndefined();
  });

  it('reports through analyze() with every metric present and no NaN', () => {
    const output = analyze(good());
    expect(Object.keys(output.metrics).sort()).toEqual(TREMOR_METRICS.map((m) => m.id).sort());
    for (const value of Object.values(output.metrics))
      expect(value === null || Number.isFinite(value)).toBe(true);
  });
});

describe('resampleSpline', () => {
  it('returns the samples themselves on their own uniform grid', () => {
    const t = Float64Array.from({ length: 50 }, (_, k) => 500 + 10 * k);
    const v = Float64Array.from({ length: 50 }, (_, k) => Math.sin(k));
    const out = resampleSpline(t, v, 100);
    expect(out.length).toBe(50);
    out.forEach((x, k) => expect(x).toBeCloseTo(v[k]!, 12));
  });

  it('reproduces a cubic polynomial between irregular samples away from the natural ends', () => {
    const rng = seededRandom(5);
    const t: number[] = [0];
    while (t.length < 200) t.push(t[t.length - 1]! + rng.uniform(5, 15));
    const p = (ms: number): number => 1e-7 * (ms - 900) ** 3 - 2e-4 * ms;
    const out = resampleSpline(Float64Array.from(t), t.map(p), 200);
    for (let k = 100; k < out.length - 100; k++) expect(out[k]).toBeCloseTo(p(k * 5), 3);
  });
});
