/**
 * Tremor spectrum of pen signals (measures.md 3.3 with corrections 8 and 9), shared by the spiral and
 * precision analyses: per-segment resampling on the real time stamps, Welch PSD pooled over the
 * segments, the 3–12 Hz peak with its parabolic refinement, band power and peak-to-peak amplitude,
 * and the rule that decides whether a peak "stood out".
 */
import { median } from '../dsp/stats.js';
import { resampleUniform } from '../dsp/resample.js';
import { parabolicPeak } from '../dsp/peak.js';
import { welch } from '../dsp/welch.js';
import type { PenInput } from '../inputs.js';
import type { Segment } from './segments.js';

/** Uniform rate the pen signals are resampled to before spectra, Hz (measures.md 3.3). */
export const SPECTRUM_FS_HZ = 100;
/** Welch segment length: 2-s Hann windows (0.5-Hz bins), 50 % overlap (measures.md 3.3). */
export const WELCH_NPERSEG = 2 * SPECTRUM_FS_HZ;
/** Tremor band searched for the peak, Hz. */
export const TREMOR_BAND_HZ: readonly [number, number] = [3, 12];
/** Half-width of the band-power window around the peak, Hz (correction 9). */
export const BAND_HALF_WIDTH_HZ = 1;
/** Range of the total power for the relative band power, Hz (as 7.3 for the phone tremor). */
export const TOTAL_BAND_HZ: readonly [number, number] = [1, 20];
/**
 * A peak stands out when its PSD is at least this many times the median PSD of the background ring
 * (bins 1–3 Hz away from it, at ≥ 1 Hz): about 7 dB.
 */
export const PEAK_TO_BACKGROUND_MIN = 5;
/**
 * A peak whose peak-to-peak amplitude is below this (mm) is rounding error, not a movement (a drawing that
 * a fit describes exactly, such as a computed one, leaves residuals of about 10⁻¹⁴ mm): it does not stand
 * out, whatever its shape. Far below the resolution of any digitiser (about 10⁻² mm).
 */
export const ROUNDING_AMPLITUDE_PP_MM = 1e-9;
/** Drawing-rhythm harmonics k·f_turn (k = 1 … 5) within ±0.25 Hz are not tremor (measures.md 3.5). */
export const TURN_HARMONICS = 5;
export const TURN_HARMONIC_HALF_WIDTH_HZ = 0.25;

/** A Welch spectrum pooled over segments. */
export interface PooledSpectrum {
  f: Float64Array;
  /** One-sided density, units²/Hz; for several channels the sum of their PSDs. */
  psd: Float64Array;
  /** Number of Welch windows averaged, over all segments. */
  windows: number;
}

/** Values start … end − 1 of a channel: a view of a typed array, a copy of anything else. */
function slice(values: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (values instanceof Float64Array) return values.subarray(start, end);
  const out = new Float64Array(end - start);
  for (let k = start; k < end; k++) out[k - start] = values[k]!;
  return out;
}

/**
 * Resamples one or more channels of every pen-down segment to {@link SPECTRUM_FS_HZ} on the real time
 * stamps (linear interpolation; dsp `resampleUniform`) and returns them per segment.
 * @param input - the pen samples (for their time stamps)
 * @param segments - pen-down segments (lifts and gaps > 50 ms already split)
 * @param channels - per-sample values of each channel (same length as the input)
 */
export function resampleSegments(
  input: PenInput,
  segments: readonly Segment[],
  channels: readonly ArrayLike<number>[],
): Float64Array[][] {
  return segments
    .filter(({ start, end }) => end - start >= 2)
    .map(({ start, end }) => {
      const t = input.tMs.subarray(start, end);
      return channels.map((c) => resampleUniform(t, slice(c, start, end), SPECTRUM_FS_HZ).values);
    });
}

/**
 * Welch PSD (2-s periodic Hann windows, 50 % overlap, linear detrend per window, one-sided density;
 * scipy.signal.welch equivalent) of every segment that holds at least one whole window, summed over
 * the channels of a segment and averaged over segments weighted by their number of windows (i.e. the
 * mean over all windows). Null when no segment is 2 s long.
 * @param segments - per segment, its channels sampled at {@link SPECTRUM_FS_HZ}
 */
export function pooledWelch(segments: readonly (readonly Float64Array[])[]): PooledSpectrum | null {
  let f: Float64Array | null = null;
  let psd: Float64Array | null = null;
  let windows = 0;
  const step = WELCH_NPERSEG / 2;
  for (const channels of segments) {
    const n = channels[0]?.length ?? 0;
    if (n < WELCH_NPERSEG) continue;
    const count = Math.floor((n - step) / step);
    for (const channel of channels) {
      const spectrum = welch(channel, SPECTRUM_FS_HZ, {
        nperseg: WELCH_NPERSEG,
        noverlap: step,
        detrend: 'linear',
      });
      f ??= spectrum.f;
      psd ??= new Float64Array(spectrum.psd.length);
      for (let k = 0; k < psd.length; k++) psd[k] = psd[k]! + spectrum.psd[k]! * count;
    }
    windows += count;
  }
  if (!f || !psd || windows === 0) return null;
  for (let k = 0; k < psd.length; k++) psd[k] = psd[k]! / windows;
  return { f, psd, windows };
}

