/**
 * Spiral geometry (measures.md 3.3 with correction 7 and the analysis contract's "Spiral centre"
 * note): the centre fit, the unravelling into radius r and angle θ, the Archimedean fit r = a + bθ,
 * and the indices computed on a monotonic θ grid (SWVI, smoothness, zero crossings).
 */
import { gradient } from '../dsp/diff.js';
import { mean, norm2, sampleSd } from '../dsp/stats.js';

/** An Archimedean fit r = a + b·θ of a drawing around a fitted centre. */
export interface SpiralFit {
  /** Fitted centre, in the input's coordinates (mm). */
  centreX: number;
  centreY: number;
  /** r = a + b·θ: a in mm, b in mm/rad; b < 0 ⇔ drawn inward. */
  a: number;
  b: number;
  /**
   * s: +1 when the polar angle atan2(y − c_y, x − c_x) grows along the drawing (anticlockwise with y
   * up, clockwise as seen on a screen where y grows downwards), −1 otherwise.
   */
  rotationSign: 1 | -1;
  /** θ of each point, rad: s·unwrap(atan2(…)), 0 at the first point, increasing along the drawing. */
  theta: Float64Array;
  /** Distance of each point from the centre, mm. */
  r: Float64Array;
  /** RMS of r − (a + bθ), mm. */
  residualRmsMm: number;
  /** Coefficient of determination of the r–θ fit (1 − SSE/SST). */
  rSquared: number;
  /** Net rotation / 2π (θ of the last point / 2π). */
  turns: number;
  direction: 'outward' | 'inward';
}

/** Unwrapped polar angle of every point around (cx, cy), rad (first angle in (−π, π]). */
export function unwrappedAngles(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  cx: number,
  cy: number,
): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  let previous = 0;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const angle = Math.atan2(y[i]! - cy, x[i]! - cx);
    if (i > 0) {
      const step = angle - previous;
      if (step > Math.PI) offset -= 2 * Math.PI;
      else if (step < -Math.PI) offset += 2 * Math.PI;
    }
    out[i] = angle + offset;
    previous = angle;
  }
  return out;
}

/** Least-squares line r = a + b·θ and its sum of squared residuals. */
function fitLine(
  theta: ArrayLike<number>,
  r: ArrayLike<number>,
): { a: number; b: number; sse: number; sst: number } {
  const n = theta.length;
  const mt = mean(theta);
  const mr = mean(r);
  let stt = 0;
  let str = 0;
  let srr = 0;
  for (let i = 0; i < n; i++) {
    const dt = theta[i]! - mt;
    const dr = r[i]! - mr;
    stt += dt * dt;
    str += dt * dr;
    srr += dr * dr;
  }
  const b = stt > 0 ? str / stt : 0;
  const a = mr - b * mt;
  return { a, b, sse: Math.max(0, srr - b * str), sst: srr };
}

/**
 * The points of a drawing as the centre fit evaluates them ({@link mergeRepeats}): runs of consecutive identical points
 * (a resting pen) merged into one point whose weight is the run's length, so that every distinct
 * position is transformed once per cost evaluation. Sums over the weighted points equal the sums
 * over the original points.
 */
interface WeightedPoints {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  /** Number of original points (the sum of the weights). */
  total: number;
}

/** Merges runs of consecutive identical points into weighted points (see {@link WeightedPoints}). */
function mergeRepeats(x: ArrayLike<number>, y: ArrayLike<number>): WeightedPoints {
  const n = x.length;
  const mx = new Float64Array(n);
  const my = new Float64Array(n);
  const mw = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && x[i] === mx[m - 1] && y[i] === my[m - 1]) {
      mw[m - 1]!++;
    } else {
      mx[m] = x[i]!;
      my[m] = y[i]!;
      mw[m] = 1;
      m++;
    }
  }
  return { x: mx.subarray(0, m), y: my.subarray(0, m), w: mw.subarray(0, m), total: n };
}

/**
 * Angle steps up to this size (|cross/dot|, the tangent of the step) are computed by the series of
 * atan instead of Math.atan2: with terms up to z¹³ the truncation error is below z¹⁵/15 < 10⁻²⁰ rad,
 * far below the rounding of the result.
 */
