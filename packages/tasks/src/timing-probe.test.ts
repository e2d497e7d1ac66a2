import { describe, expect, it } from 'vitest';
import { estimateQuantumMs, probeTiming } from './timing-probe';

/** A clock that reads each value of `values` a few times, then repeats the last one. */
function steppedClock(values: number[], readsPerValue = 3): () => number {
  let i = 0;
  return () => values[Math.min(values.length - 1, Math.floor(i++ / readsPerValue))]!;
}

describe('estimateQuantumMs', () => {
  it('finds the smallest frequent step, ignoring rare smaller ones and float noise', () => {
    const diffs = [...Array(150).fill(0.1 + 1e-12), ...Array(45).fill(0.2), 0.0371, 0.05];
    expect(estimateQuantumMs(diffs)).toBe(0.1);
  });

  it('gives the 100-ms step of a fingerprint-resistant clock', () => {
    expect(estimateQuantumMs([100, 100, 100.00000001, 200])).toBe(100);
  });

  it('falls back to the median step when no step repeats, and null without steps', () => {
    expect(estimateQuantumMs([0.0013, 0.0021, 0.0017])).toBe(0.0017);
    expect(estimateQuantumMs([0.5])).toBe(0.5);
    expect(estimateQuantumMs([0, 0, -1])).toBeNull();
  });
});

describe('probeTiming', () => {
  it('collects 200 differences and reports a 5-µs clock as fine', () => {
    const values = Array.from({ length: 400 }, (_, i) => 1000 + i * 0.005);
    const result = probeTiming({
      now: steppedClock(values),
      crossOriginIsolated: true,
      timeOriginMs: 1.7e12,
    });
    expect(result).toEqual({
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: null,
      timeOriginMs: 1.7e12,
      sampleCount: 200,
      coarse: false,
    });
  });

  it('stops after maxMs on a coarse clock and flags it', () => {
    const values = Array.from({ length: 100 }, (_, i) => i * 100);
    const result = probeTiming({ now: steppedClock(values), maxMs: 250 });
    expect(result.resolutionMs).toBe(100);
    expect(result.sampleCount).toBe(3);
    expect(result.coarse).toBe(true);
  });

  it('gives up on a frozen clock after maxIterations', () => {
    const result = probeTiming({ now: () => 5, maxIterations: 1000 });
    expect(result.resolutionMs).toBeNull();
    expect(result.sampleCount).toBe(0);
    expect(result.coarse).toBe(false);
  });

  it('reads crossOriginIsolated and timeOrigin from the page by default', () => {
    const result = probeTiming({ now: steppedClock([0, 0.1, 0.2, 0.3]), maxIterations: 10_000 });
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.timeOriginMs).toBe(performance.timeOrigin);
  });
});
