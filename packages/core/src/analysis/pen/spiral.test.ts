import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { analyze, metricCatalogue } from '../analyze.js';
import type { PenInput } from '../inputs.js';
import { simulateSpiral } from './simulate-spiral.js';
import { needsScreenScale } from './screen-scale.js';
import { analyzeSpiral, countPenLifts, SPIRAL_METRICS, spiralAnalyzer, TRIALS_NOTE } from './spiral.js';

/** Options of a constructed spiral drawn at constant angular speed. */
interface Wave {
  a?: number;
  /** mm/rad */
  b?: number;
  /** radial wave r += c·sin(kθ) */
  c?: number;
  k?: number;
  turns?: number;
  turnHz?: number;
  fs?: number;
  inward?: boolean;
  clockwise?: boolean;
  /** Radial tremor r += (pp/2)·sin(2π f t). */
  tremorHz?: number;
  tremorPpMm?: number;
  pressure?: (tS: number) => number;
}

/**
 * r = a + bφ + c·sin(kφ) (+ tremor), φ = 2π·turnHz·t, sampled uniformly; inward: r = a + b(φ_max − φ);
 * clockwise: the polar angle decreases. Centre (50, 40) mm.
 */
function waveSpiral(o: Wave = {}): PenInput {
  const { a = 10, b = 2, c = 0, k = 1, turns = 4, turnHz = 0.25, fs = 200 } = o;
  const n = Math.round((turns / turnHz) * fs) + 1;
  const phiMax = 2 * Math.PI * turns;
  const tMs = new Float64Array(n);
  const xMm = new Float64Array(n);
  const yMm = new Float64Array(n);
  const pressure = o.pressure ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const phi = 2 * Math.PI * turnHz * t;
    const along = o.inward ? phiMax - phi : phi;
    const r =
      a +
      b * along +
      c * Math.sin(k * along) +
      ((o.tremorPpMm ?? 0) / 2) * Math.sin(2 * Math.PI * (o.tremorHz ?? 0) * t);
    const angle = o.clockwise ? -phi : phi;
    tMs[i] = 500 + (i * 1000) / fs;
    xMm[i] = 50 + r * Math.cos(angle);
    yMm[i] = 40 + r * Math.sin(angle);
    if (pressure) pressure[i] = o.pressure!(t);
  }
  return {
    task: 'spiral',
    tMs,
    xMm,
    yMm,
    pressure,
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: null,
    targetYMm: null,
    flags: [],
  };
}

/** Hand-made samples: t, x, pen_down, pressure (y = 0). */
function handInput(rows: [number, number, number, number][]): PenInput {
  return {
    task: 'spiral',
    tMs: Float64Array.from(rows, (r) => r[0]),
    xMm: Float64Array.from(rows, (r) => r[1]),
    yMm: new Float64Array(rows.length),
    pressure: Float64Array.from(rows, (r) => r[3]),
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: Uint8Array.from(rows, (r) => r[2]),
    targetXMm: null,
    targetYMm: null,
    flags: [],
  };
}

const CONTRACT_IDS = [
  'tremor_peak_frequency_hz',
  'tremor_amplitude_pp_mm',
  'mean_speed_mm_per_s',
  'spiral_width_variability',
  'pressure_mean',
];

/** The metrics computed around the fitted centre. */
const CENTRE_FIT_IDS = [
  'tremor_peak_frequency_hz',
  'tremor_amplitude_pp_mm',
  'relative_band_power',
  'ftm_like_severity_score',
  'spiral_tightness_mm_per_turn',
  'spiral_fit_residue_ratio',
  'spiral_turn_count',
  'spiral_width_variability',
  'first_order_smoothness_log',
  'second_order_smoothness_log',
  'first_order_zero_crossings_per_turn',
  'ldlj_per_turn_median',
];