const ATAN_SERIES_MAX = 0.05;

/** Work arrays of {@link centreCost}, one value per weighted point (allocated once per fit). */
interface CostScratch {
  /** The angle step from the previous point (first: the first point's polar angle), then θ, rad. */
  theta: Float64Array;
  /** The distance from the centre. */
  r: Float64Array;
  /** Points whose step is not computed by the series, and their steps. */
  otherIndex: Int32Array;
  otherStep: Float64Array;
  /** The line r = a + bθ of the last cost evaluated. */
  a: number;
  b: number;
  /** The last Gauss–Newton step of the centre. */
  dx: number;
  dy: number;
}

function costScratch(n: number): CostScratch {
  return {
    theta: new Float64Array(n),
    r: new Float64Array(n),
    otherIndex: new Int32Array(n),
    otherStep: new Float64Array(n),
    a: 0,
    b: 0,
    dx: 0,
    dy: 0,
  };
}

/**
 * Sum of squared residuals of the least-squares line r = a + bθ around a candidate centre, without
 * allocation: θ unwrapped as {@link unwrappedAngles}, but accumulated from the angle steps between
 * consecutive points, each step by the series of atan(cross/dot) when it is small — the rule along a
 * drawing, and several times cheaper than atan2 — otherwise by atan2(cross, dot); then the sums of the
 * normal equations. Equal to the cost from atan2 angles up to rounding (relative differences ≤ 4·10⁻¹¹
 * on the public spiral data sets, the size of the rounding error of this one-pass formula itself).
 * Leaves θ and r of every point in `scratch.theta` and `scratch.r`, and the line's a and b in `scratch`.
 *
 * Computed in three passes over the points, each value with the same operations in the same order as
 * in one pass: the ratios cross/dot and the radii; the series of every ratio; θ and the sums. The
 * series' chain of dependent multiplications is the slow part, and a loop of nothing else lets the
 * processor work on several points at once (a quarter faster than one loop doing everything).
 */
function centreCost(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  total: number,
  cx: number,
  cy: number,
  scratch: CostScratch,
): number {
  const n = x.length;
  const { theta: step, r: radius, otherIndex, otherStep } = scratch;
  let px = 0;
  let py = 0;
  let others = 0;
  for (let i = 0; i < n; i++) {
    const qx = x[i]! - cx;
    const qy = y[i]! - cy;
    const cross = px * qy - py * qx;
    const dot = px * qx + py * qy;
    radius[i] = Math.sqrt(qx * qx + qy * qy);
    if (i > 0 && dot > 0 && Math.abs(cross) <= ATAN_SERIES_MAX * dot) {
      step[i] = cross / dot; // the series below turns it into the angle swept from p to q
    } else {
      // the angle swept from p to q, in [−π, π], by atan2 (written out here: a call would box the number)
      let angle: number;
      if (i === 0) {
        angle = Math.atan2(qy, qx); // θ of the first point (p = 0 before it)
      } else if (cross !== 0 || dot !== 0) {
        angle = Math.atan2(cross, dot);
      } else {
        // a zero vector (the centre on a point): its polar angle is atan2(0, 0) = 0, as in unwrappedAngles
        angle = Math.atan2(qy, qx) - Math.atan2(py, px);
        if (angle > Math.PI) angle -= 2 * Math.PI;
        else if (angle < -Math.PI) angle += 2 * Math.PI;
      }
      step[i] = 0;
      otherIndex[others] = i;
      otherStep[others++] = angle;
    }
    px = qx;
    py = qy;
  }
  for (let i = 0; i < n; i++) {
    const z = step[i]!;
    const z2 = z * z;
    step[i] = z * (1 - z2 * (1 / 3 - z2 * (1 / 5 - z2 * (1 / 7 - z2 * (1 / 9 - z2 * (1 / 11 - z2 / 13))))));
  }
  for (let k = 0; k < others; k++) step[otherIndex[k]!] = otherStep[k]!;
  let t = 0;
  let st = 0;
  let sr = 0;
  let stt = 0;
  let str = 0;
  let srr = 0;
  for (let i = 0; i < n; i++) {
    t += step[i]!;
    step[i] = t; // from here on the array holds θ
    const r = radius[i]!;
    const wi = w[i]!;
    st += wi * t;
    sr += wi * r;
    stt += wi * t * t;
    str += wi * t * r;
    srr += wi * r * r;
  }
  const ctt = stt - (st * st) / total;
  const ctr = str - (st * sr) / total;
  const crr = srr - (sr * sr) / total;
  scratch.b = ctt > 0 ? ctr / ctt : 0;
  scratch.a = (sr - scratch.b * st) / total;
  return Math.max(0, ctt > 0 ? crr - (ctr * ctr) / ctt : crr);
}

