import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import type { PenInput } from '../inputs.js';
import type { MetricValues } from '../metric.js';
import {
  analyzeHandwriting,
  findStrokes,
  HANDWRITING_METRICS,
  handwritingAnalyzer,
  strokeFrequencyHz,
  type Stroke,
} from './handwriting.js';
import type { PenKinematics } from './kinematics.js';
import { simulateHandwriting } from './simulate-handwriting.js';
import { penInput as pen } from './test-utils/pen-input.js';

const CONTRACT_IDS = ['stroke_frequency_hz', 'niv_per_stroke', 'mean_speed_mm_per_s', 'pressure_mean'];

/**
 * Vertical strokes as half-cosines from rest to rest, sampled every 5 ms: each entry is
 * [direction, duration ms]; amplitude 5 mm; x constant. Up = towards the top of the page = y decreasing.
 */
function halfCosineStrokes(strokes: ['up' | 'down', number][], amplitudeMm = 5): PenInput {
  const t: number[] = [0];
  const y: number[] = [50];
  let now = 0;
  let level = 50;
  for (const [direction, duration] of strokes) {
    const sign = direction === 'up' ? -1 : 1;
    for (let ms = 5; ms <= duration; ms += 5) {
      t.push(now + ms);
      y.push(level + sign * (amplitudeMm / 2) * (1 - Math.cos((Math.PI * ms) / duration)));
    }
    now += duration;
    level += sign * amplitudeMm;
  }
  return pen(
    t,
    t.map(() => 10),
    y,
  );
}

/** Every metric is a finite number or null, and every catalogue ID is there. */
function expectWellFormed(metrics: MetricValues): void {
  for (const { id } of HANDWRITING_METRICS) {
    expect(Object.hasOwn(metrics, id), id).toBe(true);
    const v = metrics[id];
    expect(v === null || Number.isFinite(v), `${id} = ${v}`).toBe(true);
  }
}

describe('stroke frequency (contract: 1 / (mean up + mean down))', () => {
  it('uses the means of up- and down-strokes separately, not twice the mean stroke', () => {
    const s = (direction: 'up' | 'down', ms: number): Stroke => ({
      segment: 0,
      start: 0,
      end: 1,
      t0S: 0,
      t1S: ms / 1000,
      direction,
      amplitudeMm: 5,
    });
    const strokes = [s('up', 200), s('down', 300), s('up', 200), s('down', 300), s('up', 200)];
    expect(strokeFrequencyHz(strokes)).toBeCloseTo(2, 12); // 1/(0.2 + 0.3); 1/(2·0.24) would be 2.083
    expect(strokeFrequencyHz(strokes.filter((x) => x.direction === 'up'))).toBeNaN();
    expect(strokeFrequencyHz([])).toBeNaN();
  });

  it('recovers 2 Hz from 3 up-strokes of 200 ms and 2 down-strokes of 300 ms (end to end)', () => {
    const input = halfCosineStrokes([
      ['down', 300],
      ['up', 200],
      ['down', 300],
      ['up', 200],
      ['down', 300],
      ['up', 200],
      ['down', 300],
    ]);
    const { metrics, flags } = analyzeHandwriting(input);
    expect(metrics.stroke_count).toBe(5); // the first and last strokes start or end at a pen edge
    expect(metrics.stroke_frequency_hz! / 2).toBeCloseTo(1, 2);
    expect(metrics.stroke_duration_mean_ms).toBeCloseTo(240, -1);
    expect(metrics.niv_per_stroke).toBe(1);
    expect(metrics.stroke_amplitude_mean_mm).toBeGreaterThan(4.8);
    expect(metrics.stroke_amplitude_mean_mm).toBeLessThan(5.01);
    // raw samples: 7 strokes × 5 mm in 1.8 s
    expect(metrics.mean_speed_mm_per_s).toBeCloseTo(35 / 1.8, 9);
    expect(metrics.pressure_mean).toBeNull();
    expect(metrics.pen_lift_count).toBe(0);
    expect(flags).toEqual([]);
  });

  it('recovers the simulated stroke frequency within 2 % for 2–7 Hz at 60–240 Hz jittered sampling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 2, max: 7, noNaN: true }),
        fc.integer({ min: 60, max: 240 }),
        (seed, strokeHz, fsHz) => {
          const { input, truth } = simulateHandwriting(seed, {
            strokeHz,
            fsHz,
            jitterPct: 25,
            dropPct: 3,
            cycleCvPct: 5,
            durationS: 10,
          });
          const { metrics } = analyzeHandwriting(input);
          expect(Math.abs(metrics.stroke_frequency_hz! / truth.strokeHz - 1)).toBeLessThan(0.02);
        },
      ),
      { seed: 11, numRuns: 25 },
    );
  });
});

