/**
 * Discrete Fourier transforms of any length on top of `fft.js` (a radix-4 FFT for power-of-two
 * sizes only). Power-of-two lengths go to fft.js directly; lengths whose prime factors are 2, 3 and 5 to a
 * mixed-radix Cooley–Tukey transform; every other length uses Bluestein's chirp-z algorithm: the DFT is rewritten as a convolution with the chirp exp(iπk²/n), computed by
 * power-of-two FFTs of size M ≥ 2n − 1.
 *
 * Conventions are numpy's: X[k] = Σₙ x[n]·exp(−2πi·k·n/N), no scaling on the forward transform.
 *
 * Plans (fft.js tables, chirps, the transformed chirp and work buffers) are cached per length in a
 * small Map (least recently created evicted first), so repeated transforms of one length — Welch
 * segments — allocate nothing. Plans own their work buffers: they are not re-entrant, which is fine
 * in single-threaded JavaScript as long as no transform calls another from inside.
 */
import FFT from 'fft.js';

/** A transform of one length; `forward` writes its results into caller-owned arrays. */
export interface RealFftPlan {
  /** Transform length n. */
  readonly n: number;
  /** Number of one-sided output bins: ⌊n/2⌋ + 1. */
  readonly bins: number;
  /**
   * One-sided DFT of the real `x` (first n values are read; shorter inputs are zero-padded), like
   * numpy.fft.rfft: writes bins 0…⌊n/2⌋ into `re` and `im` (each at least `bins` long).
   */
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
}