/**
 * The Gauss–Newton step of the centre from the state {@link centreCost} left in `scratch` (θ, r, a, b at
 * the centre (cx, cy)): the residuals e = r − a − bθ linearised in (cx, cy, a, b) — ∂r/∂c_x = −(x − c_x)/r,
 * ∂θ/∂c_x = (y − c_y)/r², ∂r/∂c_y = −(y − c_y)/r, ∂θ/∂c_y = −(x − c_x)/r² —, a and b eliminated (the
 * Schur complement of their block, which is diagonal with θ centred), the 2 × 2 normal equations solved.
 * Writes the step into `scratch.dx`, `scratch.dy`; false when the system is singular.
 */
function centreStep(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  total: number,
  cx: number,
  cy: number,
  scratch: CostScratch,
): boolean {
  const n = x.length;
  const { theta, r: radius, a, b } = scratch;
  let st = 0;
  for (let i = 0; i < n; i++) st += w[i]! * theta[i]!;
  const mt = st / total;
  let stt = 0;
  let s1 = 0;
  let s2 = 0;
  let st1 = 0;
  let st2 = 0;
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let g1 = 0;
  let g2 = 0;
  for (let i = 0; i < n; i++) {
    const r = radius[i]!;
    if (r === 0) continue; // the centre on a point: no derivative there, the point is left out of the step
    const u = x[i]! - cx;
    const v = y[i]! - cy;
    const t = theta[i]!;
    const tc = t - mt;
    const wi = w[i]!;
    const e = r - a - b * t;
    const inv = 1 / r;
    const bInv2 = b * inv * inv;
    const j1 = -u * inv - v * bInv2; // ∂e/∂c_x
    const j2 = -v * inv + u * bInv2; // ∂e/∂c_y
    stt += wi * tc * tc;
    s1 += wi * j1;
    s2 += wi * j2;
    st1 += wi * tc * j1;
    st2 += wi * tc * j2;
    s11 += wi * j1 * j1;
    s12 += wi * j1 * j2;
    s22 += wi * j2 * j2;
    g1 += wi * j1 * e;
    g2 += wi * j2 * e;
  }
  const q = stt > 0 ? 1 / stt : 0;
  const h11 = s11 - (s1 * s1) / total - st1 * st1 * q;
  const h12 = s12 - (s1 * s2) / total - st1 * st2 * q;
  const h22 = s22 - (s2 * s2) / total - st2 * st2 * q;
  const det = h11 * h22 - h12 * h12;
  if (!(det > 0) || !Number.isFinite(det)) return false;
  scratch.dx = -(h22 * g1 - h12 * g2) / det;
  scratch.dy = -(h11 * g2 - h12 * g1) / det;
  return Number.isFinite(scratch.dx) && Number.isFinite(scratch.dy);
}

/**
 * Relative rounding error of {@link centreCost} that a Gauss–Newton step may add to the cost (≤ 4·10⁻¹¹
 * measured): close to the minimum the change of the cost is smaller than its rounding, and the step,
 * from the derivatives, is the better guide.
 */
const COST_ROUNDING = 1e-10;
/** Halvings of a Gauss–Newton step that raises the cost before the refinement stops. */
const MAX_HALVINGS = 10;

/**
 * Refines a centre by Gauss–Newton ({@link centreStep}), each step halved until the cost does not
 * grow (at most 30 halvings), until a step is shorter than `tolerance` or after `maxIterations`.
 * @returns the refined centre and its cost (never worse than the start's)
 */
