/**
 * Butterworth IIR design and second-order-section filtering, ported from scipy.signal so that the
 * numbers match scipy (1.10) to rounding:
 * - {@link butter}: buttap → lp2lp/lp2hp/lp2bp_zpk (prewarped) → bilinear_zpk → zpk2sos ('nearest'
 *   pairing), i.e. scipy.signal.butter(N, Wn, btype, fs=fs, output='sos');
 * - {@link sosfilt}, {@link sosfiltZi}, {@link sosfiltfilt}: scipy's direct-form-II-transposed sections,
 *   sosfilt_zi steady state and forward–backward filtering with odd padding.
 */
import { CodedError } from '../../errors/catalogue.js';

/** One second-order section [b0, b1, b2, a0, a1, a2] (a0 = 1), as a row of scipy's sos array. */
export type SosSection = readonly [number, number, number, number, number, number];
/** Second-order sections, applied in order (scipy's `sos` array, shape (n_sections, 6)). */
export type Sos = readonly SosSection[];
/** The band types {@link butter} designs. */
export type FilterType = 'lowpass' | 'highpass' | 'bandpass';

// ---- complex arithmetic on small {re, im} values (design only: a handful of values per filter) ----

interface Complex {
  re: number;
  im: number;
}
const c = (re: number, im = 0): Complex => ({ re, im });
const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
const sub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
const mul = (a: Complex, b: Complex): Complex => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const scale = (a: Complex, s: number): Complex => c(a.re * s, a.im * s);
const conj = (a: Complex): Complex => c(a.re, -a.im);
const abs = (a: Complex): number => Math.hypot(a.re, a.im);
const isReal = (a: Complex): boolean => a.im === 0;
function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
/** Principal square root (branch cut on the negative real axis, sign of −0 respected like numpy). */
function sqrt(a: Complex): Complex {
  const r = abs(a);
  if (r === 0) return c(0, a.im);
  if (a.re >= 0) {
    const t = Math.sqrt((r + a.re) / 2);
    return c(t, a.im / (2 * t));
  }
  const t = Math.sqrt((r - a.re) / 2);
  const im = a.im < 0 || Object.is(a.im, -0) ? -t : t;
  return c(Math.abs(a.im) / (2 * t), im);
}
function prod(xs: readonly Complex[]): Complex {
  let p = c(1);
  for (const x of xs) p = mul(p, x);
  return p;
}

interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Analog Butterworth prototype (scipy.signal.buttap): no zeros, N poles on the left unit half-circle. */
function buttap(order: number): Zpk {
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    p.push(c(-Math.cos(theta), -Math.sin(theta)));
  }
  return { z: [], p, k: 1 };
}

function lp2lp(zpk: Zpk, wo: number): Zpk {
  const degree = zpk.p.length - zpk.z.length;
  return { z: zpk.z.map((z) => scale(z, wo)), p: zpk.p.map((p) => scale(p, wo)), k: zpk.k * wo ** degree };
}

function lp2hp(zpk: Zpk, wo: number): Zpk {
  const degree = zpk.p.length - zpk.z.length;
  const z = zpk.z.map((x) => div(c(wo), x));
  const p = zpk.p.map((x) => div(c(wo), x));
  for (let i = 0; i < degree; i++) z.push(c(0));
  const k = zpk.k * div(prod(zpk.z.map((x) => scale(x, -1))), prod(zpk.p.map((x) => scale(x, -1)))).re;
  return { z, p, k };
}

function lp2bp(zpk: Zpk, wo: number, bw: number): Zpk {
  const degree = zpk.p.length - zpk.z.length;
  const split = (xs: Complex[]): Complex[] => {
    const lp = xs.map((x) => scale(x, bw / 2));
    const roots = lp.map((x) => sqrt(sub(mul(x, x), c(wo * wo))));
    return [...lp.map((x, i) => add(x, roots[i]!)), ...lp.map((x, i) => sub(x, roots[i]!))];
  };
  const z = split(zpk.z);
  const p = split(zpk.p);
  for (let i = 0; i < degree; i++) z.push(c(0));
  return { z, p, k: zpk.k * bw ** degree };
}

