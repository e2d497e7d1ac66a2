/**
 * The lined writing area of the handwriting task (measures.md 4.2: "lined writing area"): baselines
 * `lineSpacingMm` apart, drawn to scale from the screen calibration, with room above the first line
 * for ascenders and below the last for descenders.
 */
import type { PenSurface } from '../pen/surface';

/** A box in client (viewport) coordinates, CSS px. */
export interface Box {
  leftPx: number;
  topPx: number;
  widthPx: number;
  heightPx: number;
}

/** Space kept free at the left and right of the lines, CSS px. */
export const LINE_MARGIN_PX = 16;

/** The lines of the writing area, as recorded in `params.lines`. Positions in client coordinates, CSS px. */
export interface WritingLines {
  /** Distance between baselines, mm and CSS px. */
  spacingMm: number;
  spacingPx: number;
  /** Baseline of the first line. */
  firstBaselineYPx: number;
  /** Number of lines. */
  count: number;
  /** Where the lines start and end. */
  leftPx: number;
  rightPx: number;
  /** The px/mm the lines were drawn with (a calibration's, or the nominal 96 px/in). */
  pxPerMm: number;
  /** Whether `pxPerMm` came from a valid calibration. */
  calibrated: boolean;
}

/**
 * The lines for a surface: the first baseline one spacing (plus a margin) below the top, then every
 * spacing while a third of a spacing stays below the line (descenders); at least one line.
 */
export function writingLines(options: {
  box: Box;
  pxPerMm: number;
  calibrated: boolean;
  spacingMm: number;
}): WritingLines {
  const { box, pxPerMm, spacingMm } = options;
  const spacingPx = spacingMm * pxPerMm;
  const firstBaselineYPx = box.topPx + spacingPx + LINE_MARGIN_PX / 2;
  const room = box.topPx + box.heightPx - spacingPx / 3 - firstBaselineYPx;
  const count = Math.max(1, Math.floor(room / spacingPx) + 1);
  return {
    spacingMm,
    spacingPx,
    firstBaselineYPx,
    count,
    leftPx: box.leftPx + LINE_MARGIN_PX,
    rightPx: box.leftPx + Math.max(LINE_MARGIN_PX + 1, box.widthPx - LINE_MARGIN_PX),
    pxPerMm,
    calibrated: options.calibrated,
  };
}

/** The baseline of line `i` (0-based), client px. */
export function baselineYPx(lines: WritingLines, i: number): number {
  return lines.firstBaselineYPx + i * lines.spacingPx;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws the lines into the surface's guide layer (replacing what was there). */
export function drawLines(surface: PenSurface, lines: WritingLines): void {
  const svg = surface.guide;
  svg.replaceChildren();
  const box = surface.rect();
  for (let i = 0; i < lines.count; i++) {
    const y = String(baselineYPx(lines, i) - box.topPx);
    const line = document.createElementNS(SVG_NS, 'line');
    for (const [name, value] of Object.entries({
      class: 'dt-handwriting-line',
      x1: String(lines.leftPx - box.leftPx),
      x2: String(lines.rightPx - box.leftPx),
      y1: y,
      y2: y,
      stroke: 'var(--dt-guide, #9ca3af)',
      'stroke-width': '1.5',
    })) {
      line.setAttribute(name, value);
    }
    svg.append(line);
  }
}