describe('NIV per stroke', () => {
  it('is 1 for fluent simulated loops (property: 2–7 Hz strokes, 60–240 Hz sampling)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 2, max: 7, noNaN: true }),
        fc.integer({ min: 60, max: 240 }),
        (seed, strokeHz, fsHz) => {
          const { input, truth } = simulateHandwriting(seed, { strokeHz, fsHz, durationS: 8, cycleCvPct: 5 });
          expect(truth.fluent).toBe(true);
          const { metrics } = analyzeHandwriting(input);
          expect(Math.abs(metrics.niv_per_stroke! - 1)).toBeLessThanOrEqual(0.05);
        },
      ),
      { seed: 12, numRuns: 25 },
    );
  });

  it('is about 2 with a mid-stroke hesitation inside the 10-Hz band (property: 2–2.5 Hz strokes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 2, max: 2.5, noNaN: true }),
        fc.integer({ min: 60, max: 240 }),
        (seed, strokeHz, fsHz) => {
          const { input } = simulateHandwriting(seed, { strokeHz, fsHz, durationS: 8, hesitation: 0.5 });
          const { metrics } = analyzeHandwriting(input);
          expect(metrics.niv_per_stroke!).toBeGreaterThanOrEqual(1.8);
          expect(metrics.niv_per_stroke!).toBeLessThanOrEqual(2.2);
        },
      ),
      { seed: 13, numRuns: 15 },
    );
  });

  it('rises with an 8-Hz tremor on slow writing, and LDLJ falls', () => {
    const fluent = analyzeHandwriting(simulateHandwriting(5, { strokeHz: 2, fsHz: 200 }).input).metrics;
    const shaky = analyzeHandwriting(
      simulateHandwriting(5, { strokeHz: 2, fsHz: 200, tremor: { hz: 8, amplitudeMm: 1 } }).input,
    ).metrics;
    expect(fluent.niv_per_stroke).toBe(1);
    expect(shaky.niv_per_stroke!).toBeGreaterThan(1.5);
    expect(shaky.nca_per_stroke!).toBeGreaterThan(fluent.nca_per_stroke!);
    expect(shaky.ldlj_stroke_median!).toBeLessThan(fluent.ldlj_stroke_median! - 1);
    expect(Math.abs(shaky.stroke_frequency_hz! / 2 - 1)).toBeLessThan(0.02);
  });
});

describe('stroke segmentation noise guard (30 ms / 0.5 mm)', () => {
  /** Kinematics from a vertical velocity on a 200 Hz grid (y by the trapezoidal rule). */
  function fromVy(vy: Float64Array): PenKinematics {
    const n = vy.length;
    const dtS = 1 / 200;
    const y = new Float64Array(n);
    for (let i = 1; i < n; i++) y[i] = y[i - 1]! + ((vy[i]! + vy[i - 1]!) / 2) * dtS;
    const zeros = new Float64Array(n);
    return {
      fs: 200,
      dtS,
      tS: Float64Array.from({ length: n }, (_, i) => i * dtS),
      x: zeros,
      y,
      vx: zeros,
      vy,
      speed: vy.map(Math.abs),
      ax: zeros,
      ay: zeros,
      acc: zeros,
      tangentialAcc: zeros,
      filtered: true,
    };
  }
  // 2 Hz cycles: vy = 50·sin(4πt) → strokes of 250 ms, 7.96 mm, from t = 0 to 2 s
  const base = Float64Array.from({ length: 401 }, (_, i) => 50 * Math.sin(4 * Math.PI * (i / 200 + 0.01)));

  it('merges a brief velocity reversal (< 30 ms, < 0.5 mm) into its stroke', () => {
    const clean = findStrokes(fromVy(base));
    const blip = base.map((v, i) => v + 80 * Math.exp(-(((i / 200 - 0.365) / 0.004) ** 2)));
    const raw = blip.filter((v, i) => i > 0 && Math.sign(v) !== Math.sign(blip[i - 1]!)).length;
    expect(raw).toBe(base.filter((v, i) => i > 0 && Math.sign(v) !== Math.sign(base[i - 1]!)).length + 2);
    const merged = findStrokes(fromVy(blip));
    expect(merged.length).toBe(clean.length);
    expect(merged.map((s) => s.direction)).toEqual(clean.map((s) => s.direction));
    expect(strokeFrequencyHz(merged)).toBeCloseTo(2, 6);
  });

  it('merges slow wiggles with little travel (a pause) and alternates directions', () => {
    // pause from 0.74 s to 1.26 s: vy = ±3 mm/s at 8 Hz (crossings 62 ms apart, travel 0.12 mm)
    const paused = base.map((v, i) => {
      const t = i / 200;
      return t > 0.74 && t < 1.26 ? 3 * Math.sin(2 * Math.PI * 8 * (t - 0.74)) : v;
    });
    const strokes = findStrokes(fromVy(paused));
    for (const s of strokes) {
      expect(s.amplitudeMm).toBeGreaterThanOrEqual(0.5);
      expect((s.t1S - s.t0S) * 1000).toBeGreaterThanOrEqual(30);
    }
    for (let k = 1; k < strokes.length; k++)
      expect(strokes[k]!.direction).not.toBe(strokes[k - 1]!.direction);
  });

  it('labels strokes with vy < 0 as up (y grows downwards)', () => {
    const strokes = findStrokes(fromVy(base));
    for (const s of strokes) {
      const mid = Math.floor((s.start + s.end) / 2);
      expect(s.direction).toBe(base[mid]! < 0 ? 'up' : 'down');
    }
  });
});

