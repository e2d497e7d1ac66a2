/**
 * Trend removal like scipy.signal.detrend (one break point: the whole signal).
 */

/** 'constant' removes the mean, 'linear' the least-squares line. */
export type DetrendType = 'constant' | 'linear';

/**
 * Removes the mean ('constant') or the least-squares straight line ('linear', against the sample
 * index) from `x`, like scipy.signal.detrend(x, type=…). Returns a new array; an empty input gives an
 * empty array, a single sample gives [0] for both types (scipy's least-squares fit of one point is
 * exact). NaN in the input makes every output NaN.
 */
export function detrend(x: ArrayLike<number>, type: DetrendType = 'linear'): Float64Array<ArrayBuffer> {
  const out = Float64Array.from(x);
  detrendInPlace(out, type, 0, out.length);
  return out;
}

/**
 * {@link detrend} of `buf[start … start + n)` in place (no allocation; Welch uses it per segment).
 * The line is fitted in centred form — x − x̄ − slope·(k − k̄) — which equals scipy's least-squares
 * residual and is numerically stable.
 */
export function detrendInPlace(
  buf: Float64Array,
  type: DetrendType,
  start = 0,
  n = buf.length - start,
): void {
  if (n <= 0) return;
  const end = start + n;
  let s = 0;
  for (let i = start; i < end; i++) s += buf[i]!;
  const m = s / n;
  if (type === 'constant' || n === 1) {
    for (let i = start; i < end; i++) buf[i] = buf[i]! - m;
    return;
  }
  const kMean = (n - 1) / 2;
  let sxy = 0;
  for (let i = start; i < end; i++) sxy += (i - start - kMean) * (buf[i]! - m);
  const sxx = (n * (n * n - 1)) / 12; // Σ (k − k̄)² for k = 0 … n − 1
  const slope = sxy / sxx;
  for (let i = start; i < end; i++) buf[i] = buf[i]! - m - slope * (i - start - kMean);
}