/** A complex transform of one length (interleaved-free: separate real and imaginary arrays). */
interface ComplexPlan {
  readonly n: number;
  /** In: re/im of length ≥ n (read n values); out: written n values. Input and output may be the same arrays. */
  forward(
    inRe: ArrayLike<number>,
    inIm: ArrayLike<number> | null,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void;
}

const MAX_CACHED_PLANS = 16;
const complexCache = new Map<number, ComplexPlan>();
const realCache = new Map<number, RealFftPlan>();

function remember<T>(cache: Map<number, T>, n: number, make: () => T): T {
  let plan = cache.get(n);
  if (plan === undefined) {
    plan = make();
    if (cache.size >= MAX_CACHED_PLANS) cache.delete(cache.keys().next().value!);
    cache.set(n, plan);
  }
  return plan;
}

/** True for 1, 2, 4, 8, … */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

function checkLength(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
}

/** fft.js complex transform of a power-of-two size ≥ 2 (interleaved buffers owned by the plan). */
class Pow2Complex implements ComplexPlan {
  readonly fft: FFT;
  readonly inBuf: Float64Array;
  readonly outBuf: Float64Array;
  constructor(readonly n: number) {
    this.fft = new FFT(n);
    this.inBuf = new Float64Array(2 * n);
    this.outBuf = new Float64Array(2 * n);
  }
  forward(inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, outRe: Float64Array, outIm: Float64Array) {
    const { n, inBuf, outBuf } = this;
    for (let i = 0; i < n; i++) {
      inBuf[2 * i] = inRe[i]!;
      inBuf[2 * i + 1] = inIm === null ? 0 : inIm[i]!;
    }
    this.fft.transform(outBuf, inBuf);
    for (let i = 0; i < n; i++) {
      outRe[i] = outBuf[2 * i]!;
      outIm[i] = outBuf[2 * i + 1]!;
    }
  }
}

/**
 * Bluestein (chirp-z): with w_k = exp(−iπk²/n), X_k = w_k · Σⱼ (x_j w_j) · conj(w_{k−j}), a linear
 * convolution evaluated with power-of-two FFTs of size M = nextPow2(2n − 1).
 */
class BluesteinComplex implements ComplexPlan {
  readonly m: number;
  readonly fft: FFT;
  /** Chirp w_k = exp(−iπk²/n), k < n. */
  readonly wRe: Float64Array;
  readonly wIm: Float64Array;
  /** FFT of the (wrapped) conjugate chirp, interleaved, length 2M. */
  readonly bHat: Float64Array;
  readonly a: Float64Array;
  readonly aHat: Float64Array;
  constructor(readonly n: number) {
    const m = nextPowerOfTwo(2 * n - 1);
    this.m = m;
    this.fft = new FFT(m);
    this.wRe = new Float64Array(n);
    this.wIm = new Float64Array(n);
    const twoN = 2 * n;
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small (exact for n up to ~4·10⁷): exp(−iπk²/n) has period 2n in k².
      const angle = (Math.PI * ((k * k) % twoN)) / n;
      this.wRe[k] = Math.cos(angle);
      this.wIm[k] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let k = 0; k < n; k++) {
      b[2 * k] = this.wRe[k]!;
      b[2 * k + 1] = -this.wIm[k]!;
      if (k > 0) {
        b[2 * (m - k)] = this.wRe[k]!;
        b[2 * (m - k) + 1] = -this.wIm[k]!;
      }
    }
    this.bHat = new Float64Array(2 * m);
    this.fft.transform(this.bHat, b);
    this.a = new Float64Array(2 * m);
    this.aHat = new Float64Array(2 * m);
  }
  forward(inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, outRe: Float64Array, outIm: Float64Array) {
    const { n, m, wRe, wIm, a, aHat, bHat } = this;
    for (let k = 0; k < n; k++) {
      const xr = inRe[k]!;
      const xi = inIm === null ? 0 : inIm[k]!;
      a[2 * k] = xr * wRe[k]! - xi * wIm[k]!;
      a[2 * k + 1] = xr * wIm[k]! + xi * wRe[k]!;
    }
    a.fill(0, 2 * n);
    this.fft.transform(aHat, a);
    for (let k = 0; k < m; k++) {
      const ar = aHat[2 * k]!;
      const ai = aHat[2 * k + 1]!;
      const br = bHat[2 * k]!;
      const bi = bHat[2 * k + 1]!;
      aHat[2 * k] = ar * br - ai * bi;
      aHat[2 * k + 1] = ar * bi + ai * br;
    }
    this.fft.inverseTransform(a, aHat); // fft.js scales the inverse by 1/M
    for (let k = 0; k < n; k++) {
      const cr = a[2 * k]!;
      const ci = a[2 * k + 1]!;
      outRe[k] = cr * wRe[k]! - ci * wIm[k]!;
      outIm[k] = cr * wIm[k]! + ci * wRe[k]!;
    }
  }
}

/** The factors of n into 4, 2, 3 and 5 (fours first), or null when n has another prime factor. */
function smallFactors(n: number): number[] | null {
  const factors: number[] = [];
  let rest = n;
  for (const p of [4, 2, 3, 5]) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  return rest === 1 ? factors : null;
}

const COS_2PI_5 = Math.cos((2 * Math.PI) / 5);
const COS_4PI_5 = Math.cos((4 * Math.PI) / 5);
const SIN_2PI_5 = Math.sin((2 * Math.PI) / 5);
const SIN_4PI_5 = Math.sin((4 * Math.PI) / 5);

/**
 * Mixed-radix Cooley–Tukey (decimation in time, recursive) for a length whose prime factors are 2, 3 and
 * 5 — the usual sizes that are not powers of two (a 2-s Welch segment at 100 Hz: 200 = 2·4·5·5) —: an
 * exact DFT algorithm like Bluestein's, with about a third of its work at these sizes. For a factor p
 * and m = n/p: X[q + s·m] = Σ_r W_n^(r·q)·Y_r[q]·W_p^(r·s), with Y_r the m-point DFT of x[r], x[r + p], …;
 * radix 2, 4 and 5 written out, 3 by the sum.
 */