describe('pressure, lifts, gaps and times on a constructed recording', () => {
  // three pen-down segments of 10 samples every 10 ms moving 1 mm per sample: A (pressure 0.4), hover
  // samples (pen up, pressure 0), B (0.6), an 80-ms gap with the pen down, C (0.8)
  const t: number[] = [];
  const down: number[] = [];
  const p: number[] = [];
  const add = (from: number, value: number, isDown: number) => {
    for (let k = 0; k < 10; k++) {
      t.push(from + 10 * k);
      down.push(isDown);
      p.push(value);
    }
  };
  add(0, 0.4, 1);
  add(100, 0, 0);
  add(200, 0.6, 1);
  add(370, 0.8, 1);
  const x = t.map((_, i) => i);
  const input = pen(
    t,
    x,
    t.map(() => 20),
    { pressure: Float64Array.from(p), penDown: Uint8Array.from(down) },
  );
  const { metrics, flags } = analyzeHandwriting(input);

  it('takes pressure over pen-down samples only', () => {
    expect(metrics.pressure_mean).toBeCloseTo(0.6, 12);
    // sample SD of 10×0.4, 10×0.6, 10×0.8: √(0.8/29) = 0.166091; / 0.6
    expect(metrics.pressure_cv_pct).toBeCloseTo((Math.sqrt(0.8 / 29) / 0.6) * 100, 9);
    expect(metrics.pressure_saturation_pct).toBe(0);
  });

  it('counts the lift, its air time, and paper time with the pen-down gap', () => {
    expect(metrics.pen_lift_count).toBe(1);
    expect(metrics.air_time_s).toBeCloseTo(0.11, 12); // 90 → 200 ms
    expect(metrics.paper_time_s).toBeCloseTo(0.27 + 0.08, 12); // 3 × 90 ms + the 290 → 370 ms gap
    expect(metrics.total_writing_time_s).toBeCloseTo(0.46, 12);
    expect(metrics.mean_speed_mm_per_s).toBeCloseTo(100, 9); // 9 mm per 90 ms in every segment
    expect(flags).toContain('PEN_LIFTS');
    expect(flags).toContain('SAMPLE_GAPS');
  });

  it('leaves stroke metrics null and flags TOO_FEW_EVENTS without strokes', () => {
    expect(metrics.stroke_frequency_hz).toBeNull();
    expect(metrics.niv_per_stroke).toBeNull();
    expect(metrics.break_count).toBeNull();
    expect(metrics.stroke_count).toBe(0);
    expect(flags).toContain('TOO_FEW_EVENTS');
    expectWellFormed(metrics);
  });

  it('reads pressure as absent without the column', () => {
    const noPressure = analyzeHandwriting({ ...input, pressure: null }).metrics;
    expect(noPressure.pressure_mean).toBeNull();
    expect(noPressure.pressure_cv_pct).toBeNull();
    expect(noPressure.pressure_saturation_pct).toBeNull();
  });
});

