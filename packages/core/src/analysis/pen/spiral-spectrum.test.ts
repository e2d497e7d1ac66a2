import { describe, expect, it } from 'vitest';
import { pooledWelch, SPECTRUM_FS_HZ, tremorPeak } from './spiral-spectrum.js';

/** A spectrum on 0, 0.5, … 50 Hz with a flat background and given values at some frequencies. */
function spectrum(background: number, peaks: Record<number, number>) {
  const f = Float64Array.from({ length: 101 }, (_, k) => k * 0.5);
  const psd = Float64Array.from(f, (fk) => peaks[fk] ?? background);
  return { f, psd };
}

const sine = (n: number, hz: number, amp: number, phase = 0) =>
  Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / SPECTRUM_FS_HZ + phase));

describe('tremorPeak', () => {
  it('refines the maximum bin by the log-parabola and sums the band power within ±1 Hz', () => {
    const s = spectrum(0.01, { 5.5: 0.5, 6: 1, 6.5: 0.25 });
    const peak = tremorPeak(s)!;
    // vertex of the parabola through (5.5, ln 0.5), (6, ln 1), (6.5, ln 0.25)
    const [y0, y1, y2] = [Math.log(0.5), 0, Math.log(0.25)];
    const vertex = 6 + (0.5 * 0.5 * (y0 - y2)) / (y0 - 2 * y1 + y2);
    expect(peak.frequencyHz).toBeCloseTo(vertex, 12);
    // bins within 1 Hz of ~5.93 Hz: 5, 5.5, 6, 6.5 (background, 0.5, 1, 0.25) → ×0.5 Hz
    expect(peak.bandPower).toBeCloseTo((0.01 + 0.5 + 1 + 0.25) * 0.5, 12);
    expect(peak.amplitudePp).toBeCloseTo(2 * Math.SQRT2 * Math.sqrt(peak.bandPower), 12);
    // total power 1–20 Hz: 39 bins, 36 of them background
    expect(peak.relativeBandPower).toBeCloseTo(peak.bandPower / ((36 * 0.01 + 1.75) * 0.5), 12);
    expect(peak.peakToBackground).toBeCloseTo(100, 12);
    expect(peak.stoodOut).toBe(true);
  });

  it('only searches 3–12 Hz and keeps the refined peak inside the band', () => {
    const s = spectrum(0.01, { 2: 5, 12: 0.5, 12.5: 1 });
    const peak = tremorPeak(s)!;
    expect(peak.frequencyHz).toBe(12); // the band-edge bin, not a local maximum
    expect(peak.stoodOut).toBe(false);
  });

  it('says a weak peak (< 5× the background ring) did not stand out', () => {
    expect(tremorPeak(spectrum(0.01, { 7: 0.049 }))!.stoodOut).toBe(false);
    expect(tremorPeak(spectrum(0.01, { 7: 0.051 }))!.stoodOut).toBe(true);
  });

  it('says a peak of rounding error (A_pp < 10⁻⁹ mm) did not stand out, whatever its shape', () => {
    // the same shape scaled: 100× the background ring; A_pp = 2√2·√(P_band) with P_band ≈ 0.5·psd
    const tiny = tremorPeak(spectrum(1e-22, { 7: 1e-20 }))!;
    expect(tiny.amplitudePp).toBeLessThan(1e-9);
    expect(tiny.peakToBackground).toBeCloseTo(100, 9);
    expect(tiny.stoodOut).toBe(false);
    const small = tremorPeak(spectrum(1e-18, { 7: 1e-16 }))!;
    expect(small.amplitudePp).toBeGreaterThan(1e-9);
    expect(small.stoodOut).toBe(true);
  });

  it('says a peak within ±0.25 Hz of a turn-frequency harmonic (k ≤ 5) is drawing rhythm', () => {
    const s = spectrum(0.01, { 6: 1 });
    expect(tremorPeak(s, 1.5)!.stoodOut).toBe(false); // 4 × 1.5 Hz
    expect(tremorPeak(s, 0.5)!.stoodOut).toBe(true); // 12th harmonic: beyond k = 5
    expect(tremorPeak(s, 1.4)!.stoodOut).toBe(true); // 5.6 Hz and 7 Hz: > 0.25 Hz away
    expect(tremorPeak(s, null)!.stoodOut).toBe(true);
  });

  it('is null without power in 3–12 Hz', () => {
    expect(tremorPeak(spectrum(0, {}))).toBeNull();
  });
});

describe('pooledWelch', () => {
  it('recovers a sinusoid: band power = amplitude²/2, A_pp = 2·amplitude', () => {
    const spec = pooledWelch([[sine(1000, 6, 0.4)]])!;
    expect(spec.windows).toBe(9); // ⌊(1000 − 100)/100⌋
    const peak = tremorPeak(spec)!;
    expect(peak.frequencyHz).toBeCloseTo(6, 4);
    expect(peak.amplitudePp).toBeCloseTo(0.8, 2);
  });

  it('sums the channels of a segment and averages segments by their number of windows', () => {
    const a = sine(600, 5, 1); // 5 windows
    const b = sine(200, 5, 2); // 1 window
    const short = sine(150, 5, 100); // shorter than a window: left out
    const pooled = pooledWelch([[a], [b], [short]])!;
    const sa = pooledWelch([[a]])!;
    const sb = pooledWelch([[b]])!;
    expect(pooled.windows).toBe(6);
    pooled.psd.forEach((p, k) => expect(p).toBeCloseTo((5 * sa.psd[k]! + sb.psd[k]!) / 6, 10));
    const twoChannels = pooledWelch([[a, a]])!;
    twoChannels.psd.forEach((p, k) => expect(p).toBeCloseTo(2 * sa.psd[k]!, 10));
    expect(pooledWelch([[short]])).toBeNull();
  });
});