function bilinear(zpk: Zpk, fs: number): Zpk {
  const degree = zpk.p.length - zpk.z.length;
  const fs2 = c(2 * fs);
  const z = zpk.z.map((x) => div(add(fs2, x), sub(fs2, x)));
  const p = zpk.p.map((x) => div(add(fs2, x), sub(fs2, x)));
  for (let i = 0; i < degree; i++) z.push(c(-1));
  const k = zpk.k * div(prod(zpk.z.map((x) => sub(fs2, x))), prod(zpk.p.map((x) => sub(fs2, x)))).re;
  return { z, p, k };
}

// ---- zpk2sos, following scipy.signal.zpk2sos (pairing 'nearest', digital) ----

const EPS = 2.220446049250313e-16;

/**
 * scipy's _cplxreal followed by concatenation: one member (positive imaginary part) of each conjugate
 * pair, sorted by real part then |imag|, followed by the real values sorted.
 */
function cplxreal(values: readonly Complex[]): Complex[] {
  if (values.length === 0) return [];
  const tol = 100 * EPS;
  const z = [...values].sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const realMask = z.map((x) => Math.abs(x.im) <= tol * abs(x));
  const zr = z.filter((_, i) => realMask[i]).map((x) => x.re);
  const rest = z.filter((_, i) => !realMask[i]);
  const zp = rest.filter((x) => x.im > 0);
  const zn = rest.filter((x) => x.im < 0);
  if (zp.length !== zn.length) throw new RangeError('zpk2sos: complex value without a matching conjugate');
  // runs of (approximately) equal real part are sorted by |imag|
  let start = 0;
  while (start < zp.length) {
    let stop = start;
    while (stop + 1 < zp.length && zp[stop + 1]!.re - zp[stop]!.re <= tol * abs(zp[stop]!)) stop++;
    if (stop > start) {
      const byImag = (a: Complex, b: Complex) => Math.abs(a.im) - Math.abs(b.im);
      zp.splice(start, stop - start + 1, ...zp.slice(start, stop + 1).sort(byImag));
      zn.splice(start, stop - start + 1, ...zn.slice(start, stop + 1).sort(byImag));
    }
    start = stop + 1;
  }
  const zc = zp.map((x, i) => {
    const n = zn[i]!;
    if (abs(sub(x, conj(n))) > tol * abs(n)) {
      throw new RangeError('zpk2sos: complex value without a matching conjugate');
    }
    return scale(add(x, conj(n)), 0.5);
  });
  return [...zc, ...zr.map((r) => c(r))];
}

/** Index of the entry of `from` nearest to `to`, among real, complex or any entries (scipy's helper). */
function nearestIdx(from: readonly Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from.map((_, i) => i).sort((i, j) => abs(sub(from[i]!, to)) - abs(sub(from[j]!, to)));
  if (which === 'any') return order[0]!;
  const found = order.find((i) => isReal(from[i]!) === (which === 'real'));
  if (found === undefined) throw new RangeError(`zpk2sos: no ${which} zero left`);
  return found;
}

/** Index of the pole closest to the unit circle (first one on ties, like numpy.argmin). */
function idxWorst(p: readonly Complex[], candidates: readonly number[] = p.map((_, i) => i)): number {
  let best = candidates[0]!;
  for (const i of candidates) if (Math.abs(1 - abs(p[i]!)) < Math.abs(1 - abs(p[best]!))) best = i;
  return best;
}