class MixedRadixComplex implements ComplexPlan {
  readonly factors: number[];
  /** W_n^j = exp(−2πij/n) = wRe[j] + i·wIm[j], j < n. */
  readonly wRe: Float64Array;
  readonly wIm: Float64Array;
  /** The input, copied (input and output may be the same arrays). */
  readonly xRe: Float64Array;
  readonly xIm: Float64Array;
  constructor(
    readonly n: number,
    factors: number[],
  ) {
    this.factors = factors;
    this.wRe = new Float64Array(n);
    this.wIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const angle = (2 * Math.PI * j) / n;
      this.wRe[j] = Math.cos(angle);
      this.wIm[j] = -Math.sin(angle);
    }
    this.xRe = new Float64Array(n);
    this.xIm = new Float64Array(n);
  }
  forward(inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, outRe: Float64Array, outIm: Float64Array) {
    const { n, xRe, xIm } = this;
    for (let k = 0; k < n; k++) {
      xRe[k] = inRe[k]!;
      xIm[k] = inIm === null ? 0 : inIm[k]!;
    }
    this.pass(0, 1, n, 0, 0, outRe, outIm);
  }
  /**
   * The DFT of the `size` inputs x[from], x[from + stride], … into out[at … at + size − 1], by the factors
   * from `f` on.
   */
  private pass(
    from: number,
    stride: number,
    size: number,
    at: number,
    f: number,
    outRe: Float64Array,
    outIm: Float64Array,
  ): void {
    const p = this.factors[f]!;
    const m = size / p;
    if (m === 1) {
      // the last factor: its inputs straight from x, no twiddles
      const { xRe, xIm } = this;
      for (let r = 0; r < p; r++) {
        outRe[at + r] = xRe[from + r * stride]!;
        outIm[at + r] = xIm[from + r * stride]!;
      }
    } else {
      for (let r = 0; r < p; r++)
        this.pass(from + r * stride, stride * p, m, at + r * m, f + 1, outRe, outIm);
    }
    const { wRe, wIm, n } = this;
    const tw = n / size; // W_size^j = W_n^(j·tw)
    for (let q = 0; q < m; q++) {
      const i0 = at + q;
      if (p === 2) {
        const i1 = i0 + m;
        const t0r = outRe[i0]!;
        const t0i = outIm[i0]!;
        const w1r = wRe[q * tw]!;
        const w1i = wIm[q * tw]!;
        const t1r = outRe[i1]! * w1r - outIm[i1]! * w1i;
        const t1i = outRe[i1]! * w1i + outIm[i1]! * w1r;
        outRe[i0] = t0r + t1r;
        outIm[i0] = t0i + t1i;
        outRe[i1] = t0r - t1r;
        outIm[i1] = t0i - t1i;
      } else if (p === 4) {
        const i1 = i0 + m;
        const i2 = i1 + m;
        const i3 = i2 + m;
        const j1 = q * tw;
        const t0r = outRe[i0]!;
        const t0i = outIm[i0]!;
        const t1r = outRe[i1]! * wRe[j1]! - outIm[i1]! * wIm[j1]!;
        const t1i = outRe[i1]! * wIm[j1]! + outIm[i1]! * wRe[j1]!;
        const t2r = outRe[i2]! * wRe[2 * j1]! - outIm[i2]! * wIm[2 * j1]!;
        const t2i = outRe[i2]! * wIm[2 * j1]! + outIm[i2]! * wRe[2 * j1]!;
        const t3r = outRe[i3]! * wRe[3 * j1]! - outIm[i3]! * wIm[3 * j1]!;
        const t3i = outRe[i3]! * wIm[3 * j1]! + outIm[i3]! * wRe[3 * j1]!;
        const ar = t0r + t2r;
        const ai = t0i + t2i;
        const br = t0r - t2r;
        const bi = t0i - t2i;
        const cr = t1r + t3r;
        const ci = t1i + t3i;
        const dr = t1r - t3r; // X1 = b − i·d, X3 = b + i·d
        const di = t1i - t3i;
        outRe[i0] = ar + cr;
        outIm[i0] = ai + ci;
        outRe[i1] = br + di;
        outIm[i1] = bi - dr;
        outRe[i2] = ar - cr;
        outIm[i2] = ai - ci;
        outRe[i3] = br - di;
        outIm[i3] = bi + dr;
      } else if (p === 5) {
        const i1 = i0 + m;
        const i2 = i1 + m;
        const i3 = i2 + m;
        const i4 = i3 + m;
        const j1 = q * tw;
        const t0r = outRe[i0]!;
        const t0i = outIm[i0]!;
        const t1r = outRe[i1]! * wRe[j1]! - outIm[i1]! * wIm[j1]!;
        const t1i = outRe[i1]! * wIm[j1]! + outIm[i1]! * wRe[j1]!;
        const t2r = outRe[i2]! * wRe[2 * j1]! - outIm[i2]! * wIm[2 * j1]!;
        const t2i = outRe[i2]! * wIm[2 * j1]! + outIm[i2]! * wRe[2 * j1]!;
        const t3r = outRe[i3]! * wRe[3 * j1]! - outIm[i3]! * wIm[3 * j1]!;
        const t3i = outRe[i3]! * wIm[3 * j1]! + outIm[i3]! * wRe[3 * j1]!;
        const t4r = outRe[i4]! * wRe[4 * j1]! - outIm[i4]! * wIm[4 * j1]!;
        const t4i = outRe[i4]! * wIm[4 * j1]! + outIm[i4]! * wRe[4 * j1]!;
        const a1r = t1r + t4r;
        const a1i = t1i + t4i;
        const b1r = t1r - t4r;
        const b1i = t1i - t4i;
        const a2r = t2r + t3r;
        const a2i = t2i + t3i;
        const b2r = t2r - t3r;
        const b2i = t2i - t3i;
        // X1,4 = A ∓ i·S and X2,3 = B ∓ i·T
        const Ar = t0r + COS_2PI_5 * a1r + COS_4PI_5 * a2r;
        const Ai = t0i + COS_2PI_5 * a1i + COS_4PI_5 * a2i;
        const Br = t0r + COS_4PI_5 * a1r + COS_2PI_5 * a2r;
        const Bi = t0i + COS_4PI_5 * a1i + COS_2PI_5 * a2i;
        const Sr = SIN_2PI_5 * b1r + SIN_4PI_5 * b2r;
        const Si = SIN_2PI_5 * b1i + SIN_4PI_5 * b2i;
        const Tr = SIN_4PI_5 * b1r - SIN_2PI_5 * b2r;
        const Ti = SIN_4PI_5 * b1i - SIN_2PI_5 * b2i;
        outRe[i0] = t0r + a1r + a2r;
        outIm[i0] = t0i + a1i + a2i;
        outRe[i1] = Ar + Si;
        outIm[i1] = Ai - Sr;
        outRe[i4] = Ar - Si;
        outIm[i4] = Ai + Sr;
        outRe[i2] = Br + Ti;
        outIm[i2] = Bi - Tr;
        outRe[i3] = Br - Ti;
        outIm[i3] = Bi + Tr;
      } else {
        // p = 3: X_s = Σ_r t_r·W_3^(r·s), W_3 = W_n^(n/3)
        const i1 = i0 + m;
        const i2 = i1 + m;
        const j1 = q * tw;
        const t0r = outRe[i0]!;
        const t0i = outIm[i0]!;
        const t1r = outRe[i1]! * wRe[j1]! - outIm[i1]! * wIm[j1]!;
        const t1i = outRe[i1]! * wIm[j1]! + outIm[i1]! * wRe[j1]!;
        const t2r = outRe[i2]! * wRe[2 * j1]! - outIm[i2]! * wIm[2 * j1]!;
        const t2i = outRe[i2]! * wIm[2 * j1]! + outIm[i2]! * wRe[2 * j1]!;
        const sr = t1r + t2r;
        const si = t1i + t2i;
        const mr = t0r - 0.5 * sr;
        const mi = t0i - 0.5 * si;
        const dr = SIN_PI_3 * (t1r - t2r); // X1,2 = m ∓ i·d
        const di = SIN_PI_3 * (t1i - t2i);
        outRe[i0] = t0r + sr;
        outIm[i0] = t0i + si;
        outRe[i1] = mr + di;
        outIm[i1] = mi - dr;
        outRe[i2] = mr - di;
        outIm[i2] = mi + dr;
      }
    }
  }
}