function refineCentre(
  points: WeightedPoints,
  start: readonly [number, number],
  tolerance: number,
  scratch: CostScratch,
  maxIterations = 50,
): { point: [number, number]; value: number; converged: boolean } {
  const { x, y, w, total } = points;
  let cx = start[0];
  let cy = start[1];
  let value = centreCost(x, y, w, total, cx, cy, scratch);
  let converged = false;
  for (let it = 0; it < maxIterations; it++) {
    if (!centreStep(x, y, w, total, cx, cy, scratch)) break;
    let dx = scratch.dx;
    let dy = scratch.dy;
    let moved = false;
    for (let halvings = 0; halvings <= MAX_HALVINGS; halvings++) {
      const next = centreCost(x, y, w, total, cx + dx, cy + dy, scratch);
      if (next <= value * (1 + COST_ROUNDING)) {
        cx += dx;
        cy += dy;
        value = next;
        moved = true;
        break;
      }
      dx /= 2;
      dy /= 2;
    }
    if (!moved) break;
    if (Math.hypot(dx, dy) < tolerance) {
      converged = true;
      break;
    }
  }
  return { point: [cx, cy], value, converged };
}
/**
 * Nelder–Mead minimisation of a function of two variables (reflection 1, expansion 2, contraction
 * ½, shrink ½), from `start` with an initial simplex of size `step`, until the simplex is smaller
 * than `tolerance` or after `maxIterations`.
 */
function nelderMead2(
  cost: (p: readonly [number, number]) => number,
  start: readonly [number, number],
  step: number,
  tolerance: number,
  maxIterations = 500,
): { point: [number, number]; value: number } {
  let simplex: { p: [number, number]; v: number }[] = [
    [start[0], start[1]],
    [start[0] + step, start[1]],
    [start[0], start[1] + step],
  ].map((p) => ({ p: p as [number, number], v: cost(p as [number, number]) }));
  for (let it = 0; it < maxIterations; it++) {
    simplex.sort((u, v) => u.v - v.v);
    const [best, mid, worst] = simplex as [(typeof simplex)[0], (typeof simplex)[0], (typeof simplex)[0]];
    const size = Math.max(
      Math.hypot(mid.p[0] - best.p[0], mid.p[1] - best.p[1]),
      Math.hypot(worst.p[0] - best.p[0], worst.p[1] - best.p[1]),
    );
    if (size < tolerance) break;
    const c: [number, number] = [(best.p[0] + mid.p[0]) / 2, (best.p[1] + mid.p[1]) / 2];
    const along = (t: number): { p: [number, number]; v: number } => {
      const p: [number, number] = [c[0] + t * (worst.p[0] - c[0]), c[1] + t * (worst.p[1] - c[1])];
      return { p, v: cost(p) };
    };
    const reflected = along(-1);
    if (reflected.v < best.v) {
      const expanded = along(-2);
      simplex = [best, mid, expanded.v < reflected.v ? expanded : reflected];
    } else if (reflected.v < mid.v) {
      simplex = [best, mid, reflected];
    } else {
      const contracted = reflected.v < worst.v ? along(-0.5) : along(0.5);
      if (contracted.v < Math.min(worst.v, reflected.v)) {
        simplex = [best, mid, contracted];
      } else {
        const shrink = (q: { p: [number, number] }) => {
          const p: [number, number] = [(best.p[0] + q.p[0]) / 2, (best.p[1] + q.p[1]) / 2];
          return { p, v: cost(p) };
        };
        simplex = [best, shrink(mid), shrink(worst)];
      }
    }
  }
  simplex.sort((u, v) => u.v - v.v);
  return { point: simplex[0]!.p, value: simplex[0]!.v };
}

