/**
 * Student's t distribution: CDF and quantile (inverse CDF) for any df > 0, to about 1e-12 relative
 * accuracy (checked against scipy.stats.t.ppf in student-t.test.ts). The change statistics need the
 * exact t(0.975, n − 1) of measures.md 10.3 item 2 (Correction 3) for small n, where 1.96 would be far off.
 *
 * Method: the CDF through the regularised incomplete beta function, I_x(df/2, 1/2) with
 * x = df/(df + t²) (Abramowitz & Stegun 26.7.1), evaluated by its continued fraction (modified Lentz,
 * Numerical Recipes 3rd ed. §6.4) with ln B(a, b) free of cancellation for large df; the quantile by Newton steps on the CDF, kept inside a bracket that
 * bisection shrinks whenever a step would leave it. df = 1 and df = 2 have closed forms.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= 2.5e-16) return h;
  }
  return h;
}

/**
 * Stirling's series remainder: ln Γ(x) − [(x − ½)·ln x − x + ½·ln 2π], for x ≥ 10 (error < 1e-15).
 */
function stirlingRemainder(x: number): number {
  const x2 = x * x;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * x2)) / x2) / x2) / x2) / x;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), without the cancellation of the plain sum when one
 * argument is large (the Student t of df = 10⁵ has a = 50 000): ln Γ(big) − ln Γ(big + small) is
 * written as −(big − ½)·log1p(small/big) − small·ln(big + small) + small + the Stirling remainders.
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`logBeta needs a, b > 0, got a=${a}, b=${b}`);
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = big + small;
  const diff =
    -(big - 0.5) * Math.log1p(small / big) -
    small * Math.log(sum) +
    small +
    stirlingRemainder(big) -
    stirlingRemainder(sum);
  return logGamma(small) + diff;
}

/**
 * I_x(a, b) from x, y = 1 − x and their logarithms, each given as precisely as the caller has them
 * (the Student t computes them from t, which is more exact than from a rounded x).
 */
function incompleteBeta(x: number, y: number, lnX: number, lnY: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * lnX + b * lnY - logBeta(a, b));
  // the continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use the symmetry
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/**
 * The regularised incomplete beta function I_x(a, b) for 0 ≤ x ≤ 1, a, b > 0.
 * @param x - upper limit of integration, 0–1
 * @param a - first shape parameter (> 0)
 * @param b - second shape parameter (> 0)
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`incomplete beta needs 0 ≤ x ≤ 1, got ${x}`);
  if (x === 0 || x === 1) return x;
  return incompleteBeta(x, 1 - x, Math.log(x), Math.log1p(-x), a, b);
}

/**
 * P(T ≤ t) for Student's t with `df` degrees of freedom.
 * @param t - the value (±Infinity allowed)
 * @param df - degrees of freedom, > 0 (need not be an integer)
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (t === 0) return 0.5;
  // tail = P(T > |t|) = I_x(df/2, 1/2)/2 with x = df/(df + t²) and 1 − x = t²/(df + t²), their logs
  // taken from t²/df directly. For |t| < 1 (tail > 0.15 for every df) the complementary form
  // 1 − I_(1−x)(1/2, df/2) is as exact; beyond it the direct form keeps a small tail's precision.
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const lnX = -Math.log1p(t2 / df);
  const lnY = -Math.log1p(df / t2);
  const tail =
    t2 < 1
      ? 0.5 * (1 - incompleteBeta(y, x, lnY, lnX, 0.5, df / 2))
      : 0.5 * incompleteBeta(x, y, lnX, lnY, df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Density of Student's t with `df` degrees of freedom.
 * @param t - the value
 * @param df - degrees of freedom, > 0
 */
export function studentTPdf(t: number, df: number): number {
  // 1/(√df · B(df/2, 1/2)) · (1 + t²/df)^(−(df + 1)/2)
  return Math.exp(-0.5 * Math.log(df) - logBeta(df / 2, 0.5) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom (what scipy.stats.t.ppf(p, df) gives),
 * e.g. studentTQuantile(0.975, 2) = 4.302652729749464.
 * @param p - probability, 0–1 (0 and 1 give ∓Infinity)
 * @param df - degrees of freedom, > 0 (need not be an integer)
 * @throws RangeError for p outside 0–1 or df ≤ 0
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // solve on the upper half and mirror, so that the small tail probability keeps its precision
  if (p < 0.5) return -upperQuantile(p, df);
  return upperQuantile(1 - p, df);
}

/** The t > 0 with P(T > t) = q, for 0 < q < 0.5. */
function upperQuantile(q: number, df: number): number {
  if (df === 1) return 1 / Math.tan(Math.PI * q);
  if (df === 2) return (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  // P(T > t) = P(T < −t), which studentTCdf computes without cancellation in the far tail
  const upper = (t: number) => studentTCdf(-t, df);
  // bracket: tail(lo) > q ≥ tail(hi)
  let lo = 0;
  let hi = 1;
  while (upper(hi) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = upper(t) - q;
    if (f === 0) return t;
    if (f > 0) lo = t;
    else hi = t;
    // Newton step on P(T > t) − q, whose derivative is −pdf(t)
    let next = t + f / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t)) || hi - lo <= 1e-15 * hi) return next;
    t = next;
  }
  return t;
}