const SIN_PI_3 = Math.sqrt(3) / 2;

const identityPlan: ComplexPlan = {
  n: 1,
  forward(inRe, inIm, outRe, outIm) {
    outRe[0] = inRe[0]!;
    outIm[0] = inIm === null ? 0 : inIm[0]!;
  },
};

function complexPlan(n: number): ComplexPlan {
  checkLength(n);
  if (n === 1) return identityPlan;
  return remember(complexCache, n, () => {
    if (isPowerOfTwo(n)) return new Pow2Complex(n);
    const factors = smallFactors(n);
    return factors ? new MixedRadixComplex(n, factors) : new BluesteinComplex(n);
  });
}

/** fft.js real transform of a power-of-two size ≥ 2. */
class Pow2Real implements RealFftPlan {
  readonly bins: number;
  readonly fft: FFT;
  readonly inBuf: Float64Array;
  readonly outBuf: Float64Array;
  constructor(readonly n: number) {
    this.bins = n / 2 + 1;
    this.fft = new FFT(n);
    this.inBuf = new Float64Array(n);
    this.outBuf = new Float64Array(2 * n);
  }
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { n, inBuf, outBuf } = this;
    const len = Math.min(n, x.length);
    for (let i = 0; i < len; i++) inBuf[i] = x[i]!;
    inBuf.fill(0, len);
    this.fft.realTransform(outBuf, inBuf);
    for (let k = 0; k < this.bins; k++) {
      re[k] = outBuf[2 * k]!;
      im[k] = outBuf[2 * k + 1]!;
    }
    // the DC and Nyquist bins of a real signal are real: drop fft.js's rounding residue (±0)
    im[0] = 0;
    im[n / 2] = 0;
  }
}