describe('lifts and breaks on simulated words', () => {
  for (const hover of [true, false]) {
    it(`counts lifts, breaks inside words and air time (${hover ? 'hover samples' : 'no hover samples'})`, () => {
      const { input, truth } = simulateHandwriting(8, {
        cyclesPerWord: 6,
        breaksPerWord: 1,
        durationS: 20,
        hover,
        liftMs: 300,
        fsHz: 100,
        jitterPct: 0,
        dropPct: 0,
      });
      expect(truth.penLifts).toBeGreaterThan(10);
      const { metrics, flags } = analyzeHandwriting(input);
      expect(metrics.pen_lift_count).toBe(truth.penLifts);
      expect(metrics.break_count).toBe(truth.breaks);
      // each lift lasts 300 ms plus at most one sample interval
      expect(metrics.air_time_s!).toBeGreaterThanOrEqual(truth.penLifts * 0.3 - 1e-9);
      expect(metrics.air_time_s!).toBeLessThanOrEqual(truth.penLifts * 0.31 + 1e-9);
      expect(flags).toContain('PEN_LIFTS');
      expect(flags).not.toContain('SAMPLE_GAPS');
      expect(Math.abs(metrics.stroke_frequency_hz! / truth.strokeHz - 1)).toBeLessThan(0.02);
    });
  }

  it('treats long pen-down gaps as gaps, not lifts', () => {
    const { input, truth } = simulateHandwriting(9, { longGaps: 3, dropPct: 0 });
    expect(truth.longGaps).toBe(3);
    const { metrics, flags } = analyzeHandwriting(input);
    expect(metrics.pen_lift_count).toBe(0);
    expect(metrics.air_time_s).toBe(0);
    expect(flags).toContain('SAMPLE_GAPS');
    expect(flags).not.toContain('PEN_LIFTS');
  });
});

describe('build-up slopes over 30-s windows', () => {
  it('recovers a stroke frequency falling 10 %/min and pressure rising 0.1/min over 2 min', () => {
    const { input } = simulateHandwriting(21, {
      durationS: 120.5,
      strokeHz: 5,
      strokeHzDriftPctPerMin: -10,
      pressureMean: 0.4,
      pressureDriftPerMin: 0.1,
    });
    const { metrics } = analyzeHandwriting(input);
    // windows centred at 0.25, 0.75, 1.25, 1.75 min: f = f0(1 − 0.1·c); slope / mean = −10 / (1 − 0.1·1)
    expect(metrics.stroke_frequency_slope_pct_per_min!).toBeCloseTo(-10 / 0.9, 0);
    // p = 0.4 + 0.1·c: slope 0.1 / mean 0.5
    expect(metrics.pressure_slope_pct_per_min!).toBeCloseTo(20, 0);
  });

  it('is null for recordings shorter than two windows', () => {
    const { metrics } = analyzeHandwriting(simulateHandwriting(22, { durationS: 50 }).input);
    expect(metrics.stroke_frequency_slope_pct_per_min).toBeNull();
    expect(metrics.pressure_slope_pct_per_min).toBeNull();
  });
});

