import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { seededRandom } from '../random.js';
import butterFixture from './fixtures/butter.json' with { type: 'json' };
import filtFixture from './fixtures/sosfiltfilt.json' with { type: 'json' };
import {
  butter,
  sosfilt,
  sosfiltfilt,
  sosfiltfiltPadlen,
  sosfiltZi,
  sosResponse,
  type FilterType,
  type Sos,
} from './filter.js';
import { expectAllClose, expectClose } from './test-utils/close.js';

type Cutoff = number | [number, number];
const gain = (sos: Sos, f: number, fs: number) =>
  Math.hypot(sosResponse(sos, f, fs).re, sosResponse(sos, f, fs).im);

describe('butter vs scipy.signal.butter(output="sos")', () => {
  for (const c of butterFixture.cases) {
    it(`${c.type} order ${c.order} ${JSON.stringify(c.cutoff)} Hz at ${c.fs} Hz`, () => {
      const sos = butter(c.order, c.cutoff as Cutoff, c.fs, c.type as FilterType);
      expect(sos.length).toBe(c.sos.length);
      // coefficients are O(1) (a's, normalised b's) except the first section's gain-scaled b's:
      // the floor is tied to each section's largest |coefficient|
      sos.forEach((s, i) => expectAllClose(s, c.sos[i]!, undefined, `section ${i}`));
    });
  }
});

describe('sosfilt, sosfilt_zi and sosfiltfilt vs scipy', () => {
  for (const c of filtFixture.cases) {
    it(c.name, () => {
      const sos = butter(c.order, c.cutoff as Cutoff, c.fs, c.type as FilterType);
      expectAllClose(sos.flat(), c.sos.flat(), undefined, 'sos');
      expect(sosfiltfiltPadlen(sos)).toBe(c.padlen);
      expectAllClose(sosfiltZi(sos), c.zi, undefined, 'zi');
      expectAllClose(sosfilt(sos, c.x), c.sosfilt, undefined, 'sosfilt');
      expectAllClose(sosfiltfilt(sos, c.x), c.y, undefined, 'sosfiltfilt');
    });
  }

  it('throws E_TOO_FEW_EVENTS when the signal is not longer than padlen', () => {
    const sos = butter(4, [2, 20], 100, 'bandpass');
    const pad = sosfiltfiltPadlen(sos);
    expect(pad).toBe(27);
    expect(sosfiltfilt(sos, new Float64Array(pad + 1)).length).toBe(pad + 1);
    let caught: unknown;
    try {
      sosfiltfilt(sos, new Float64Array(pad));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CodedError);
    expect((caught as CodedError).code).toBe('E_TOO_FEW_EVENTS');
    expect((caught as CodedError).message).toMatch(/27/);
  });
});