describe('spiral catalogue', () => {
  it('has every contract ID with origin contract, unique IDs, a version and a citation', () => {
    const ids = SPIRAL_METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of CONTRACT_IDS) expect(SPIRAL_METRICS.find((m) => m.id === id)?.origin).toBe('contract');
    for (const m of SPIRAL_METRICS) {
      expect(m.task).toBe('spiral');
      // 1.1.0 → 1.2.0: the millimetre metrics, null without a screen calibration (screen-scale.ts), then
      // 1.0.0 → 1.1.0 / 1.1.0 → 1.2.0: the median over the kept spirals of a recording (trials.ts), then
      // x.y.0 → x.y.1: the metrics around the fitted centre, the centre found by Gauss–Newton
      if (m.id === 'spiral_trial_count') expect(m.version).toBe('1.0.0');
      else {
        const patch = CENTRE_FIT_IDS.includes(m.id) ? '1' : '0';
        expect(m.version).toBe(needsScreenScale(m) ? `1.2.${patch}` : `1.1.${patch}`);
        expect(m.definition).toContain(TRIALS_NOTE);
      }
      expect(m.citation).toMatch(/measures\.md §\d/);
      expect(m.id).toMatch(/^[a-z0-9_]+$/);
    }
    expect(metricCatalogue('spiral').map((m) => m.id)).toEqual(ids);
  });

  it('returns every metric through analyze(), null where not computable, never NaN', () => {
    const out = analyze(waveSpiral({ tremorHz: 6, tremorPpMm: 1 }));
    expect(Object.keys(out.metrics).sort()).toEqual(SPIRAL_METRICS.map((m) => m.id).sort());
    for (const value of Object.values(out.metrics))
      expect(value === null || Number.isFinite(value)).toBe(true);
    expect(out.metrics['pressure_mean']).toBeNull();
    expect(spiralAnalyzer.task).toBe('spiral');
  });
});

describe('spiral tremor (contract IDs)', () => {
  it('recovers the frequency and peak-to-peak amplitude of a radial tremor', () => {
    const { metrics, flags } = analyzeSpiral(waveSpiral({ tremorHz: 6.3, tremorPpMm: 0.8 }));
    expect(metrics['tremor_peak_frequency_hz']).toBeGreaterThan(6.3 - 0.2);
    expect(metrics['tremor_peak_frequency_hz']).toBeLessThan(6.3 + 0.2);
    expect(metrics['tremor_amplitude_pp_mm']! / 0.8).toBeGreaterThan(0.95);
    expect(metrics['tremor_amplitude_pp_mm']! / 0.8).toBeLessThan(1.05);
    expect(metrics['relative_band_power']).toBeGreaterThan(0.9);
    // FTM-like estimate: (log10(A/10) + 1.27)/0.6 of the measured amplitude, clipped to 0–4
    const a = metrics['tremor_amplitude_pp_mm']!;
    expect(metrics['ftm_like_severity_score']).toBeCloseTo(
      Math.max(0, (Math.log10(a / 10) + 1.27) / 0.6),
      10,
    );
    expect(flags).not.toContain('NO_TREMOR_PEAK');
  });

  it('gives a 15-mm tremor an FTM-like score near 2.4 and clips large amplitudes at 4', () => {
    const big = analyzeSpiral(waveSpiral({ a: 30, b: 3, tremorHz: 5, tremorPpMm: 15 })).metrics;
    expect(big['ftm_like_severity_score']).toBeCloseTo(
      (Math.log10(big['tremor_amplitude_pp_mm']! / 10) + 1.27) / 0.6,
      10,
    );
    expect(big['ftm_like_severity_score']).toBeGreaterThan(2.2);
    expect(big['ftm_like_severity_score']).toBeLessThan(2.5);
  });

  it('stays numeric without tremor and flags NO_TREMOR_PEAK', () => {
    const { metrics, flags } = analyzeSpiral(waveSpiral());
    expect(flags).toContain('NO_TREMOR_PEAK');
    expect(metrics['tremor_peak_frequency_hz']).toBeGreaterThanOrEqual(3);
    expect(metrics['tremor_peak_frequency_hz']).toBeLessThanOrEqual(12);
    expect(metrics['tremor_amplitude_pp_mm']).toBeGreaterThanOrEqual(0);
    expect(metrics['tremor_amplitude_pp_mm']).toBeLessThan(0.01);
    expect(metrics['ftm_like_severity_score']).toBe(0);
  });

  it('calls a peak at a harmonic of the turn frequency drawing rhythm, not tremor', () => {
    // 1.5 turns/s: a 4.5-Hz radial wave is the 3rd harmonic of the drawing rhythm
    const rhythm = analyzeSpiral(waveSpiral({ a: 20, turns: 9, turnHz: 1.5, c: 0.4, k: 3 }));
    expect(rhythm.metrics['tremor_peak_frequency_hz']).toBeCloseTo(4.5, 1);
    expect(rhythm.flags).toContain('NO_TREMOR_PEAK');
    const tremor = analyzeSpiral(
      waveSpiral({ a: 20, turns: 9, turnHz: 1.5, tremorHz: 5.2, tremorPpMm: 0.4 }),
    );
    expect(tremor.flags).not.toContain('NO_TREMOR_PEAK');
  });

  it('leaves tremor metrics null (TOO_FEW_EVENTS) when no segment holds a 2-s window', () => {
    const { metrics, flags } = analyzeSpiral(waveSpiral({ turns: 1.5, turnHz: 1 }));
    expect(flags).toContain('TOO_FEW_EVENTS');
    expect(metrics['tremor_peak_frequency_hz']).toBeUndefined();
    expect(metrics['spiral_tightness_mm_per_turn']).toBeCloseTo(4 * Math.PI, 3);
  });
});

