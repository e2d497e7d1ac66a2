import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { fft, isPowerOfTwo, nextPowerOfTwo, realFftPlan, rfft, rfftMagnitudeSquared } from './fft.js';
import fixture from './fixtures/rfft.json' with { type: 'json' };
import { expectAllClose } from './test-utils/close.js';

/** Naive O(n²) DFT with exactly reduced angles: the reference for every length. */
function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[j]! * c - im[j]! * s;
      si += re[j]! * s + im[j]! * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

function randomSignal(seed: number, n: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

// Lengths 1…40 (powers of two through fft.js, the rest through Bluestein) and some primes.
// 1–40, primes (Bluestein) and products of 2, 3 and 5 (mixed radix)
const LENGTHS = [
  ...Array.from({ length: 40 }, (_, i) => i + 1),
  97,
  101,
  127,
  251,
  509,
  100,
  200,
  360,
  375,
  486,
];

describe('fft equals a naive DFT', () => {
  for (const n of LENGTHS) {
    it(`complex length ${n}`, () => {
      const re = randomSignal(n, n);
      const im = randomSignal(1000 + n, n);
      const got = fft(re, im);
      const want = naiveDft(re, im);
      // errors of both are ~√n·ε·‖x‖; the floor is the default 1e-6·max|X|
      const floor = 1e-6 * Math.max(...want.re.map(Math.abs), ...want.im.map(Math.abs));
      expectAllClose(got.re, want.re, floor, 're');
      expectAllClose(got.im, want.im, floor, 'im');
    });
    it(`real length ${n} (one-sided)`, () => {
      const x = randomSignal(2000 + n, n);
      const got = rfft(x);
      const want = naiveDft(x, new Float64Array(n));
      const bins = Math.floor(n / 2) + 1;
      expect(got.re.length).toBe(bins);
      const floor = 1e-6 * Math.max(...want.re.map(Math.abs), ...want.im.map(Math.abs));
      expectAllClose(got.re, want.re.subarray(0, bins), floor, 're');
      expectAllClose(got.im, want.im.subarray(0, bins), floor, 'im');
    });
  }
});

describe('rfft vs numpy.fft.rfft', () => {
  for (const c of fixture.cases) {
    it(`length ${c.x.length}`, () => {
      const got = rfft(c.x);
      const floor = 1e-6 * Math.max(...c.re.map(Math.abs), ...c.im.map(Math.abs));
      expectAllClose(got.re, c.re, floor, 're');
      expectAllClose(got.im, c.im, floor, 'im');
    });
  }
});

describe('fft helpers', () => {
  it('zero-pads to n and reuses cached plans with identical results', () => {
    const x = randomSignal(5, 100);
    const padded = new Float64Array(154);
    padded.set(x);
    const a = rfft(x, 154);
    const b = rfft(padded);
    expect(a.re).toEqual(b.re);
    expect(a.im).toEqual(b.im);
    expect(realFftPlan(154)).toBe(realFftPlan(154));
    const re = new Float64Array(78);
    const im = new Float64Array(78);
    realFftPlan(154).forward(padded, re, im);
    expect(re).toEqual(a.re);
  });

  it('keeps Parseval for a non-power-of-two length', () => {
    const n = 614;
    const x = randomSignal(6, n);
    const p = rfftMagnitudeSquared(x);
    let energy = 0;
    for (const v of x) energy += v * v;
    // one-sided: Σ|X|² = |X0|² + 2·Σ interior (+ |X_{n/2}|² for even n), = n·Σx²
    let total = p[0]! + p[n / 2]!;
    for (let k = 1; k < n / 2; k++) total += 2 * p[k]!;
    expect(total / (n * energy)).toBeCloseTo(1, 12);
  });

  it('detects powers of two and rejects empty transforms', () => {
    expect([1, 2, 64].every(isPowerOfTwo)).toBe(true);
    expect([0, 3, 154, 1.5].some(isPowerOfTwo)).toBe(false);
    expect(nextPowerOfTwo(307)).toBe(512);
    expect(() => fft([])).toThrow(RangeError);
    expect(() => realFftPlan(0)).toThrow(RangeError);
  });
});