describe('filter known truth', () => {
  const designs: [number, Cutoff, number, FilterType][] = [
    [2, 10, 100, 'lowpass'],
    [2, 10, 60, 'lowpass'],
    [4, 10, 240, 'lowpass'],
    [3, 7, 200, 'lowpass'],
    [2, 0.5, 100, 'highpass'],
    [4, 5, 240, 'highpass'],
    [4, [2, 20], 100, 'bandpass'],
    [4, [2, 27], 60, 'bandpass'],
    [2, [2, 20], 240, 'bandpass'],
  ];
  for (const [order, cutoff, fs, type] of designs) {
    it(`${type} ${order} ${JSON.stringify(cutoff)} Hz at ${fs} Hz is −3 dB at its cut-off(s)`, () => {
      const sos = butter(order, cutoff, fs, type);
      for (const f of typeof cutoff === 'number' ? [cutoff] : cutoff) {
        expectClose(gain(sos, f, fs), Math.SQRT1_2, 1, `gain at ${f} Hz`);
      }
      if (type === 'lowpass') expectClose(gain(sos, 0, fs), 1, 1, 'DC gain');
      if (type === 'highpass') expectClose(gain(sos, fs / 2, fs), 1, 1, 'Nyquist gain');
      if (type === 'bandpass') {
        const [lo, hi] = cutoff as [number, number];
        // the analog centre √(lo·hi) maps (prewarped) to the digital passband centre: gain 1 there
        const w0 = Math.sqrt(Math.tan((Math.PI * lo) / fs) * Math.tan((Math.PI * hi) / fs));
        expectClose(gain(sos, (fs / Math.PI) * Math.atan(w0), fs), 1, 1, 'centre gain');
      }
    });
  }

  it('sosfiltfilt has zero phase on a passband sine (and squared gain)', () => {
    const fs = 100;
    const f0 = 6;
    const n = 2000;
    const sos = butter(4, [2, 20], fs, 'bandpass');
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f0 * i) / fs));
    const y = sosfiltfilt(sos, x);
    // least-squares fit of y = a·sin + b·cos in the middle (away from edge transients): b ≈ 0
    let ss = 0;
    let sc = 0;
    let cc = 0;
    let ys = 0;
    let yc = 0;
    for (let i = 500; i < 1500; i++) {
      const s = Math.sin((2 * Math.PI * f0 * i) / fs);
      const c = Math.cos((2 * Math.PI * f0 * i) / fs);
      ss += s * s;
      sc += s * c;
      cc += c * c;
      ys += y[i]! * s;
      yc += y[i]! * c;
    }
    const det = ss * cc - sc * sc;
    const a = (ys * cc - yc * sc) / det;
    const b = (yc * ss - ys * sc) / det;
    const phase = Math.atan2(b, a);
    expect(Math.abs(phase)).toBeLessThan(1e-6);
    expectClose(Math.hypot(a, b), gain(sos, f0, fs) ** 2, 1, 'amplitude = |H|²');
  });

  it('a single sosfilt pass of the same sine lags (non-zero phase), so the zero-phase test can fail', () => {
    const fs = 100;
    const sos = butter(2, 10, fs, 'lowpass');
    const h = sosResponse(sos, 6, fs);
    expect(Math.abs(Math.atan2(h.im, h.re))).toBeGreaterThan(0.3);
  });

  it('removes a constant through a high-pass and keeps it through a low-pass (steady-state start)', () => {
    const rng = seededRandom(3);
    const x = Float64Array.from({ length: 500 }, () => 5 + rng.normal(0, 0.01));
    const lp = sosfiltfilt(butter(2, 10, 100, 'lowpass'), x);
    const hp = sosfiltfilt(butter(2, 0.5, 100, 'highpass'), x);
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(lp[i]! - 5)).toBeLessThan(0.05);
      expect(Math.abs(hp[i]!)).toBeLessThan(0.05);
    }
  });

  it('rejects cut-offs at or above Nyquist with E_INPUT_VALUE, and bad designs with RangeError', () => {
    expect(() => butter(2, 10, 20, 'lowpass')).toThrow(CodedError);
    expect(() => butter(2, [2, 31], 60, 'bandpass')).toThrow(/sampling rate/);
    expect(() => butter(0, 10, 100, 'lowpass')).toThrow(RangeError);
    expect(() => butter(2, [20, 2], 100, 'bandpass')).toThrow(RangeError);
    expect(() => butter(2, 10, 100, 'bandpass')).toThrow(RangeError);
  });

  it('sosfilt continues across calls through zi (chunked = whole)', () => {
    const sos = butter(4, [2, 20], 100, 'bandpass');
    const rng = seededRandom(9);
    const x = Float64Array.from({ length: 300 }, () => rng.normal());
    const whole = sosfilt(sos, x);
    const zi = new Float64Array(2 * sos.length);
    const a = sosfilt(sos, x.subarray(0, 123), zi);
    const b = sosfilt(sos, x.subarray(123), zi);
    expectAllClose([...a, ...b], whole, 1e-9);
  });
});