/** Monic polynomial with the given roots (numpy.poly), real part. */
function poly(roots: readonly Complex[]): number[] {
  let a: Complex[] = [c(1)];
  for (const r of roots) {
    const next: Complex[] = a.map((x) => x);
    next.push(c(0));
    for (let i = 1; i < next.length; i++) next[i] = sub(next[i]!, mul(r, a[i - 1]!));
    a = next;
  }
  return a.map((x) => x.re);
}

/** One section from up to two zeros and poles, right-aligned like scipy's _single_zpksos. */
function singleSection(z: readonly Complex[], p: readonly Complex[]): SosSection {
  const sos = [0, 0, 0, 0, 0, 0];
  const b = poly(z);
  const a = poly(p);
  for (let i = 0; i < b.length; i++) sos[3 - b.length + i] = b[i]!;
  for (let i = 0; i < a.length; i++) sos[6 - a.length + i] = a[i]!;
  return sos as unknown as SosSection;
}

function zpk2sos(zIn: readonly Complex[], pIn: readonly Complex[], k: number): SosSection[] {
  if (zIn.length === 0 && pIn.length === 0) return [[k, 0, 0, 1, 0, 0]];
  let p = [...pIn];
  let z = [...zIn];
  while (p.length < z.length) p.push(c(0));
  while (z.length < p.length) z.push(c(0));
  const nSections = (p.length + 1) >> 1;
  if (p.length % 2 === 1) {
    p.push(c(0));
    z.push(c(0));
  }
  z = cplxreal(z);
  p = cplxreal(p);
  const take = (xs: Complex[], i: number): Complex => xs.splice(i, 1)[0]!;
  const realCount = (xs: readonly Complex[]) => xs.filter(isReal).length;

  const sos: SosSection[] = new Array<SosSection>(nSections);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, idxWorst(p));
    if (isReal(p1) && realCount(p) === 0) {
      // last remaining real pole: first-order section (padded with a pole and a zero at the origin)
      const z1 = take(z, nearestIdx(z, p1, 'real'));
      sos[si] = singleSection([z1, c(0)], [p1, c(0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && realCount(p) === 1 && realCount(z) === 1) {
      // one real pole and one real zero left: this complex pole must take a complex zero
      const z1 = take(z, nearestIdx(z, p1, 'complex'));
      sos[si] = singleSection([z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIdx = p.map((_, i) => i).filter((i) => isReal(p[i]!));
        p2 = take(p, idxWorst(p, realIdx));
      } else {
        p2 = conj(p1);
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIdx(z, p1, 'any'));
        if (!isReal(z1)) {
          sos[si] = singleSection([z1, conj(z1)], [p1, p2]);
        } else if (z.length > 0) {
          const z2 = take(z, nearestIdx(z, p1, 'real'));
          sos[si] = singleSection([z1, z2], [p1, p2]);
        } else {
          sos[si] = singleSection([z1], [p1, p2]);
        }
      } else {
        sos[si] = singleSection([], [p1, p2]);
      }
    }
  }
  const first = sos[0]!;
  sos[0] = [first[0] * k, first[1] * k, first[2] * k, first[3], first[4], first[5]];
  return sos;
}

/**
 * Digital Butterworth filter of `order` as second-order sections, equal to
 * scipy.signal.butter(order, cutoffHz, type, fs=fs, output='sos'). `cutoffHz` is the −3 dB frequency
 * in Hz (a [low, high] pair for 'bandpass', which then has 2·order poles). The gain of the whole
 * cascade goes into the first section, like scipy.
 *
 * Throws RangeError for an order that is not a positive integer or a wrong cutoff shape, and
 * CodedError E_INPUT_VALUE when a cutoff is not strictly between 0 and fs/2 (the sampling rate of the
 * data is too low for this filter).
 */
export function butter(
  order: number,
  cutoffHz: number | readonly [number, number],
  fs: number,
  type: FilterType,
): Sos {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`butter: order must be a positive integer`);
  const cutoffs = typeof cutoffHz === 'number' ? [cutoffHz] : [...cutoffHz];
  if ((type === 'bandpass') !== (cutoffs.length === 2)) {
    throw new RangeError(`butter: ${type} needs ${type === 'bandpass' ? 'two cut-offs' : 'one cut-off'}`);
  }
  if (!(fs > 0) || !Number.isFinite(fs))
    throw new RangeError(`butter: fs must be a positive number, got ${fs}`);
  for (const f of cutoffs) {
    if (!(f > 0 && f < fs / 2)) {
      throw new CodedError(
        'E_INPUT_VALUE',
        `A ${f} Hz filter cut-off needs a sampling rate above ${2 * f} Hz; the data are sampled at ${fs} Hz.`,
      );
    }
  }
  if (type === 'bandpass' && !(cutoffs[0]! < cutoffs[1]!)) {
    throw new RangeError('butter: band-pass cut-offs must be [low, high] with low < high');
  }
  // normalise to Nyquist (Wn = 2·f/fs), then prewarp for the bilinear transform at fs = 2
  const warped = cutoffs.map((f) => 4 * Math.tan((Math.PI * ((2 * f) / fs)) / 2));
  const proto = buttap(order);
  let analog: Zpk;
  if (type === 'lowpass') analog = lp2lp(proto, warped[0]!);
  else if (type === 'highpass') analog = lp2hp(proto, warped[0]!);
  else analog = lp2bp(proto, Math.sqrt(warped[0]! * warped[1]!), warped[1]! - warped[0]!);
  const digital = bilinear(analog, 2);
  return zpk2sos(digital.z, digital.p, digital.k);
}

