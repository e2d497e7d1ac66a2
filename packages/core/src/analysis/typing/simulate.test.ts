import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyPress, TypingInput } from '../inputs.js';
import { seededRandom } from '../random.js';
import { analyzeTyping } from './analyzer.js';
import { simulateTyping } from './simulate.js';

const RUNS = { seed: 1, numRuns: 20 };
const N = 3000;

/**
 * Relative standard error of the sample median of a log-normal sample on the log scale:
 * √(π/2)·σ/√n (asymptotic variance of the median of a normal). Tolerances below are 4 standard
 * errors plus a stated allowance for the model's known biases, so a failure means a real error.
 */
const medianSe = (spread: number, n: number) => (1.2533 * spread) / Math.sqrt(n);

const typist = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  holdMedianMs: fc.double({ min: 60, max: 200, noNaN: true }),
  holdSpread: fc.double({ min: 0.2, max: 0.45, noNaN: true }),
  ikiMedianMs: fc.double({ min: 150, max: 500, noNaN: true }),
});

describe('simulated typists: the metrics recover the truth', () => {
  it('recovers keystroke count, hold median, IKI median and backspace rate', () => {
    fc.assert(
      fc.property(typist, ({ seed, ...truth }) => {
        const sim = simulateTyping(seed, { ...truth, keystrokes: N });
        const m = analyzeTyping(sim.input).metrics;
        // exact: the row rules drop the long presses and their repeats, nothing else
        expect(m.keystroke_count).toBe(sim.truth.keptKeystrokes);
        expect(m.backspace_rate_pct).toBeCloseTo((100 * sim.truth.backspaces) / sim.truth.keptKeystrokes, 10);
        // hold median: 4 SE + 1 % (Shift held around ~2 % capitals lengthens a few holds)
        const holdTol = 4 * medianSe(truth.holdSpread, N) + 0.01;
        expect(Math.abs(Math.log(m.hold_time_median_ms! / truth.holdMedianMs))).toBeLessThan(holdTol);
        // IKI median: 4 SE + 2 % (a key is never pressed again before its own release, which lengthens a few intervals)
        const ikiTol = 4 * medianSe(0.45, N) + 0.02;
        expect(Math.abs(Math.log(m.iki_median_ms! / truth.ikiMedianMs))).toBeLessThan(ikiTol);
      }),
      RUNS,
    );
  });

  it('recovers the hold-time fluctuation √2·σ of independent log-normal holds', () => {
    fc.assert(
      fc.property(typist, ({ seed, ...truth }) => {
        const sim = simulateTyping(seed, { ...truth, keystrokes: N, capitals: false });
        const m = analyzeTyping(sim.input).metrics;
        // successive differences of iid N(μ, σ²) have SD √2·σ; the SD estimate has a relative SE of
        // about √(1.5 / 2n) (lag-1 correlation −0.5 of the differences): 4 SE ≈ 6 % at n = 3000
        const tol = 4 * Math.sqrt(1.5 / (2 * N)) + 0.01;
        expect(Math.abs(m.hold_time_log_diff_sd! / (Math.SQRT2 * truth.holdSpread) - 1)).toBeLessThan(tol);
        // the windowed fluctuation estimates the same quantity
        expect(Math.abs(m.hold_time_log_diff_sd_win60! / (Math.SQRT2 * truth.holdSpread) - 1)).toBeLessThan(
          0.15,
        );
      }),
      RUNS,
    );
  });

  it('recovers the left/right hold ratio and per-hand medians', () => {
    fc.assert(
      fc.property(typist, fc.double({ min: 0.8, max: 1.5, noNaN: true }), ({ seed, ...truth }, factor) => {
        const sim = simulateTyping(seed, { ...truth, keystrokes: N, leftHoldFactor: factor });
        const m = analyzeTyping(sim.input).metrics;
        // about 40 % of keystrokes are pinky–index keys of each hand: SE of the log ratio ≈ √2 × median SE at n = 0.4 N
        const tol = 4 * Math.SQRT2 * medianSe(truth.holdSpread, 0.4 * N);
        expect(Math.abs(Math.log(m.hold_time_left_right_ratio! / factor))).toBeLessThan(tol);
        expect(Math.abs(Math.log(m.hold_time_median_right_ms! / truth.holdMedianMs))).toBeLessThan(
          4 * medianSe(truth.holdSpread, 0.4 * N),
        );
      }),
      RUNS,
    );
  });

  it('keeps the hold median on a 125-Hz USB polling grid (8 ms)', () => {
    fc.assert(
      fc.property(typist, ({ seed, ...truth }) => {
        const sim = simulateTyping(seed, { ...truth, keystrokes: N, pollMs: 8 });
        const m = analyzeTyping(sim.input).metrics;
        expect(m.keystroke_count).toBe(sim.truth.keptKeystrokes);
        // both stamps are delayed by U(0, 8) ms: the hold gains a zero-mean triangular error (SD 3.3 ms)
        const tolMs = (4 * medianSe(truth.holdSpread, N) + 0.01) * truth.holdMedianMs + 4;
        expect(Math.abs(m.hold_time_median_ms! - truth.holdMedianMs)).toBeLessThan(tolMs);
      }),
      RUNS,
    );
  });
});

const shift = (input: TypingInput, byMs: number): TypingInput => ({
  ...input,
  presses: input.presses.map((p) => ({ ...p, downMs: p.downMs + byMs, upMs: p.upMs + byMs })),
});

function shuffle(presses: KeyPress[], seed: number): KeyPress[] {
  const rng = seededRandom(seed);
  const out = [...presses];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('typing invariances', () => {
  const small = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    holdMedianMs: fc.double({ min: 60, max: 200, noNaN: true }),
    ikiMedianMs: fc.double({ min: 150, max: 500, noNaN: true }),
  });

  it('gives the same metrics after a constant time shift', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: -1_000_000, max: 1_000_000 }), (p, byMs) => {
        // times are on a 1-ms grid, so an integer shift is exact
        const { input } = simulateTyping(p.seed, { ...p, holdSpread: 0.35, keystrokes: 400 });
        expect(analyzeTyping(shift(input, byMs)).metrics).toEqual(analyzeTyping(input).metrics);
        // a fractional shift changes the last bits only
        const a = analyzeTyping(shift(input, 0.37)).metrics;
        const b = analyzeTyping(input).metrics;
        for (const [id, value] of Object.entries(b)) {
          if (value === null) expect(a[id]).toBeNull();
          else expect(a[id]).toBeCloseTo(value, 6);
        }
      }),
      RUNS,
    );
  });

  it('gives the same metrics whatever the order of the presses', () => {
    fc.assert(
      fc.property(small, fc.integer(), (p, order) => {
        const { input } = simulateTyping(p.seed, { ...p, holdSpread: 0.35, keystrokes: 400 });
        const shuffled = { ...input, presses: shuffle(input.presses, order) };
        expect(analyzeTyping(shuffled)).toEqual(analyzeTyping(input));
      }),
      RUNS,
    );
  });
});
