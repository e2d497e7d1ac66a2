/**
 * Sub-bin refinement of a spectral peak.
 */

/**
 * Vertex of the parabola through (f[i−1], y[i−1]), (f[i], y[i]), (f[i+1], y[i+1]) — pass log-PSD as
 * `y` for the usual log-parabolic peak interpolation (measures.md corrections 8). Works for uneven
 * spacing too. Returns {f[i], y[i]} unchanged when i is the first or last index, when the three
 * points are not a strict local maximum shape (curvature ≥ 0), or when a value is not finite; the
 * returned f always lies within [f[i−1], f[i+1]].
 */
export function parabolicPeak(
  f: ArrayLike<number>,
  y: ArrayLike<number>,
  i: number,
): { f: number; y: number } {
  const here = { f: f[i]!, y: y[i]! };
  if (!Number.isInteger(i) || i < 1 || i >= Math.min(f.length, y.length) - 1) return here;
  const x0 = f[i - 1]!;
  const x1 = f[i]!;
  const x2 = f[i + 1]!;
  const y0 = y[i - 1]!;
  const y1 = y[i]!;
  const y2 = y[i + 1]!;
  // Newton form: y = y1 + d1·(x − x1) + a·(x − x1)(x − x2) … written around x1
  const s01 = (y1 - y0) / (x1 - x0);
  const s12 = (y2 - y1) / (x2 - x1);
  const a = (s12 - s01) / (x2 - x0); // curvature (half the second derivative)
  if (!(a < 0) || !Number.isFinite(a)) return here;
  const b = s01 + a * (x1 - x0); // slope at x1
  const dx = -b / (2 * a);
  const fPeak = Math.min(Math.max(x1 + dx, x0), x2);
  const d = fPeak - x1;
  return { f: fPeak, y: y1 + b * d + a * d * d };
}