/** Any other length: the complex plan on a zero imaginary part, keeping the first ⌊n/2⌋ + 1 bins. */
class GeneralReal implements RealFftPlan {
  readonly bins: number;
  readonly plan: ComplexPlan;
  readonly inBuf: Float64Array;
  readonly outRe: Float64Array;
  readonly outIm: Float64Array;
  constructor(readonly n: number) {
    this.bins = Math.floor(n / 2) + 1;
    this.plan = complexPlan(n);
    this.inBuf = new Float64Array(n);
    this.outRe = new Float64Array(n);
    this.outIm = new Float64Array(n);
  }
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { n, inBuf } = this;
    const len = Math.min(n, x.length);
    for (let i = 0; i < len; i++) inBuf[i] = x[i]!;
    inBuf.fill(0, len);
    this.plan.forward(inBuf, null, this.outRe, this.outIm);
    for (let k = 0; k < this.bins; k++) {
      re[k] = this.outRe[k]!;
      im[k] = this.outIm[k]!;
    }
    im[0] = 0;
    if (n % 2 === 0) im[n / 2] = 0;
  }
}

/**
 * Even length n = 2h that is not a power of two: the h-point complex transform of
 * z[j] = x[2j] + i·x[2j+1], split into the even and odd halves' spectra E and O, then
 * X[k] = E[k] + exp(−2πik/n)·O[k]. Half the work of a full-length complex transform.
 */
