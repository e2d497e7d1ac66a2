import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import {
  fitSpiral,
  smoothnessIndices,
  spiralWidthVariability,
  thetaGrid,
  unwrappedAngles,
} from './spiral-geometry.js';

/** Points of r = a + b·φ around (cx, cy), φ from 0 to 2π·turns, polar angle sign·φ + angle0. */
function spiral(
  a: number,
  b: number,
  turns: number,
  n: number,
  options: { inward?: boolean; sign?: 1 | -1; cx?: number; cy?: number; angle0?: number } = {},
) {
  const { inward = false, sign = 1, cx = 3, cy = -7, angle0 = 0.4 } = options;
  const x: number[] = [];
  const y: number[] = [];
  const phiMax = 2 * Math.PI * turns;
  for (let i = 0; i < n; i++) {
    const phi = (i / (n - 1)) * phiMax;
    const r = a + b * (inward ? phiMax - phi : phi);
    x.push(cx + r * Math.cos(angle0 + sign * phi));
    y.push(cy + r * Math.sin(angle0 + sign * phi));
  }
  return { x, y };
}

describe('unwrappedAngles', () => {
  it('unwraps a path turning twice around the centre', () => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i <= 16; i++) {
      x.push(Math.cos((i * Math.PI) / 4));
      y.push(Math.sin((i * Math.PI) / 4));
    }
    const theta = unwrappedAngles(x, y, 0, 0);
    theta.forEach((t, i) => expect(t).toBeCloseTo((i * Math.PI) / 4, 12));
  });
});

describe('fitSpiral', () => {
  it('finds centre, a, b, rotation sense and direction of perfect spirals', () => {
    for (const inward of [false, true]) {
      for (const sign of [1, -1] as const) {
        const { x, y } = spiral(5, 1.5, 3.5, 1500, { inward, sign });
        const fit = fitSpiral(x, y)!;
        expect(fit.centreX).toBeCloseTo(3, 5);
        expect(fit.centreY).toBeCloseTo(-7, 5);
        expect(fit.rotationSign).toBe(sign);
        expect(fit.direction).toBe(inward ? 'inward' : 'outward');
        expect(fit.b).toBeCloseTo(inward ? -1.5 : 1.5, 6);
        // θ = 0 at the first point: r there is a (outward) or a + b·φmax (inward)
        expect(fit.a).toBeCloseTo(inward ? 5 + 1.5 * 7 * Math.PI : 5, 4);
        expect(fit.turns).toBeCloseTo(3.5, 6);
        expect(fit.rSquared).toBeCloseTo(1, 9);
        expect(fit.residualRmsMm).toBeLessThan(1e-5);
        expect(fit.theta[0]).toBe(0);
      }
    }
  });

  it('refines the centre far below the Nelder–Mead tolerance (Gauss–Newton)', () => {
    for (const inward of [false, true]) {
      const { x, y } = spiral(4, 1.2, 3, 1200, { inward, cx: 20, cy: 30 });
      const fit = fitSpiral(x, y)!;
      // extent about 2·(4 + 1.2·6π) ≈ 53 mm: 10⁻⁷ of it (the former tolerance) is 5·10⁻⁶ mm
      expect(Math.abs(fit.centreX - 20)).toBeLessThan(1e-9);
      expect(Math.abs(fit.centreY - 30)).toBeLessThan(1e-9);
    }
  });

  it('finds the centre from the centroid when the first point is far from it (inward spiral)', () => {
    const { x, y } = spiral(2, 2, 4, 2000, { inward: true, cx: 100, cy: 50 });
    const fit = fitSpiral(x, y)!;
    expect(fit.centreX).toBeCloseTo(100, 4);
    expect(fit.centreY).toBeCloseTo(50, 4);
  });

  it('minimises the least-squares cost over all points, repeated points (a resting pen) included', () => {
    // a noisy spiral whose pen rests at three places (runs of identical points): the cost of the
    // fitted centre, computed here from scratch (atan2 angles, line fit of r on θ), is not beaten by
    // any centre 1 µm – 0.1 mm away from it
    const rng = seededRandom(7);
    const base = spiral(3, 1.2, 3, 900, { cx: 40, cy: 25 });
    const x: number[] = [];
    const y: number[] = [];
    base.x.forEach((xi, i) => {
      const copies = i === 0 ? 300 : i === 450 || i === 800 ? 150 : 1;
      const px = xi + rng.normal(0, 0.15);
      const py = base.y[i]! + rng.normal(0, 0.15);
      for (let k = 0; k < copies; k++) {
        x.push(px);
        y.push(py);
      }
    });
    const cost = (cx: number, cy: number) => {
      const theta = unwrappedAngles(x, y, cx, cy);
      const r = x.map((xi, i) => Math.hypot(xi - cx, y[i]! - cy));
      const n = r.length;
      const mt = theta.reduce((a, b) => a + b, 0) / n;
      const mr = r.reduce((a, b) => a + b, 0) / n;
      let stt = 0;
      let str = 0;
      for (let i = 0; i < n; i++) {
        stt += (theta[i]! - mt) ** 2;
        str += (theta[i]! - mt) * (r[i]! - mr);
      }
      let sse = 0;
      for (let i = 0; i < n; i++) sse += (r[i]! - mr - (str / stt) * (theta[i]! - mt)) ** 2;
      return sse;
    };
    const fit = fitSpiral(x, y)!;
    const best = cost(fit.centreX, fit.centreY);
    expect(fit.residualRmsMm).toBeCloseTo(Math.sqrt(best / x.length), 9);
    for (const d of [1e-3, 1e-2, 0.1]) {
      for (let k = 0; k < 8; k++) {
        const angle = (k * Math.PI) / 4;
        const neighbour = cost(fit.centreX + d * Math.cos(angle), fit.centreY + d * Math.sin(angle));
        expect(neighbour).toBeGreaterThanOrEqual(best * (1 - 1e-12));
      }
    }
    expect(Math.hypot(fit.centreX - 40, fit.centreY - 25)).toBeLessThan(0.3);
  });

  it('returns null for fewer than 3 points or coincident points, and a poor R² for a line', () => {
    expect(fitSpiral([0, 1], [0, 1])).toBeNull();
    expect(fitSpiral([1, 1, 1], [2, 2, 2])).toBeNull();
    const line = fitSpiral(
      Array.from({ length: 50 }, (_, i) => i),
      Array.from({ length: 50 }, () => 0),
    )!;
    expect(line.turns).toBeLessThan(0.6);
  });
});

