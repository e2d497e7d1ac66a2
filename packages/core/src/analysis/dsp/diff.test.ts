import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { gradient } from './diff.js';
import fixture from './fixtures/gradient.json' with { type: 'json' };
import { expectAllClose } from './test-utils/close.js';

describe('gradient vs numpy.gradient', () => {
  for (const c of fixture.cases) {
    it(`length ${c.x.length}, dt ${c.dtS} s`, () => {
      expectAllClose(gradient(c.x, c.dtS), c.gradient);
    });
  }
});

describe('gradient known truth', () => {
  it('is exact for a parabola inside and one-sided at the ends', () => {
    const dt = 0.1;
    const x = Float64Array.from({ length: 6 }, (_, i) => (i * dt) ** 2);
    const g = gradient(x, dt);
    for (let i = 1; i < 5; i++) expect(g[i]).toBeCloseTo(2 * i * dt, 12);
    expect(g[0]).toBeCloseTo(dt, 12);
    expect(g[5]).toBeCloseTo(2 * 5 * dt - dt, 12);
  });

  it('needs two samples', () => {
    expect(() => gradient([1], 0.01)).toThrow(CodedError);
    expect(() => gradient([1, 2], 0)).toThrow(RangeError);
  });
});