class EvenReal implements RealFftPlan {
  readonly bins: number;
  readonly half: number;
  readonly plan: ComplexPlan;
  readonly zRe: Float64Array;
  readonly zIm: Float64Array;
  readonly twRe: Float64Array;
  readonly twIm: Float64Array;
  constructor(readonly n: number) {
    const h = n / 2;
    this.half = h;
    this.bins = h + 1;
    this.plan = complexPlan(h);
    this.zRe = new Float64Array(h);
    this.zIm = new Float64Array(h);
    this.twRe = new Float64Array(h + 1);
    this.twIm = new Float64Array(h + 1);
    for (let k = 0; k <= h; k++) {
      const angle = (-2 * Math.PI * k) / n;
      this.twRe[k] = Math.cos(angle);
      this.twIm[k] = Math.sin(angle);
    }
  }
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { half: h, zRe, zIm, twRe, twIm } = this;
    const len = x.length;
    for (let j = 0; j < h; j++) {
      zRe[j] = 2 * j < len ? x[2 * j]! : 0;
      zIm[j] = 2 * j + 1 < len ? x[2 * j + 1]! : 0;
    }
    this.plan.forward(zRe, zIm, zRe, zIm);
    for (let k = 0; k <= h; k++) {
      const a = k % h;
      const b = (h - k) % h;
      const zr = zRe[a]!;
      const zi = zIm[a]!;
      const cr = zRe[b]!; // conj(Z[h − k]) = cr − i·ci
      const ci = zIm[b]!;
      const eRe = (zr + cr) / 2; // E[k] = (Z[k] + conj(Z[h−k]))/2
      const eIm = (zi - ci) / 2;
      const oRe = (zi + ci) / 2; // O[k] = (Z[k] − conj(Z[h−k]))/(2i)
      const oIm = (cr - zr) / 2;
      re[k] = eRe + twRe[k]! * oRe - twIm[k]! * oIm;
      im[k] = eIm + twRe[k]! * oIm + twIm[k]! * oRe;
    }
    im[0] = 0;
    im[h] = 0;
  }
}

/**
 * A cached real-input transform plan for length `n` (any positive integer). Use it in loops to avoid
 * allocation: `const plan = realFftPlan(n); plan.forward(segment, re, im)`.
 */
export function realFftPlan(n: number): RealFftPlan {
  checkLength(n);
  return remember(realCache, n, () => {
    if (n >= 2 && isPowerOfTwo(n)) return new Pow2Real(n);
    return n % 2 === 0 ? new EvenReal(n) : new GeneralReal(n);
  });
}

/**
 * One-sided DFT of a real signal, like numpy.fft.rfft(x, n): `n` defaults to x.length (shorter input is
 * zero-padded, longer is truncated). Returns ⌊n/2⌋ + 1 bins. Throws RangeError for n < 1.
 */
export function rfft(
  x: ArrayLike<number>,
  n: number = x.length,
): { re: Float64Array<ArrayBuffer>; im: Float64Array<ArrayBuffer> } {
  const plan = realFftPlan(n);
  const re = new Float64Array(plan.bins);
  const im = new Float64Array(plan.bins);
  plan.forward(x, re, im);
  return { re, im };
}

/**
 * |rfft(x, n)|² per one-sided bin (the raw periodogram numerator), written into `out` when given
 * (length ≥ ⌊n/2⌋ + 1) to avoid allocation.
 */
export function rfftMagnitudeSquared(
  x: ArrayLike<number>,
  n: number = x.length,
  out?: Float64Array<ArrayBuffer>,
): Float64Array<ArrayBuffer> {
  const { re, im } = rfft(x, n);
  const result = out ?? new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) result[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return result;
}

/**
 * Full complex DFT of any length, like numpy.fft.fft(re + i·im): returns new arrays of length
 * re.length. `im` may be omitted for a real input. Throws RangeError for an empty input.
 */
export function fft(
  re: ArrayLike<number>,
  im?: ArrayLike<number>,
): { re: Float64Array<ArrayBuffer>; im: Float64Array<ArrayBuffer> } {
  const n = re.length;
  if (im !== undefined && im.length !== n) throw new RangeError('fft: re and im differ in length');
  const plan = complexPlan(n);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  plan.forward(re, im ?? null, outRe, outIm);
  return { re: outRe, im: outIm };
}