describe('spiral speed, time, lifts and pressure', () => {
  const rows: [number, number, number, number][] = [
    [0, 0, 0, 0.9], // hovering before: not down
    [10, 0, 1, 0.2],
    [20, 3, 1, 0.4],
    [30, 7, 1, 0.6],
    [40, 7, 0, 0.9], // lift
    [50, 20, 1, 0.3],
    [60, 22, 1, 0.5],
    [200, 30, 1, 0.7], // a gap > 50 ms: a new segment
    [210, 31, 1, 0.4],
  ];
  const input = handInput(rows);

  it('mean speed = path length within segments / pen-down time', () => {
    // segments: 10–30 ms (7 mm), 50–60 ms (2 mm), 200–210 ms (1 mm): 10 mm in 40 ms
    expect(analyzeSpiral(input).metrics['mean_speed_mm_per_s']).toBeCloseTo(10 / 0.04, 9);
  });

  it('drawing time spans the first to the last pen-down sample; lifts are counted', () => {
    const { metrics } = analyzeSpiral(input);
    expect(metrics['drawing_time_s']).toBeCloseTo(0.2, 12);
    expect(metrics['pen_lift_count']).toBe(1);
    expect(countPenLifts({ ...input, penDown: null })).toBe(0);
  });

  it('pressure mean and CV over pen-down samples only', () => {
    const down = [0.2, 0.4, 0.6, 0.3, 0.5, 0.7, 0.4];
    const m = down.reduce((s, v) => s + v, 0) / down.length;
    const sd = Math.sqrt(down.reduce((s, v) => s + (v - m) ** 2, 0) / (down.length - 1));
    const { metrics } = analyzeSpiral(input);
    expect(metrics['pressure_mean']).toBeCloseTo(m, 12);
    expect(metrics['pressure_cv_pct']).toBeCloseTo((100 * sd) / m, 10);
    const without = analyzeSpiral({ ...input, pressure: null }).metrics;
    expect(without['pressure_mean']).toBeNull();
    expect(without['pressure_cv_pct']).toBeNull();
    expect(without['pressure_peak_frequency_hz']).toBeNull();
  });

  it('finds the dominant frequency of an oscillating pressure', () => {
    const input = waveSpiral({ pressure: (t) => 0.5 + 0.1 * Math.sin(2 * Math.PI * 7.2 * t) });
    expect(analyzeSpiral(input).metrics['pressure_peak_frequency_hz']).toBeCloseTo(7.2, 1);
  });

  it('needs 3 pen-down samples', () => {
    const few = handInput([
      [0, 0, 1, 0.5],
      [10, 1, 1, 0.5],
      [20, 2, 0, 0.5],
    ]);
    expect(() => analyzeSpiral(few)).toThrow(CodedError);
    try {
      analyzeSpiral(few);
    } catch (error) {
      expect((error as CodedError).code).toBe('E_TOO_FEW_EVENTS');
    }
  });
});

