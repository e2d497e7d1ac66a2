/**
 * Geometry of the precision task's targets, drawn to scale from the screen calibration: a 2-mm ring
 * to hold the tip in (its radius is core's 1-mm tolerance of `time_within_1mm_pct`), a 15-mm circle
 * and a 40 × 6 mm zig-zag of 4 teeth to trace. The person traces clockwise from the top (the left
 * hand: anticlockwise), the zig-zag from left to right (the left hand: from right to left), so that
 * either hand pulls the tool rather than pushing it [S].
 */
import type { PenSurface } from '../pen/surface';
import type { PrecisionPart } from './definition';

/** Diameter of the hold ring, mm. */
export const RING_DIAMETER_MM = 2;
/** Diameter of the circle to trace, mm. */
export const CIRCLE_DIAMETER_MM = 15;
/** Width and height of the zig-zag to trace, mm, and its teeth. */
export const ZIGZAG = { widthMm: 40, heightMm: 6, teeth: 4 } as const;
/** Angle between the points of the recorded circle path, degrees. */
const CIRCLE_STEP_DEG = 5;

/** A box in client (viewport) coordinates, CSS px. */
export interface Box {
  leftPx: number;
  topPx: number;
  widthPx: number;
  heightPx: number;
}

/** The target of a run, as recorded in `params.target`. Positions in client coordinates, CSS px. */
export interface PrecisionTarget {
  part: PrecisionPart;
  /** Centre of the ring or of the shape. */
  centreXPx: number;
  centreYPx: number;
  /** Hold: radius of the ring (1 mm), px; 0 for the traces. */
  ringRadiusPx: number;
  /**
   * Traces: the path to follow as a polyline, in the order to trace it (the circle every 5°, closed:
   * the last point is the first; the zig-zag's corners); null for the hold.
   */
  path: { xPx: number[]; yPx: number[]; closed: boolean } | null;
  /** Length of the path, mm (0 for the hold). */
  pathLengthMm: number;
  /** Which way to trace. */
  direction: 'clockwise' | 'anticlockwise' | 'left-to-right' | 'right-to-left' | null;
  /** Where to start: the ring centre, or the first point of the path. */
  startXPx: number;
  startYPx: number;
  /** Radius of the start dot, px. */
  startDotRadiusPx: number;
  /** The px/mm the target was drawn with (a calibration's, or the nominal 96 px/in). */
  pxPerMm: number;
  /** Whether `pxPerMm` came from a valid calibration. */
  calibrated: boolean;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

/** The target of `part` for a surface: centred in `box`, to scale at `pxPerMm`, mirrored for the left hand. */
export function precisionTarget(options: {
  box: Box;
  pxPerMm: number;
  calibrated: boolean;
  part: PrecisionPart;
  hand: 'left' | 'right' | 'both';
}): PrecisionTarget {
  const { box, pxPerMm, part } = options;
  const cx = box.leftPx + box.widthPx / 2;
  const cy = box.topPx + box.heightPx / 2;
  const left = options.hand === 'left';
  const base = {
    part,
    centreXPx: cx,
    centreYPx: cy,
    pxPerMm,
    calibrated: options.calibrated,
    startDotRadiusPx: Math.max(4, 1 * pxPerMm),
  };
  if (part === 'hold') {
    return {
      ...base,
      ringRadiusPx: (RING_DIAMETER_MM / 2) * pxPerMm,
      path: null,
      pathLengthMm: 0,
      direction: null,
      startXPx: cx,
      startYPx: cy,
    };
  }
  const xPx: number[] = [];
  const yPx: number[] = [];
  let lengthMm: number;
  if (part === 'circle') {
    const r = (CIRCLE_DIAMETER_MM / 2) * pxPerMm;
    const sign = left ? -1 : 1; // y grows downwards: a growing angle turns clockwise on screen
    for (let deg = 0; deg <= 360; deg += CIRCLE_STEP_DEG) {
      const a = -Math.PI / 2 + sign * ((deg * Math.PI) / 180);
      xPx.push(r2(cx + r * Math.cos(a)));
      yPx.push(r2(cy + r * Math.sin(a)));
    }
    lengthMm = Math.PI * CIRCLE_DIAMETER_MM;
  } else {
    const { widthMm, heightMm, teeth } = ZIGZAG;
    const corners = 2 * teeth;
    for (let i = 0; i <= corners; i++) {
      const u = left ? corners - i : i;
      xPx.push(r2(cx + (-widthMm / 2 + (u * widthMm) / corners) * pxPerMm));
      yPx.push(r2(cy + (u % 2 === 0 ? heightMm / 2 : -heightMm / 2) * pxPerMm));
    }
    lengthMm = corners * Math.hypot(widthMm / corners, heightMm);
  }
  return {
    ...base,
    ringRadiusPx: 0,
    path: { xPx, yPx, closed: part === 'circle' },
    pathLengthMm: lengthMm,
    direction:
      part === 'circle' ? (left ? 'anticlockwise' : 'clockwise') : left ? 'right-to-left' : 'left-to-right',
    startXPx: xPx[0]!,
    startYPx: yPx[0]!,
  };
}

/**
 * The point at arc length `sMm` along the target's path (clamped to its ends), client px; the centre
 * for the hold. Exact for the circle, piecewise linear for the zig-zag.
 */
export function pathPoint(target: PrecisionTarget, sMm: number): { x: number; y: number } {
  const { pxPerMm } = target;
  if (target.part === 'hold' || !target.path) return { x: target.centreXPx, y: target.centreYPx };
  const s = Math.max(0, Math.min(target.pathLengthMm, sMm));
  if (target.part === 'circle') {
    const r = CIRCLE_DIAMETER_MM / 2;
    const sign = target.direction === 'anticlockwise' ? -1 : 1;
    const a = -Math.PI / 2 + (sign * s) / r;
    return {
      x: target.centreXPx + r * pxPerMm * Math.cos(a),
      y: target.centreYPx + r * pxPerMm * Math.sin(a),
    };
  }
  const { xPx, yPx } = target.path;
  let left = s * pxPerMm;
  for (let i = 1; i < xPx.length; i++) {
    const dx = xPx[i]! - xPx[i - 1]!;
    const dy = yPx[i]! - yPx[i - 1]!;
    const len = Math.hypot(dx, dy);
    if (left <= len || i === xPx.length - 1) {
      const f = len > 0 ? Math.min(1, left / len) : 0;
      return { x: xPx[i - 1]! + f * dx, y: yPx[i - 1]! + f * dy };
    }
    left -= len;
  }
  return { x: xPx[0]!, y: yPx[0]! };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws the target into the surface's guide layer (replacing what was there). */
export function drawTarget(surface: PenSurface, target: PrecisionTarget): void {
  const svg = surface.guide;
  svg.replaceChildren();
  const box = surface.rect();
  const el = (tag: string, attrs: Record<string, string>) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    svg.append(node);
    return node;
  };
  const x = (v: number) => String(v - box.leftPx);
  const y = (v: number) => String(v - box.topPx);
  const width = String(Math.max(1.5, 0.3 * target.pxPerMm));
  if (target.part === 'hold') {
    // four short marks around the small ring (from 2 to 6 mm off its centre), so that it is easy to find
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      const from = 2 * target.pxPerMm;
      const to = 6 * target.pxPerMm;
      el('line', {
        class: 'dt-precision-mark',
        x1: x(target.centreXPx + dx * from),
        y1: y(target.centreYPx + dy * from),
        x2: x(target.centreXPx + dx * to),
        y2: y(target.centreYPx + dy * to),
        stroke: 'var(--dt-guide, #9ca3af)',
        'stroke-width': width,
      });
    }
    el('circle', {
      class: 'dt-precision-ring',
      cx: x(target.centreXPx),
      cy: y(target.centreYPx),
      r: String(target.ringRadiusPx),
      fill: 'none',
      stroke: 'var(--dt-guide-strong, #1e3a8a)',
      'stroke-width': width,
    });
    return;
  }
  const { xPx, yPx } = target.path!;
  el('path', {
    class: `dt-precision-${target.part}`,
    d: xPx.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(v)} ${y(yPx[i]!)}`).join(' '),
    fill: 'none',
    stroke: 'var(--dt-guide, #9ca3af)',
    'stroke-width': width,
    'stroke-linejoin': 'round',
  });
  el('circle', {
    class: 'dt-precision-start',
    cx: x(target.startXPx),
    cy: y(target.startYPx),
    r: String(target.startDotRadiusPx),
    fill: 'var(--dt-start, #16a34a)',
  });
}
