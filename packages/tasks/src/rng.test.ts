import { describe, expect, it } from 'vitest';
import { createRng, formatUuidV4, randomUuid } from './rng';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it('normal() has the requested mean and SD', () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(200, 20));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(mean).toBeCloseTo(200, 0);
    expect(Math.abs(sd - 20)).toBeLessThan(0.6);
  });

  it('int() covers both ends', () => {
    const rng = createRng(3);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(1, 4)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });

  it('uuid() is a deterministic version-4 UUID', () => {
    expect(createRng(5).uuid()).toMatch(UUID_V4);
    expect(createRng(5).uuid()).toBe(createRng(5).uuid());
    expect(createRng(5).uuid()).not.toBe(createRng(6).uuid());
  });

  it('rejects a seed that is not a number', () => {
    expect(() => createRng(NaN)).toThrow(RangeError);
  });
});

describe('randomUuid', () => {
  it('is a version-4 UUID, also without crypto.randomUUID', () => {
    expect(randomUuid()).toMatch(UUID_V4);
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      expect(randomUuid()).toMatch(UUID_V4);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
    expect(formatUuidV4(new Uint8Array(16).fill(255))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