function checkSos(sos: Sos): void {
  if (sos.length === 0) throw new RangeError('sos must have at least one section');
  for (const s of sos) {
    if (s.length !== 6 || s[3] !== 1)
      throw new RangeError('each sos section must be [b0, b1, b2, 1, a1, a2]');
  }
}

/**
 * Steady-state initial conditions of {@link sosfilt} for a unit step (scipy.signal.sosfilt_zi): an
 * array [s0z0, s0z1, s1z0, …] of 2 per section; multiply by the first sample to start in steady state.
 */
export function sosfiltZi(sos: Sos): Float64Array<ArrayBuffer> {
  checkSos(sos);
  const zi = new Float64Array(2 * sos.length);
  let gain = 1;
  sos.forEach(([b0, b1, b2, , a1, a2], s) => {
    // lfilter_zi: solve (I − companion(a)ᵀ)·zi = b[1:] − a[1:]·b0 for this 2×2 system
    const r0 = b1 - a1 * b0;
    const r1 = b2 - a2 * b0;
    const z0 = (r0 + r1) / (1 + a1 + a2);
    zi[2 * s] = gain * z0;
    zi[2 * s + 1] = gain * (r1 - a2 * z0);
    gain *= (b0 + b1 + b2) / (1 + a1 + a2);
  });
  return zi;
}

/**
 * Filters `x` through the sections in cascade (scipy.signal.sosfilt, direct form II transposed).
 * `zi` (2 per section, see {@link sosfiltZi}) is the initial state; it is updated in place to the
 * final state when given. Returns a new array; `out` may be passed to reuse memory (it may be `x`
 * itself if `x` is a Float64Array).
 */
export function sosfilt(
  sos: Sos,
  x: ArrayLike<number>,
  zi?: Float64Array,
  out?: Float64Array<ArrayBuffer>,
): Float64Array<ArrayBuffer> {
  checkSos(sos);
  const n = x.length;
  const y = out ?? new Float64Array(n);
  const state = zi ?? new Float64Array(2 * sos.length);
  if (state.length !== 2 * sos.length) throw new RangeError('zi must hold 2 values per section');
  const nSec = sos.length;
  const coef = new Float64Array(5 * nSec);
  sos.forEach(([b0, b1, b2, , a1, a2], s) => coef.set([b0, b1, b2, a1, a2], 5 * s));
  for (let i = 0; i < n; i++) {
    let v = x[i]!;
    for (let s = 0; s < nSec; s++) {
      const o = 5 * s;
      const xn = v;
      v = coef[o]! * xn + state[2 * s]!;
      state[2 * s] = coef[o + 1]! * xn - coef[o + 3]! * v + state[2 * s + 1]!;
      state[2 * s + 1] = coef[o + 2]! * xn - coef[o + 4]! * v;
    }
    y[i] = v;
  }
  return y;
}