/**
 * Fits the spiral centre and r = a + bθ (analysis contract "Spiral centre"; measures.md 3.3 and
 * correction 7): the centre minimises the least-squares residual of r = a + bθ (θ = unwrapped polar
 * angle), searched for once from the first point and once from the centroid: a few Nelder–Mead steps
 * (initial step 5 % of the larger bounding-box side, until the simplex is smaller than 3 % of it), then
 * Gauss–Newton ({@link refineCentre}) until a step is shorter than 10⁻⁹ of that side — or, where it does
 * not converge, Nelder–Mead until the simplex is smaller than 10⁻⁷ of it; the better fit is kept.
 * (Nelder–Mead alone to 10⁻⁷, up to metric version 1.2.0, needed about six times as many evaluations of
 * the cost; the centres differ by less than that tolerance.) Then θ = s·(unwrap(atan2) − its first value), with s the sign of the net
 * rotation, so θ increases along the drawing; b < 0 ⇔ inward.
 * @param x - point coordinates in drawing order, mm (pen-down samples)
 * @param y - same length as x
 * @returns null with fewer than 3 points or when all points coincide
 */
export function fitSpiral(x: ArrayLike<number>, y: ArrayLike<number>): SpiralFit | null {
  const n = x.length;
  if (n < 3) return null;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]!);
    maxX = Math.max(maxX, x[i]!);
    minY = Math.min(minY, y[i]!);
    maxY = Math.max(maxY, y[i]!);
  }
  const extent = Math.max(maxX - minX, maxY - minY);
  if (!(extent > 0)) return null;
  const points = mergeRepeats(x, y);
  const scratch = costScratch(points.x.length);
  const cost = (p: readonly [number, number]) =>
    centreCost(points.x, points.y, points.w, points.total, p[0], p[1], scratch);
  const starts: [number, number][] = [
    [x[0]!, y[0]!],
    [mean(x), mean(y)],
  ];
  let best: { point: [number, number]; value: number } | null = null;
  for (const start of starts) {
    const coarse = nelderMead2(cost, start, 0.05 * extent, COARSE_TOLERANCE * extent);
    const refined = refineCentre(points, coarse.point, GN_TOLERANCE * extent, scratch);
    const result = refined.converged
      ? refined
      : nelderMead2(cost, refined.point, COARSE_TOLERANCE * extent, FINE_TOLERANCE * extent);
    if (!best || result.value < best.value) best = result;
  }
  const [cx, cy] = best!.point;
  const raw = unwrappedAngles(x, y, cx, cy);
  const net = raw[n - 1]! - raw[0]!;
  const s: 1 | -1 = net < 0 ? -1 : 1;
  const theta = new Float64Array(n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    theta[i] = s * (raw[i]! - raw[0]!) + 0; // + 0 turns −0 into 0
    r[i] = norm2(x[i]! - cx, y[i]! - cy);
  }
  const { a, b, sse, sst } = fitLine(theta, r);
  return {
    centreX: cx,
    centreY: cy,
    a,
    b,
    rotationSign: s,
    theta,
    r,
    residualRmsMm: Math.sqrt(sse / n),
    rSquared: sst > 0 ? 1 - sse / sst : Number.NaN,
    turns: theta[n - 1]! / (2 * Math.PI),
    direction: b < 0 ? 'inward' : 'outward',
  };
}

/**
 * The centre fit's stopping rules, as fractions of the drawing's extent: the first Nelder–Mead search (a
 * starting point for Gauss–Newton) stops when its simplex is smaller than {@link COARSE_TOLERANCE},
 * Gauss–Newton after a step shorter than {@link GN_TOLERANCE}, and Nelder–Mead where Gauss–Newton does not
 * converge when its simplex is smaller than {@link FINE_TOLERANCE}.
 */
const COARSE_TOLERANCE = 3e-2;
const GN_TOLERANCE = 1e-9;
const FINE_TOLERANCE = 1e-7;

/** Spacing of the monotonic θ grid, rad (2°) [S]. */
export const THETA_GRID_STEP_RAD = (2 * Math.PI) / 180;

/** r sampled on a uniform, increasing θ grid. */
export interface ThetaGrid {
  theta0: number;
  step: number;
  r: Float64Array;
}

/**
 * r on a monotonic θ grid (measures.md correction 7): of the points in drawing order only those
 * whose θ exceeds every earlier θ are kept (the running maximum, so back-and-forth jitter is left
 * out), and r is interpolated linearly between them at θ0, θ0 + step, … up to the largest θ.
 * @returns null with fewer than 3 grid points
 */
