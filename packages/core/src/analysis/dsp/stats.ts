/**
 * Descriptive and robust statistics on plain number arrays. NaN handling is the caller's: these
 * functions expect finite values. Empty (or too short) inputs give NaN, which the metric layer turns
 * into null. SDs are sample SDs (n − 1), as measures.md section 1 asks.
 */

type Numbers = ArrayLike<number>;

/**
 * √(dx² + dy²): the length of a vector of finite coordinates well inside a double's range (pen positions,
 * velocities). Math.hypot, which also guards against overflow, is an order of magnitude slower and
 * differs in the last bit only.
 */
export function norm2(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}

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
 * The k-th smallest (0-based) of buf[lo … hi], found in place by Hoare's quickselect (median-of-three
 * pivot) in O(n) expected time. Afterwards buf[lo … k − 1] ≤ buf[k] ≤ buf[k + 1 … hi]; the values are
 * only permuted. buf must hold no NaN.
 */
function selectInPlace(buf: Float64Array, k: number, lo = 0, hi = buf.length - 1): number {
  while (hi > lo) {
    const a = buf[lo]!;
    const b = buf[(lo + hi) >>> 1]!;
    const c = buf[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const t = buf[i]!;
        buf[i] = buf[j]!;
        buf[j] = t;
        i++;
        j--;
      }
    }
    // now buf[lo … j] ≤ pivot, buf[j + 1 … i − 1] = pivot, buf[i … hi] ≥ pivot
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k]!;
  }
  return buf[k]!;
}

/**
 * Type-7 quantile of the values of `buf` (any order, no NaN; rearranged in place): the order
 * statistics at ⌊h⌋ and ⌊h⌋ + 1 by selection, interpolated exactly as {@link quantileSorted}.
 */
function quantileInPlace(buf: Float64Array, p: number): number {
  const n = buf.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const low = selectInPlace(buf, lo);
  let high = low;
  if (lo + 1 < n) {
    // the next order statistic is the smallest value above position lo
    high = buf[lo + 1]!;
    for (let i = lo + 2; i < n; i++) if (buf[i]! < high) high = buf[i]!;
  }
  return low + (h - lo) * (high - low);
}

/** A copy of the values as a Float64Array, or null when one of them is NaN. */
function copyWithoutNaN(xs: Numbers): Float64Array | null {
  const buf = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (Number.isNaN(v)) return null;
    buf[i] = v;
  }
  return buf;
}

/**
 * Several type-7 quantiles of the same values (one copy, no full sort): the same numbers as
 * {@link quantile} for each p. NaN values sort last, as in {@link sorted}.
 */
export function quantiles(xs: Numbers, ps: readonly number[]): number[] {
  const buf = copyWithoutNaN(xs);
  if (buf === null) {
    const s = sorted(xs);
    return ps.map((p) => quantileSorted(s, p));
  }
  return ps.map((p) => quantileInPlace(buf, p));
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, the default of R
 * and numpy): h = (n − 1)·p. Computed by selection (expected O(n)), like numpy.percentile.
 */
export function quantile(xs: Numbers, p: number): number {
  return quantiles(xs, [p])[0]!;
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
  const [q1, q3] = quantiles(xs, [0.25, 0.75]);
  return q3! - q1!;
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
