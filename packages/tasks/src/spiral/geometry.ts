/**
 * Geometry of the spiral task's guide (measures.md 3.2 and correction 17): an Archimedean spiral
 * r = b·φ with b = 0.175 cm per radian (1.1 cm per turn), 4.5 turns from the centre outward, which
 * fills a 10-cm circle; drawn to scale from the screen calibration. On a screen too small for it the
 * spiral keeps its pitch and loses turns (in half turns, at least one), and the guide says so.
 */

/** Template pitch: 0.175 cm per radian (correction 17), mm per radian. */
export const TEMPLATE_B_MM_PER_RAD = 1.75;
/** Template turns (measures.md 3.2 item 3). */
export const TEMPLATE_TURNS = 4.5;
/** Diameter of the circle the freehand spiral is drawn in (measures.md 3.2 item 2), mm. */
export const BOUNDARY_DIAMETER_MM = 100;
/** Space kept free between the guide and the edge of the surface, CSS px. */
export const GUIDE_MARGIN_PX = 16;
/** Radius of the start dot: at least 6 CSS px, else 2 mm. */
export const START_DOT_RADIUS_MM = 2;

/** A box in client (viewport) coordinates, CSS px. */
export interface Box {
  leftPx: number;
  topPx: number;
  widthPx: number;
  heightPx: number;
}

/** The guide of a spiral trial, as recorded in `params.guide`. Positions in client coordinates, CSS px. */
export interface SpiralGuide {
  /** Centre of the spiral and of the start dot. */
  centreXPx: number;
  centreYPx: number;
  /** The template's b, mm per radian (r = b·φ). */
  bMmPerRad: number;
  /** b on screen, CSS px per radian (b × px/mm). */
  bPxPerRad: number;
  /** Turns of the template on screen (4.5, fewer when the screen is too small). */
  turns: number;
  /** Whether turns were taken off to fit the screen. */
  reduced: boolean;
  /** Sense of rotation on the screen, from the centre outward. */
  rotation: 'clockwise' | 'anticlockwise';
  /** Angle of the start direction, radians from the +x axis (screen: y down). */
  startAngleRad: number;
  /** Outer radius of the template, CSS px (b·2π·turns). */
  outerRadiusPx: number;
  /** Radius of the circle the freehand spiral goes in, CSS px (5 cm, less on a small screen). */
  boundaryRadiusPx: number;
  /** Radius of the start dot, CSS px. */
  startDotRadiusPx: number;
  /** The px/mm the guide was drawn with (a calibration's, or the nominal 96 px/in). */
  pxPerMm: number;
  /** Whether `pxPerMm` came from a valid calibration. */
  calibrated: boolean;
}

/**
 * The guide for a surface: centred in `box`, to scale at `pxPerMm`; clockwise on screen for the right
 * hand and mirrored (anticlockwise) for the left [S].
 */
export function spiralGuide(options: {
  box: Box;
  pxPerMm: number;
  calibrated: boolean;
  hand: 'left' | 'right' | 'both';
}): SpiralGuide {
  const { box, pxPerMm } = options;
  const availablePx = Math.max(0, Math.min(box.widthPx, box.heightPx) / 2 - GUIDE_MARGIN_PX);
  const pitchMm = 2 * Math.PI * TEMPLATE_B_MM_PER_RAD;
  const fitTurns = Math.floor((2 * availablePx) / (pxPerMm * pitchMm)) / 2;
  const turns = Math.max(1, Math.min(TEMPLATE_TURNS, fitTurns));
  const bPxPerRad = TEMPLATE_B_MM_PER_RAD * pxPerMm;
  return {
    centreXPx: box.leftPx + box.widthPx / 2,
    centreYPx: box.topPx + box.heightPx / 2,
    bMmPerRad: TEMPLATE_B_MM_PER_RAD,
    bPxPerRad,
    turns,
    reduced: turns < TEMPLATE_TURNS,
    rotation: options.hand === 'left' ? 'anticlockwise' : 'clockwise',
    startAngleRad: 0,
    outerRadiusPx: bPxPerRad * 2 * Math.PI * turns,
    boundaryRadiusPx: Math.max(
      bPxPerRad * 2 * Math.PI,
      Math.min((BOUNDARY_DIAMETER_MM / 2) * pxPerMm, availablePx),
    ),
    startDotRadiusPx: Math.max(6, START_DOT_RADIUS_MM * pxPerMm),
    pxPerMm,
    calibrated: options.calibrated,
  };
}

/** The point of the guide at angle φ ≥ 0 along the spiral, client coordinates. */
export function guidePoint(guide: SpiralGuide, phiRad: number): { x: number; y: number } {
  const r = guide.bPxPerRad * phiRad;
  const sign = guide.rotation === 'clockwise' ? 1 : -1; // y grows downwards: a growing angle turns clockwise
  const angle = guide.startAngleRad + sign * phiRad;
  return { x: guide.centreXPx + r * Math.cos(angle), y: guide.centreYPx + r * Math.sin(angle) };
}

/**
 * The template as an SVG path (`d`), in the coordinates of a surface whose top-left corner is at
 * (`originXPx`, `originYPx`) in client coordinates; one point per `stepRad` of φ (default 2°).
 */
export function guidePathD(
  guide: SpiralGuide,
  originXPx: number,
  originYPx: number,
  stepRad = Math.PI / 90,
): string {
  const end = 2 * Math.PI * guide.turns;
  const n = Math.ceil(end / stepRad);
  const parts: string[] = [];
  for (let i = 0; i <= n; i++) {
    const p = guidePoint(guide, Math.min(end, i * stepRad));
    parts.push(`${i === 0 ? 'M' : 'L'}${(p.x - originXPx).toFixed(2)} ${(p.y - originYPx).toFixed(2)}`);
  }
  return parts.join(' ');
}