/** The tremor peak of a spectrum. */
export interface TremorPeak {
  /** Peak frequency in 3–12 Hz, refined by parabolic interpolation of log-PSD, Hz. */
  frequencyHz: number;
  /** Band power Σ PSD·Δf over |f − f_peak| ≤ 1 Hz, units². */
  bandPower: number;
  /** Peak-to-peak amplitude 2√2·√P_band (sinusoid assumption), units. */
  amplitudePp: number;
  /** Band power / power in 1–20 Hz. */
  relativeBandPower: number;
  /** PSD of the peak bin / median PSD of the background ring. */
  peakToBackground: number;
  /** Whether the peak stood out (see {@link tremorPeak}). */
  stoodOut: boolean;
}

/**
 * The tremor peak of a one-sided density spectrum (measures.md 3.3, corrections 8 and 9):
 * - the maximum bin i with 3 ≤ f ≤ 12 Hz; f_peak = vertex of the parabola through log-PSD at bins
 *   i − 1, i, i + 1 (dsp `parabolicPeak`), kept within 3–12 Hz;
 * - P_band = Σ PSD·Δf over bins with |f − f_peak| ≤ 1 Hz; A_pp = 2√2·√P_band;
 * - relative band power = P_band / Σ PSD·Δf over 1–20 Hz.
 *
 * "Stood out" (the `NO_TREMOR_PEAK` flag is its negation) [S]: bin i is a strict local maximum of the
 * whole spectrum, its PSD is ≥ {@link PEAK_TO_BACKGROUND_MIN} times the median PSD of the bins 1–3 Hz
 * away from it (only bins at ≥ 1 Hz), and, when the drawing's turn frequency f_turn is given, f_peak
 * is not within ±0.25 Hz of k·f_turn for k = 1 … 5 (measures.md 3.5: drawing rhythm, not tremor), and
 * A_pp is not rounding error (≥ {@link ROUNDING_AMPLITUDE_PP_MM}).
 * Null when the spectrum has no bin in 3–12 Hz or no power there.
 * @param spectrum - frequencies (uniform, from 0 Hz) and one-sided PSD
 * @param turnFrequencyHz - turns per second of the drawing, or null to skip the harmonic rule
 */
export function tremorPeak(
  spectrum: { f: ArrayLike<number>; psd: ArrayLike<number> },
  turnFrequencyHz: number | null = null,
): TremorPeak | null {
  const { f, psd } = spectrum;
  if (f.length < 3) return null;
  const df = f[1]! - f[0]!;
  const [lo, hi] = TREMOR_BAND_HZ;
  let i = -1;
  for (let k = 0; k < f.length; k++) {
    if (f[k]! >= lo && f[k]! <= hi && (i < 0 || psd[k]! > psd[i]!)) i = k;
  }
  if (i < 0 || !(psd[i]! > 0)) return null;
  const logPsd = Array.from(psd, (p) => Math.log(p));
  const frequencyHz = Math.min(hi, Math.max(lo, parabolicPeak(f, logPsd, i).f));
  let bandPower = 0;
  let totalPower = 0;
  const ring: number[] = [];
  for (let k = 0; k < f.length; k++) {
    if (Math.abs(f[k]! - frequencyHz) <= BAND_HALF_WIDTH_HZ) bandPower += psd[k]! * df;
    if (f[k]! >= TOTAL_BAND_HZ[0] && f[k]! <= TOTAL_BAND_HZ[1]) totalPower += psd[k]! * df;
    const distance = Math.abs(f[k]! - f[i]!);
    if (distance > 1 && distance <= 3 && f[k]! >= 1) ring.push(psd[k]!);
  }
  const localMax = i > 0 && i < f.length - 1 && psd[i]! > psd[i - 1]! && psd[i]! > psd[i + 1]!;
  const background = ring.length ? median(ring) : Number.NaN;
  const peakToBackground = background > 0 ? psd[i]! / background : Number.POSITIVE_INFINITY;
  const amplitudePp = 2 * Math.SQRT2 * Math.sqrt(bandPower);
  let harmonic = false;
  if (turnFrequencyHz !== null && turnFrequencyHz > 0) {
    for (let k = 1; k <= TURN_HARMONICS; k++) {
      if (Math.abs(frequencyHz - k * turnFrequencyHz) <= TURN_HARMONIC_HALF_WIDTH_HZ) harmonic = true;
    }
  }
  return {
    frequencyHz,
    bandPower,
    amplitudePp,
    relativeBandPower: totalPower > 0 ? bandPower / totalPower : Number.NaN,
    peakToBackground,
    stoodOut:
      localMax &&
      peakToBackground >= PEAK_TO_BACKGROUND_MIN &&
      !harmonic &&
      amplitudePp >= ROUNDING_AMPLITUDE_PP_MM,
  };
}
