/**
 * Welch's averaged periodogram, a port of scipy.signal.welch for a real 1-D signal with its defaults:
 * periodic Hann window, nperseg 256 (or the signal length if shorter), noverlap ⌊nperseg/2⌋,
 * nfft = nperseg, per-segment 'constant' detrend, one-sided output, 'density' scaling, mean average.
 * Segments are taken as scipy does with padded=False and boundary=None: only whole segments, starting
 * at 0, step nperseg − noverlap; samples after the last whole segment are not used.
 */
import { detrendInPlace } from './detrend.js';
import { realFftPlan } from './fft.js';

/** Options of {@link welch} (scipy.signal.welch names and meanings). */
export interface WelchOptions {
  /** Samples per segment (default 256; the signal length if that is shorter, as scipy does). */
  nperseg?: number;
  /** Samples shared by consecutive segments (default ⌊nperseg/2⌋); must be < nperseg. */
  noverlap?: number;
  /** FFT length ≥ nperseg (zero-padding); default nperseg. */
  nfft?: number;
  /** Only the periodic Hann window (scipy's get_window('hann', n)) is offered. */
  window?: 'hann';
  /** Per-segment trend removal before windowing (default 'constant'); false for none. */
  detrend?: 'constant' | 'linear' | false;
  /** 'density' (units²/Hz, default) or 'spectrum' (units², power per bin). */
  scaling?: 'density' | 'spectrum';
}

/** A one-sided spectrum: frequencies in Hz and the PSD (or power spectrum) per frequency. */
export interface Spectrum {
  f: Float64Array<ArrayBuffer>;
  psd: Float64Array<ArrayBuffer>;
}

/**
 * Periodic ("DFT-even") Hann window of length n as scipy.signal.get_window('hann', n):
 * w[k] = 0.5 − 0.5·cos(2πk/n). n = 1 gives [1].
 */
export function hannPeriodic(n: number): Float64Array<ArrayBuffer> {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = 1;
    return w;
  }
  for (let k = 0; k < n; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / n);
  return w;
}

/** Hann windows of the last few segment lengths used (read-only), so that repeated calls reuse them. */
const windowCache = new Map<number, Float64Array>();
const MAX_CACHED_WINDOWS = 16;

function cachedHann(n: number): Float64Array {
  let w = windowCache.get(n);
  if (w === undefined) {
    w = hannPeriodic(n);
    if (windowCache.size >= MAX_CACHED_WINDOWS) windowCache.delete(windowCache.keys().next().value!);
    windowCache.set(n, w);
  }
  return w;
}

/**
 * Power spectral density of `x` sampled at `fs` Hz by Welch's method, equal to
 * scipy.signal.welch(x, fs, …) with the same options (see {@link WelchOptions}).
 *
 * Returns f = k·fs/nfft for k = 0 … ⌊nfft/2⌋ and the PSD in units²/Hz ('density') or units²
 * ('spectrum'); all bins but DC (and Nyquist for even nfft) are doubled for the one-sided output.
 * An empty signal gives empty arrays (as scipy). Invalid options (nperseg < 1, noverlap ≥ nperseg,
 * nfft < nperseg, fs ≤ 0) throw RangeError: they are programming errors, not input errors.
 * Allocation: the output plus a few buffers of nfft; nothing per segment (the window and the FFT plan
 * of a segment length are cached).
 */
export function welch(x: ArrayLike<number>, fs: number, options: WelchOptions = {}): Spectrum {
  if (!(fs > 0) || !Number.isFinite(fs))
    throw new RangeError(`welch: fs must be a positive number, got ${fs}`);
  const len = x.length;
  if (len === 0) return { f: new Float64Array(0), psd: new Float64Array(0) };
  if (options.nperseg !== undefined && !(Number.isInteger(options.nperseg) && options.nperseg >= 1)) {
    throw new RangeError(`welch: nperseg must be a positive integer, got ${options.nperseg}`);
  }
  const nperseg = Math.min(options.nperseg ?? 256, len);
  const noverlap = options.noverlap ?? Math.floor(nperseg / 2);
  if (!Number.isInteger(noverlap) || noverlap < 0 || noverlap >= nperseg) {
    throw new RangeError(`welch: noverlap must be an integer in [0, nperseg = ${nperseg}), got ${noverlap}`);
  }
  const nfft = options.nfft ?? nperseg;
  if (!Number.isInteger(nfft) || nfft < nperseg) {
    throw new RangeError(`welch: nfft must be an integer ≥ nperseg = ${nperseg}, got ${nfft}`);
  }
  const detrendType = options.detrend ?? 'constant';
  const scaling = options.scaling ?? 'density';

  const win = cachedHann(nperseg);
  let sumW = 0;
  let sumW2 = 0;
  for (let k = 0; k < nperseg; k++) {
    sumW += win[k]!;
    sumW2 += win[k]! * win[k]!;
  }
  const scale = scaling === 'density' ? 1 / (fs * sumW2) : 1 / (sumW * sumW);

  const plan = realFftPlan(nfft);
  const bins = plan.bins;
  const seg = new Float64Array(nperseg);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const psd = new Float64Array(bins);
  const step = nperseg - noverlap;
  const nSeg = Math.floor((len - noverlap) / step);
  for (let s = 0; s < nSeg; s++) {
    const off = s * step;
    if (detrendType === 'constant') {
      // detrendInPlace's constant case and the window in two loops instead of four (the same operations)
      let sum = 0;
      for (let k = 0; k < nperseg; k++) {
        const v = x[off + k]!;
        seg[k] = v;
        sum += v;
      }
      const mean = sum / nperseg;
      for (let k = 0; k < nperseg; k++) seg[k] = (seg[k]! - mean) * win[k]!;
    } else {
      for (let k = 0; k < nperseg; k++) seg[k] = x[off + k]!;
      if (detrendType !== false) detrendInPlace(seg, detrendType, 0, nperseg);
      for (let k = 0; k < nperseg; k++) seg[k] = seg[k]! * win[k]!;
    }
    plan.forward(seg, re, im);
    for (let k = 0; k < bins; k++) psd[k] = psd[k]! + (re[k]! * re[k]! + im[k]! * im[k]!) * scale;
  }
  const lastDoubled = nfft % 2 === 0 ? bins - 1 : bins; // the Nyquist bin of an even nfft is unpaired
  for (let k = 0; k < bins; k++) {
    let v = psd[k]! / nSeg;
    if (k >= 1 && k < lastDoubled) v *= 2;
    psd[k] = v;
  }
  const f = new Float64Array(bins);
  for (let k = 0; k < bins; k++) f[k] = k * (fs / nfft);
  return { f, psd };
}