describe('invariance', () => {
  const close = (a: MetricValues, b: MetricValues) => {
    for (const { id } of HANDWRITING_METRICS) {
      const u = a[id]!;
      const v = b[id]!;
      if (u === null || v === null) expect(u, id).toBe(v);
      else
        expect(Math.abs(u - v), `${id}: ${u} vs ${v}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(u)));
    }
  };

  it('gives the same metrics after a time shift and a translation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: -1e6, max: 1e7, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (seed, shiftMs, dx, dy) => {
          const { input } = simulateHandwriting(seed, { durationS: 6, cyclesPerWord: 7, breaksPerWord: 1 });
          const moved: PenInput = {
            ...input,
            tMs: input.tMs.map((t) => t + shiftMs),
            xMm: input.xMm.map((x) => x + dx),
            yMm: input.yMm.map((y) => y + dy),
          };
          close(analyzeHandwriting(input).metrics, analyzeHandwriting(moved).metrics);
        },
      ),
      { seed: 14, numRuns: 15 },
    );
  });

  it('does not depend on whether y grows up or down (mirrored y)', () => {
    const { input } = simulateHandwriting(15, { cycleCvPct: 8, cyclesPerWord: 9 });
    const mirrored: PenInput = { ...input, yMm: input.yMm.map((y) => -y) };
    close(analyzeHandwriting(input).metrics, analyzeHandwriting(mirrored).metrics);
  });
});

describe('bad and degenerate input: nulls and flags, never NaN, never a throw', () => {
  const cases: [string, PenInput][] = [
    ['no samples', pen([], [], [])],
    ['one sample', pen([0], [1], [2], { pressure: Float64Array.of(0.3) })],
    ['two samples', pen([0, 10], [1, 2], [2, 2])],
    [
      'all pen up',
      pen([0, 10, 20, 30], [0, 1, 2, 3], [0, 0, 0, 0], {
        penDown: Uint8Array.of(0, 0, 0, 0),
        pressure: Float64Array.of(0, 0, 0, 0),
      }),
    ],
    [
      'zero movement for 2 s',
      pen(
        Array.from({ length: 200 }, (_, i) => i * 10),
        Array.from({ length: 200 }, () => 5),
        Array.from({ length: 200 }, () => 7),
      ),
    ],
    [
      'a horizontal line (no vertical strokes)',
      pen(
        Array.from({ length: 200 }, (_, i) => i * 10),
        Array.from({ length: 200 }, (_, i) => i * 0.3),
        Array.from({ length: 200 }, () => 7),
      ),
    ],
    [
      'many segments too short to filter',
      pen(
        Array.from({ length: 40 }, (_, i) => i * 10 + Math.floor(i / 4) * 100),
        Array.from({ length: 40 }, (_, i) => Math.sin(i)),
        Array.from({ length: 40 }, (_, i) => Math.cos(i)),
      ),
    ],
  ];
  for (const [name, input] of cases) {
    it(name, () => {
      const { metrics, flags } = analyzeHandwriting(input);
      expectWellFormed(metrics);
      expect(flags).toContain('TOO_FEW_EVENTS');
      expect(metrics.stroke_frequency_hz).toBeNull();
      expect(metrics.niv_per_stroke).toBeNull();
    });
  }

  it('keeps what can be computed: pressure of one sample, zero speed of a still pen', () => {
    expect(analyzeHandwriting(cases[1]![1]).metrics.pressure_mean).toBe(0.3);
    expect(analyzeHandwriting(cases[1]![1]).metrics.mean_speed_mm_per_s).toBeNull(); // no pen-down time
    expect(analyzeHandwriting(cases[3]![1]).metrics.pressure_mean).toBeNull();
    expect(analyzeHandwriting(cases[4]![1]).metrics.mean_speed_mm_per_s).toBe(0);
  });
});

describe('flags and the registry', () => {
  it('flags pressure saturation and a low sampling rate', () => {
    const saturated = analyzeHandwriting(simulateHandwriting(31, { pressureMean: 0.97 }).input);
    expect(saturated.metrics.pressure_saturation_pct!).toBeGreaterThan(5);
    expect(saturated.flags).toContain('PRESSURE_SATURATION');
    const slow = analyzeHandwriting(simulateHandwriting(32, { fsHz: 40, strokeHz: 3 }).input);
    expect(slow.flags).toContain('LOW_SAMPLING_RATE');
    expect(analyzeHandwriting(simulateHandwriting(33, {}).input).flags).toEqual([]);
  });

  it('is registered: analyze() returns every catalogue ID, the contract IDs numeric', () => {
    const { input } = simulateHandwriting(34, { cyclesPerWord: 10 });
    const out = analyze(input);
    expect(out.task).toBe('handwriting');
    expect(Object.keys(out.metrics).sort()).toEqual(HANDWRITING_METRICS.map((m) => m.id).sort());
    for (const id of CONTRACT_IDS) expect(typeof out.metrics[id]).toBe('number');
    expect(out.quality_flags).toEqual(['PEN_LIFTS']);
    expect(handwritingAnalyzer.metrics).toBe(HANDWRITING_METRICS);
  });

  it('has unique snake_case IDs, the contract ones marked as such', () => {
    const ids = HANDWRITING_METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    expect(HANDWRITING_METRICS.filter((m) => m.origin === 'contract').map((m) => m.id)).toEqual(CONTRACT_IDS);
    for (const m of HANDWRITING_METRICS) {
      expect(m.task).toBe('handwriting');
      expect(m.citation).toMatch(/measures\.md §4|Analysis contract/);
    }
  });
});

describe('handwriting with a corrupt time stamp', () => {
  it('returns (build-up null) instead of allocating a window per 30 s of a 1e300 ms span', () => {
    const n = 50;
    const tMs = Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? 1e300 : i * 5));
    const xMm = Float64Array.from({ length: n }, (_, i) => i * 0.2);
    const yMm = Float64Array.from({ length: n }, (_, i) => 5 * Math.sin(i / 3));
    const result = handwritingAnalyzer.analyze(pen(tMs, xMm, yMm), { hand: null });
    expect(result.metrics.stroke_frequency_slope_pct_per_min ?? null).toBeNull();
    expect(result.metrics.stroke_count).toBeGreaterThan(0);
  });
});
