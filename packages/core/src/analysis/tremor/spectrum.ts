/**
 * The spectral steps of the tremor analysis (measures.md §7.3 with corrections 1, 8–11, 20): zero-phase
 * band-pass, the sum of the axis Welch PSDs, the refined peak in 3–12 Hz, band and relative power, and
 * the classification of a spectrum as "tremor" (the occurrence criterion).
 */
import { butter, sosfiltfilt } from '../dsp/filter.js';
import { parabolicPeak } from '../dsp/peak.js';
import { median } from '../dsp/stats.js';
import { welch } from '../dsp/welch.js';
import { TREMOR_SETTINGS } from './settings.js';

/** A one-sided density PSD (units²/Hz) on bins k·Δf. */
export interface SummedSpectrum {
  f: Float64Array;
  psd: Float64Array;
  /** Bin width Δf = fs / nperseg, Hz. */
  df: number;
}

/** The upper band-pass edge for a sampling rate: min(20 Hz, 0.45·fs). */
export function bandHighHz(fs: number): number {
  return Math.min(TREMOR_SETTINGS.bandHighMaxHz, TREMOR_SETTINGS.bandHighFsFraction * fs);
}

/** Welch segment length for a sampling rate: round(2.56·fs) samples. */
export function npersegFor(fs: number): number {
  return Math.round(TREMOR_SETTINGS.npersegS * fs);
}

/**
 * Band-passes each axis from 2 Hz to min(20 Hz, 0.45·fs) with a 4th-order Butterworth applied forward
 * and backward (zero phase; scipy butter(4, [2, hi], 'bandpass', output='sos') + sosfiltfilt).
 * @param axes - uniformly sampled axes at `fs` Hz (each longer than the filter's pad length)
 */
export function bandPass(axes: readonly Float64Array[], fs: number): Float64Array[] {
  const sos = butter(
    TREMOR_SETTINGS.filterOrder,
    [TREMOR_SETTINGS.bandLowHz, bandHighHz(fs)],
    fs,
    'bandpass',
  );
  return axes.map((x) => sosfiltfilt(sos, x));
}

/**
 * High-passes each axis at 1 Hz (4th-order Butterworth, forward and backward): removes gravity from a
 * source that includes it (measures.md §7.3 step 2).
 */
export function removeGravity(axes: readonly Float64Array[], fs: number): Float64Array[] {
  const sos = butter(TREMOR_SETTINGS.filterOrder, TREMOR_SETTINGS.gravityHighPassHz, fs, 'highpass');
  return axes.map((x) => sosfiltfilt(sos, x));
}

/**
 * The sum over axes of the Welch PSDs (periodic Hann, 50 % overlap, constant detrend, one-sided
 * density). The sum is invariant to any rotation of the axes.
 * @param nperseg - samples per Welch segment (each axis must be at least this long)
 */
export function summedPsd(axes: readonly ArrayLike<number>[], fs: number, nperseg: number): SummedSpectrum {
  let f = new Float64Array(0);
  let psd = new Float64Array(0);
  for (const x of axes) {
    const spectrum = welch(x, fs, { nperseg });
    if (psd.length === 0) {
      f = spectrum.f;
      psd = Float64Array.from(spectrum.psd);
    } else {
      for (let k = 0; k < psd.length; k++) psd[k] = psd[k]! + spectrum.psd[k]!;
    }
  }
  return { f, psd, df: f.length > 1 ? f[1]! - f[0]! : Number.NaN };
}

/** Σ PSD·Δf over the bins with lo ≤ f ≤ hi (or lo ≤ f < hi when `openHigh`). */
export function bandPower(spectrum: SummedSpectrum, lo: number, hi: number, openHigh = false): number {
  const { f, psd, df } = spectrum;
  let sum = 0;
  for (let k = 0; k < f.length; k++) {
    const x = f[k]!;
    if (x >= lo && (openHigh ? x < hi : x <= hi)) sum += psd[k]!;
  }
  return sum * df;
}

/** The tremor peak of a summed spectrum and what is derived from it. */
export interface TremorPeak {
  /** Peak frequency refined by parabolic interpolation of log10 PSD, Hz. */
  frequencyHz: number;
  /** PSD at the highest bin / median PSD of the bins in the search range. */
  peakToMedian: number;
  /** P_band = Σ PSD·Δf over |f − f_peak| ≤ 1 Hz, units². */
  bandPower: number;
  /** Σ PSD·Δf over 1–20 Hz, units². */
  totalPower: number;
  /** bandPower / totalPower (NaN when the total is 0). */
  relativeBandPower: number;
  /** Whether the peak stands out: peakToMedian ≥ 3 and relativeBandPower ≥ 0.3. */
  isTremor: boolean;
}

/**
 * Finds the tremor peak of a summed spectrum: the highest bin with 3 ≤ f ≤ min(12 Hz, searchMaxHz),
 * refined by the vertex of the parabola through log10 PSD at that bin and its two neighbours (no
 * refinement when a PSD is 0 or the three are not concave). The vertex is kept within the search
 * range: a tremor at exactly 12 Hz lies between the bins 11.72 and 12.11 Hz (at Δf = 0.39 Hz); the
 * highest bin in range is then 11.72 Hz with a higher neighbour outside, and the parabola still finds
 * 12 Hz, while a peak beyond 12 Hz is reported as 12 Hz.
 * Returns null when no bin lies in the search range.
 * @param searchMaxHz - upper limit of the search besides 12 Hz (the band-pass edge at low fs)
 */
export function findTremorPeak(spectrum: SummedSpectrum, searchMaxHz: number): TremorPeak | null {
  const { f, psd } = spectrum;
  const hi = Math.min(TREMOR_SETTINGS.peakMaxHz, searchMaxHz);
  let best = -1;
  const inRange: number[] = [];
  for (let k = 0; k < f.length; k++) {
    if (f[k]! < TREMOR_SETTINGS.peakMinHz || f[k]! > hi) continue;
    inRange.push(psd[k]!);
    if (best < 0 || psd[k]! > psd[best]!) best = k;
  }
  if (best < 0) return null;
  let frequencyHz = f[best]!;
  if (best >= 1 && best + 1 < f.length && psd[best - 1]! > 0 && psd[best]! > 0 && psd[best + 1]! > 0) {
    const logs = [psd[best - 1]!, psd[best]!, psd[best + 1]!].map(Math.log10);
    const vertex = parabolicPeak([f[best - 1]!, f[best]!, f[best + 1]!], logs, 1).f;
    frequencyHz = Math.min(Math.max(vertex, TREMOR_SETTINGS.peakMinHz), hi);
  }
  const bandPowerValue = bandPower(
    spectrum,
    frequencyHz - TREMOR_SETTINGS.peakHalfWidthHz,
    frequencyHz + TREMOR_SETTINGS.peakHalfWidthHz,
  );
  const totalPower = bandPower(spectrum, TREMOR_SETTINGS.totalLowHz, TREMOR_SETTINGS.totalHighHz);
  const relativeBandPower = totalPower > 0 ? bandPowerValue / totalPower : Number.NaN;
  const medianPsd = median(inRange);
  const peakToMedian = medianPsd > 0 ? psd[best]! / medianPsd : Number.NaN;
  return {
    frequencyHz,
    peakToMedian,
    bandPower: bandPowerValue,
    totalPower,
    relativeBandPower,
    isTremor:
      peakToMedian >= TREMOR_SETTINGS.peakToMedianMin &&
      relativeBandPower >= TREMOR_SETTINGS.relativePowerMin,
  };
}