describe('thetaGrid', () => {
  it('keeps only new maxima of θ and interpolates r linearly on the grid', () => {
    // θ goes 0, 1, 0.5 (back: left out), 2, 4; r = 10, 12, 99, 14, 18
    const grid = thetaGrid([0, 1, 0.5, 2, 4], [10, 12, 99, 14, 18], 0.5)!;
    expect(grid.theta0).toBe(0);
    expect([...grid.r]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('returns null when θ never increases enough', () => {
    expect(thetaGrid([0, 0.001], [1, 2], 0.5)).toBeNull();
    expect(thetaGrid([3, 2, 1], [1, 2, 3], 0.5)).toBeNull();
  });
});

describe('spiralWidthVariability', () => {
  it('is SD(w)/|mean(w)| of w = r(θ + 2π) − r(θ)', () => {
    // step π: lag 2; r = 0, 1, 3, 4, 7 → w = 3, 3, 4: mean 10/3, sample SD √(1/3)
    const swvi = spiralWidthVariability({ theta0: 0, step: Math.PI, r: Float64Array.from([0, 1, 3, 4, 7]) });
    expect(swvi).toBeCloseTo(Math.sqrt(1 / 3) / (10 / 3), 12);
    // inward: w negative, same value
    const inward = spiralWidthVariability({
      theta0: 0,
      step: Math.PI,
      r: Float64Array.from([7, 4, 3, 1, 0]),
    });
    expect(inward).toBeCloseTo(swvi, 12);
  });

  it('is 0 for equal spacing and NaN with less than one turn of w', () => {
    expect(
      spiralWidthVariability({ theta0: 0, step: Math.PI, r: Float64Array.from([0, 1, 2, 3, 4, 5]) }),
    ).toBe(0);
    expect(spiralWidthVariability({ theta0: 0, step: Math.PI, r: Float64Array.from([0, 1, 2]) })).toBeNaN();
  });
});

describe('smoothnessIndices', () => {
  it('computes the first- and second-order indices and zero crossings per turn', () => {
    // r = θ² on a grid of step 1: dr/dθ (numpy.gradient) = 1, 2, 4, 6, 7; minus b = 2: −1, 0, 2, 4, 5
    // d²r/dθ² = gradient again = 1, 1.5, 2, 1.5, 1; one sign change over 4 rad = 4/(2π) turns
    const s = smoothnessIndices({ theta0: 0, step: 1, r: Float64Array.from([0, 1, 4, 9, 16]) }, 2);
    expect(s.firstOrderSmoothness).toBeCloseTo(Math.log((1 + 0 + 4 + 16 + 25) / 5), 12);
    expect(s.secondOrderSmoothness).toBeCloseTo(Math.log((1 + 2.25 + 4 + 2.25 + 1) / 5), 12);
    expect(s.zeroCrossingsPerTurn).toBeCloseTo(1 / (4 / (2 * Math.PI)), 12);
  });
});