/**
 * The default pad length of {@link sosfiltfilt}: 3·(2·n_sections + 1 − min(#(b2 = 0), #(a2 = 0))),
 * as scipy.signal.sosfiltfilt. The signal must be longer than this.
 */
export function sosfiltfiltPadlen(sos: Sos): number {
  const b2Zero = sos.filter((s) => s[2] === 0).length;
  const a2Zero = sos.filter((s) => s[5] === 0).length;
  return 3 * (2 * sos.length + 1 - Math.min(b2Zero, a2Zero));
}

/**
 * Zero-phase forward–backward filtering, equal to scipy.signal.sosfiltfilt(sos, x) with its defaults:
 * the signal is extended at both ends by odd reflection (2·x₀ − x[padlen…1], 2·x_last − …) of
 * {@link sosfiltfiltPadlen} samples, filtered forward from the sosfilt_zi steady state scaled by the
 * first extended sample, then backward the same way, and the padding is cut off. The magnitude
 * response is squared (a Butterworth of order N gives −6 dB at its cut-off) and the phase is zero.
 *
 * Throws CodedError E_TOO_FEW_EVENTS when x has padlen samples or fewer (scipy raises there too).
 */
export function sosfiltfilt(sos: Sos, x: ArrayLike<number>): Float64Array<ArrayBuffer> {
  checkSos(sos);
  const n = x.length;
  const pad = sosfiltfiltPadlen(sos);
  if (n <= pad) {
    throw new CodedError(
      'E_TOO_FEW_EVENTS',
      `The signal has ${n} samples; zero-phase filtering with ${sos.length} second-order sections needs more ` +
        `than ${pad} (the pad length).`,
    );
  }
  const m = n + 2 * pad;
  const ext = new Float64Array(m);
  const first = x[0]!;
  const last = x[n - 1]!;
  for (let i = 0; i < pad; i++) {
    ext[i] = 2 * first - x[pad - i]!;
    ext[pad + n + i] = 2 * last - x[n - 2 - i]!;
  }
  for (let i = 0; i < n; i++) ext[pad + i] = x[i]!;
  const zi = sosfiltZi(sos);
  const state = new Float64Array(zi.length);
  for (let i = 0; i < zi.length; i++) state[i] = zi[i]! * ext[0]!;
  sosfilt(sos, ext, state, ext);
  ext.reverse();
  for (let i = 0; i < zi.length; i++) state[i] = zi[i]! * ext[0]!;
  sosfilt(sos, ext, state, ext);
  ext.reverse();
  return ext.slice(pad, pad + n);
}

/**
 * Complex frequency response H(e^{iω}) of the cascade at `fHz` for sampling rate `fs` (like one point of
 * scipy.signal.sosfreqz). |H| is the gain: 1/√2 at a Butterworth cut-off (single pass).
 */
export function sosResponse(sos: Sos, fHz: number, fs: number): { re: number; im: number } {
  const w = (2 * Math.PI * fHz) / fs;
  const z1 = c(Math.cos(w), -Math.sin(w)); // z⁻¹
  const z2 = mul(z1, z1);
  let h = c(1);
  for (const [b0, b1, b2, a0, a1, a2] of sos) {
    const num = add(add(c(b0), scale(z1, b1)), scale(z2, b2));
    const den = add(add(c(a0), scale(z1, a1)), scale(z2, a2));
    h = mul(h, div(num, den));
  }
  return h;
}
