import { describe, expect, it } from 'vitest';
import { parabolicPeak } from './peak.js';
import { welch } from './welch.js';

describe('parabolicPeak', () => {
  it('returns the vertex of an exact parabola (uneven spacing too)', () => {
    const vertex = 5.3;
    const f = [4, 5, 6.5];
    const y = f.map((x) => 2 - 0.7 * (x - vertex) ** 2);
    const p = parabolicPeak(f, y, 1);
    expect(p.f).toBeCloseTo(vertex, 12);
    expect(p.y).toBeCloseTo(2, 12);
  });

  it('refines a Welch peak of an off-bin sine on log-PSD to within a fraction of a bin', () => {
    const fs = 100;
    const f0 = 6.1; // bins are 100/256 = 0.39 Hz: 6.1 Hz lies between bins 15 and 16
    const x = Float64Array.from({ length: 5000 }, (_, i) => Math.sin((2 * Math.PI * f0 * i) / fs));
    const { f, psd } = welch(x, fs);
    let best = 0;
    for (let k = 1; k < psd.length; k++) if (psd[k]! > psd[best]!) best = k;
    const p = parabolicPeak(f, Array.from(psd, Math.log), best);
    expect(Math.abs(p.f - f0)).toBeLessThan(0.03);
    expect(Math.abs(f[best]! - f0)).toBeGreaterThan(0.05); // the refinement did something
  });

  it('falls back to the bin at the edges and for non-peaks', () => {
    expect(parabolicPeak([1, 2, 3], [3, 2, 1], 0)).toEqual({ f: 1, y: 3 });
    expect(parabolicPeak([1, 2, 3], [3, 2, 1], 2)).toEqual({ f: 3, y: 1 });
    expect(parabolicPeak([1, 2, 3], [1, 0, 1], 1)).toEqual({ f: 2, y: 0 });
    expect(parabolicPeak([1, 2, 3], [1, 1, 1], 1)).toEqual({ f: 2, y: 1 });
  });
});