export function thetaGrid(
  theta: ArrayLike<number>,
  r: ArrayLike<number>,
  step = THETA_GRID_STEP_RAD,
): ThetaGrid | null {
  const ft: number[] = [];
  const fr: number[] = [];
  for (let i = 0; i < theta.length; i++) {
    if (ft.length === 0 || theta[i]! > ft[ft.length - 1]!) {
      ft.push(theta[i]!);
      fr.push(r[i]!);
    }
  }
  if (ft.length < 2) return null;
  const theta0 = ft[0]!;
  const count = Math.floor((ft[ft.length - 1]! - theta0) / step + 1e-9) + 1;
  if (count < 3) return null;
  const out = new Float64Array(count);
  let j = 0;
  for (let k = 0; k < count; k++) {
    const t = theta0 + k * step;
    while (j < ft.length - 2 && ft[j + 1]! <= t) j++;
    const w = Math.min(1, Math.max(0, (t - ft[j]!) / (ft[j + 1]! - ft[j]!)));
    out[k] = fr[j]! + w * (fr[j + 1]! - fr[j]!);
  }
  return { theta0, step, r: out };
}

/**
 * Spiral width variability index (measures.md 3.3, correction 7): on the θ grid, for θ ≤ θ_max − 2π,
 * w(θ) = r(θ + 2π) − r(θ) and SWVI = SD(w)/|mean(w)| (sample SD). 0 for a perfect Archimedean spiral.
 * NaN when the grid spans less than one turn (fewer than 2 values of w) or mean(w) = 0.
 */
export function spiralWidthVariability(grid: ThetaGrid): number {
  const lag = Math.round((2 * Math.PI) / grid.step);
  const n = grid.r.length - lag;
  if (n < 2) return Number.NaN;
  const w = Float64Array.from({ length: n }, (_, k) => grid.r[k + lag]! - grid.r[k]!);
  const m = mean(w);
  return m === 0 ? Number.NaN : sampleSd(w) / Math.abs(m);
}

/** The r(θ) smoothness indices of measures.md 3.3 on a θ grid. */
export interface SmoothnessIndices {
  /** ln(mean((dr/dθ − b)²)), r in mm and θ in rad. */
  firstOrderSmoothness: number;
  /** ln(mean((d²r/dθ²)²)). */
  secondOrderSmoothness: number;
  /** Sign changes of d(r − a − bθ)/dθ per turn of the grid. */
  zeroCrossingsPerTurn: number;
}

/**
 * First- and second-order smoothness and first-order zero crossings (measures.md 3.3, our formulas
 * [S]) on the θ grid, with derivatives by central differences (numpy.gradient) in θ:
 * - first-order smoothness = ln(mean((dr/dθ − b)²));
 * - second-order smoothness = ln(mean((d²r/dθ²)²)) (d²r/dθ² = gradient of dr/dθ);
 * - zero crossings per turn = number of sign changes of dr/dθ − b (exact zeros skipped) divided by the
 *   grid's span in turns.
 * @param grid - r on a uniform θ grid
 * @param b - slope of the Archimedean fit, mm/rad
 */
export function smoothnessIndices(grid: ThetaGrid, b: number): SmoothnessIndices {
  const d1 = gradient(grid.r, grid.step);
  const d2 = gradient(d1, grid.step);
  let s1 = 0;
  let s2 = 0;
  let crossings = 0;
  let lastSign = 0;
  for (let k = 0; k < d1.length; k++) {
    const e = d1[k]! - b;
    s1 += e * e;
    s2 += d2[k]! * d2[k]!;
    const sign = Math.sign(e);
    if (sign !== 0) {
      if (lastSign !== 0 && sign !== lastSign) crossings++;
      lastSign = sign;
    }
  }
  const turns = ((grid.r.length - 1) * grid.step) / (2 * Math.PI);
  return {
    firstOrderSmoothness: Math.log(s1 / d1.length),
    secondOrderSmoothness: Math.log(s2 / d2.length),
    zeroCrossingsPerTurn: turns > 0 ? crossings / turns : Number.NaN,
  };
}