describe('spiral geometry metrics', () => {
  it('tightness, turns and residue of a perfect spiral, outward or inward, either rotation', () => {
    for (const inward of [false, true]) {
      for (const clockwise of [false, true]) {
        const { metrics, flags } = analyzeSpiral(waveSpiral({ inward, clockwise }));
        expect(metrics['spiral_tightness_mm_per_turn']).toBeCloseTo(4 * Math.PI, 6);
        expect(metrics['spiral_turn_count']).toBeCloseTo(4, 6);
        expect(metrics['spiral_fit_residue_ratio']).toBeLessThan(1e-6);
        expect(metrics['spiral_width_variability']).toBeLessThan(1e-3);
        expect(flags).not.toContain('POOR_SPIRAL_FIT');
      }
    }
  });

  it('SWVI, smoothness and zero crossings of a spiral with a known radial wave', () => {
    // r = 10 + 2θ + c·sin(kθ), k = 4.5: w(θ) = r(θ + 2π) − r(θ) = 4π − 2c·sin(kθ)
    const c = 0.5;
    const k = 4.5;
    const turns = 4;
    const { metrics } = analyzeSpiral(waveSpiral({ c, k, turns }));
    // SWVI truth from the continuous w(θ) on θ ∈ [0, 2π(turns − 1)]
    const w: number[] = [];
    for (let th = 0; th <= 2 * Math.PI * (turns - 1); th += 0.001)
      w.push(4 * Math.PI - 2 * c * Math.sin(k * th));
    const mw = w.reduce((s, v) => s + v, 0) / w.length;
    const sw = Math.sqrt(w.reduce((s, v) => s + (v - mw) ** 2, 0) / (w.length - 1));
    expect(metrics['spiral_width_variability']! / (sw / mw)).toBeGreaterThan(0.97);
    expect(metrics['spiral_width_variability']! / (sw / mw)).toBeLessThan(1.03);
    // dr/dθ − b = c·k·cos(kθ): mean square c²k²/2; d²r/dθ² = −c·k²·sin(kθ): mean square c²k⁴/2
    expect(metrics['first_order_smoothness_log']).toBeCloseTo(Math.log((c * c * k * k) / 2), 1);
    expect(metrics['second_order_smoothness_log']).toBeCloseTo(Math.log((c * c * k ** 4) / 2), 1);
    // cos(kθ) changes sign 2k times per turn
    expect(metrics['first_order_zero_crossings_per_turn']).toBeGreaterThan(2 * k - 0.3);
    expect(metrics['first_order_zero_crossings_per_turn']).toBeLessThan(2 * k + 0.3);
  });

  it('LDLJ per turn of a wide, tight spiral approaches that of a circle, −4·ln(2π)', () => {
    const { metrics } = analyzeSpiral(waveSpiral({ a: 200, b: 0.2, turns: 5, turnHz: 0.5 }));
    expect(metrics['ldlj_per_turn_median']).toBeCloseTo(-4 * Math.log(2 * Math.PI), 1);
    const shaky = analyzeSpiral(
      waveSpiral({ a: 200, b: 0.2, turns: 5, turnHz: 0.5, tremorHz: 6, tremorPpMm: 1 }),
    );
    expect(shaky.metrics['ldlj_per_turn_median']).toBeLessThan(metrics['ldlj_per_turn_median']! - 1);
  });

  it('flags POOR_SPIRAL_FIT for a circle and for less than one turn', () => {
    expect(analyzeSpiral(waveSpiral({ a: 30, b: 0, turns: 3 })).flags).toContain('POOR_SPIRAL_FIT');
    expect(analyzeSpiral(waveSpiral({ turns: 0.8, turnHz: 0.1 })).flags).toContain('POOR_SPIRAL_FIT');
  });

  it('handles a simulated drawing with gaps, duplicates and jitter', () => {
    const { input, truth } = simulateSpiral(11, {
      tremorHz: 7,
      tremorAmpPpMm: 1.2,
      gaps: 2,
      duplicates: 4,
      jitterMs: 2,
    });
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS', 'SAMPLE_GAPS']);
    const { metrics } = analyzeSpiral(input);
    expect(metrics['spiral_tightness_mm_per_turn']).toBeCloseTo(truth.tightnessMmPerTurn, 1);
    expect(Math.abs(metrics['tremor_peak_frequency_hz']! - 7)).toBeLessThan(0.2);
    expect(Math.abs(metrics['tremor_amplitude_pp_mm']! / 1.2 - 1)).toBeLessThan(0.05);
  });
});
