/**
 * Descriptive and robust statistics on plain number arrays. NaN handling is the caller's: these
 * functions expect finite values. Empty (or too short) inputs give NaN, which the metric layer turns
 * into null. SDs are sample SDs (n − 1), as measures.md section 1 asks.
 */

type Numbers = ArrayLike<number>;

/** Sum of the values (0 for none). */
export function sum(xs: Numbers): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/** Arithmetic mean; NaN for no values. */
export function mean(xs: Numbers): number {
  return xs.length ? sum(xs) / xs.length : Number.NaN;
}

/** Variance with `n − ddof` in the denominator (ddof 1: sample variance). */
export function variance(xs: Numbers, ddof = 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - m) ** 2;
  return ss / (n - ddof);
}

/** Sample standard deviation (n − 1). */
export function sampleSd(xs: Numbers): number {
  return Math.sqrt(variance(xs, 1));
}

/** Coefficient of variation in percent: sample SD / mean × 100. */
export function cvPct(xs: Numbers): number {
  return (sampleSd(xs) / mean(xs)) * 100;
}

/** A sorted copy. */
export function sorted(xs: Numbers): Float64Array<ArrayBuffer> {
  return Float64Array.from(xs).sort();
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the default of R
 * and numpy): h = (n − 1)·p.
 */
export function quantile(xs: Numbers, p: number): number {
  return quantileSorted(sorted(xs), p);
}

/** {@link quantile} of already sorted values. */
export function quantileSorted(s: Numbers, p: number): number {
  const n = s.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Median (type-7 quantile 0.5: the mean of the two middle values for an even count); NaN for none. */
export function median(xs: Numbers): number {
  return quantile(xs, 0.5);
}

/** Interquartile range, type 7. */
export function iqr(xs: Numbers): number {
  const s = sorted(xs);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

/** Median absolute deviation from the median (unscaled; multiply by 1.4826 for a normal SD). */
export function mad(xs: Numbers): number {
  const m = median(xs);
  const dev = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) dev[i] = Math.abs(xs[i]! - m);
  return median(dev);
}

/**
 * Area under the ROC curve that `positive` scores are higher than `negative` ones (Mann–Whitney U /
 * (n₊·n₋), ties counted one half). 0.5 is chance; below 0.5 the scores separate the other way.
 */
export function auc(positive: Numbers, negative: Numbers): number {
  const np = positive.length;
  const nn = negative.length;
  if (np === 0 || nn === 0) return Number.NaN;
  // typed arrays, no object per value: indices < np are positives
  const values = new Float64Array(np + nn);
  for (let i = 0; i < np; i++) values[i] = positive[i]!;
  for (let i = 0; i < nn; i++) values[np + i] = negative[i]!;
  const order = new Uint32Array(np + nn).map((_, i) => i);
  order.sort((a, b) => values[a]! - values[b]!);
  // mid-ranks for ties
  let rankSumPos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (order[k]! < np) rankSumPos += rank;
    i = j + 1;
  }
  const u = rankSumPos - (np * (np + 1)) / 2;
  return u / (np * nn);
}

/** Least-squares line y = intercept + slope·x. */
export function lineFit(x: Numbers, y: Numbers): { slope: number; intercept: number } {
  const n = x.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN };
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * Autocovariance at `lag` with the 1/n denominator (the biased estimator that Wing–Kristofferson
 * analyses use), around the mean.
 */
export function autocovariance(xs: Numbers, lag: number): number {
  const n = xs.length;
  if (n === 0 || lag >= n) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i + lag < n; i++) s += (xs[i]! - m) * (xs[i + lag]! - m);
  return s / n;
}
