import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import fixture from './fixtures/welch.json' with { type: 'json' };
import { expectAllClose } from './test-utils/close.js';
import { hannPeriodic, welch, type WelchOptions } from './welch.js';

describe('welch vs scipy.signal.welch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const { f, psd } = welch(c.x, c.fs, c.options as WelchOptions);
      expectAllClose(f, c.f, undefined, 'f');
      expectAllClose(psd, c.psd, undefined, 'psd');
    });
  }
});

describe('welch known truth', () => {
  it('finds a pure sine at its frequency (bin-centred) with the right power', () => {
    const fs = 100;
    const n = 256 * 8;
    const f0 = (fs / 256) * 20; // exactly on bin 20
    const amp = 2;
    const x = Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f0 * i) / fs + 0.3));
    const { f, psd } = welch(x, fs, { nperseg: 256 });
    let best = 0;
    for (let k = 1; k < psd.length; k++) if (psd[k]! > psd[best]!) best = k;
    expect(f[best]).toBeCloseTo(f0, 12);
    // density: Σ PSD·Δf over the peak's main lobe = the sine's variance amp²/2
    const df = f[1]! - f[0]!;
    let power = 0;
    for (let k = best - 2; k <= best + 2; k++) power += psd[k]! * df;
    expect(power).toBeCloseTo((amp * amp) / 2, 10);
    // spectrum scaling (1/(Σw)²): a bin-centred sine of amplitude A has |X| = A·Σw/2 in its bin,
    // so the one-sided (doubled) peak is A²/2
    const spec = welch(x, fs, { nperseg: 256, scaling: 'spectrum' });
    expect(spec.psd[best]).toBeCloseTo((amp * amp) / 2, 10);
  });

  it('keeps Parseval: Σ PSD·Δf ≈ variance for white noise', () => {
    const rng = seededRandom(7);
    const fs = 60;
    const n = 60_000;
    const sd = 1.7;
    const x = Float64Array.from({ length: n }, () => rng.normal(0, sd));
    const { f, psd } = welch(x, fs, { nperseg: 154 });
    const df = f[1]! - f[0]!;
    let total = 0;
    for (let k = 0; k < psd.length; k++) total += psd[k]! * df;
    // the one-sided sum misses half of the (tiny) DC bin; with 779 averaged segments the estimate
    // is within ~2 % of the variance
    expect(total / (sd * sd)).toBeGreaterThan(0.97);
    expect(total / (sd * sd)).toBeLessThan(1.03);
    // and flat: the mean PSD is σ²/(fs/2)
    const inner = psd.subarray(5, psd.length - 5);
    const meanPsd = inner.reduce((s, v) => s + v, 0) / inner.length;
    expect(meanPsd / ((sd * sd) / (fs / 2))).toBeCloseTo(1, 1);
  });

  it('uses the signal length when nperseg is larger (scipy behaviour) and returns empty for empty input', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const a = welch(x, 10, { nperseg: 256 });
    const b = welch(x, 10, { nperseg: 50 });
    expect(a.f.length).toBe(26);
    expectAllClose(a.psd, b.psd);
    const e = welch([], 10);
    expect(e.f.length).toBe(0);
    expect(e.psd.length).toBe(0);
  });

  it('rejects invalid options', () => {
    const x = new Float64Array(100);
    expect(() => welch(x, 10, { nperseg: 20, noverlap: 20 })).toThrow(RangeError);
    expect(() => welch(x, 10, { nperseg: 20, nfft: 10 })).toThrow(RangeError);
    expect(() => welch(x, 0)).toThrow(RangeError);
    expect(() => welch(x, 10, { nperseg: 0 })).toThrow(RangeError);
  });

  it('builds the periodic Hann window', () => {
    const w = hannPeriodic(4);
    expectAllClose(w, [0, 0.5, 1, 0.5], 1e-12);
    expect(hannPeriodic(1)[0]).toBe(1);
  });
});
