/**
 * Which recorded pointer rows become ink (pure, no DOM): the strokes of a pen surface and the palm
 * rejection. Every row stays in the pointer stream whatever is decided here; this only decides what is
 * drawn and counted as a stroke.
 *
 * Rules:
 * - a stroke starts at a `pointerdown` and ends at that pointer's `pointerup`/`pointercancel`;
 * - once a pen has touched down (`pointerType` `pen`), only pen strokes are ink: touch (a resting palm)
 *   and mouse strokes are ignored, and touch or mouse strokes drawn before the pen's first contact are
 *   rejected after the fact (the surface redraws without them);
 * - without a pen, strokes of a primary pointer are ink, one at a time (a second finger is ignored);
 * - a move of a pointer whose `buttons` has no contact bit (bit 0) breaks the line (the next contact
 *   sample starts a new sub-path).
 */

/** One pointer row as the ink model reads it (from the `pointer` stream). */
export interface InkRow {
  type: string;
  pointerId: number;
  pointerType: string;
  /** `isPrimary`, null when the stream has no such column. */
  isPrimary: boolean | null;
  x: number | null;
  y: number | null;
  /** `buttons` bit mask, null when unknown. */
  buttons: number | null;
}

/** A stroke: its pointer and its points. */
export interface InkStroke {
  pointerId: number;
  pointerType: string;
  /** x, y pairs in CSS px (client coordinates); a NaN pair marks a break in contact. */
  points: number[];
  /** Not ink (palm, second finger, or drawn before the pen took over). */
  rejected: boolean;
  /** Still down. */
  open: boolean;
}

/** What one row changed. */
export interface InkChange {
  /** The stroke the row went to (null: the row was not part of any stroke). */
  stroke: InkStroke | null;
  /** An ink stroke started with this row. */
  started: boolean;
  /** Strokes already drawn were rejected: the ink must be redrawn from scratch. */
  redraw: boolean;
}

/** Counts of ink strokes by pointer type, and of rejected ones. */
export interface InkSummary {
  pen: number;
  touch: number;
  mouse: number;
  other: number;
  rejected: number;
}

/** The strokes of a surface since its last clear, fed one recorded row at a time. */
export class InkModel {
  readonly strokes: InkStroke[] = [];
  /** Whether a pen has touched down. */
  penSeen = false;
  private readonly open = new Map<number, InkStroke>();

  /** Applies one row (in recording order). */
  push(row: InkRow): InkChange {
    if (row.type === 'pointerdown') return this.down(row);
    const stroke = this.open.get(row.pointerId) ?? null;
    if (!stroke) return { stroke: null, started: false, redraw: false };
    if (row.type === 'pointerup' || row.type === 'pointercancel') {
      if (row.type === 'pointerup') addPoint(stroke, row.x, row.y);
      stroke.open = false;
      this.open.delete(row.pointerId);
    } else if (row.buttons !== null && row.buttons >= 0 && (row.buttons & 1) === 0) {
      addBreak(stroke);
    } else {
      addPoint(stroke, row.x, row.y);
    }
    return { stroke, started: false, redraw: false };
  }

  private down(row: InkRow): InkChange {
    let redraw = false;
    const isPen = row.pointerType === 'pen';
    if (isPen && !this.penSeen) {
      this.penSeen = true;
      for (const earlier of this.strokes) {
        if (earlier.pointerType !== 'pen' && !earlier.rejected) {
          earlier.rejected = true;
          redraw = true;
        }
      }
    }
    const inkOpen = [...this.open.values()].some((s) => !s.rejected);
    const accepted = !inkOpen && (isPen || (!this.penSeen && row.isPrimary !== false));
    const stroke: InkStroke = {
      pointerId: row.pointerId,
      pointerType: row.pointerType,
      points: [],
      rejected: !accepted,
      open: true,
    };
    addPoint(stroke, row.x, row.y);
    // a pointer id that is reused before its up was seen: the old stroke ends here
    const stale = this.open.get(row.pointerId);
    if (stale) stale.open = false;
    this.open.set(row.pointerId, stroke);
    this.strokes.push(stroke);
    return { stroke, started: accepted, redraw };
  }

  /** Ink strokes (not rejected), in order. */
  ink(): InkStroke[] {
    return this.strokes.filter((s) => !s.rejected);
  }

  /** Counts of ink strokes by pointer type and of rejected strokes. */
  summary(): InkSummary {
    const out: InkSummary = { pen: 0, touch: 0, mouse: 0, other: 0, rejected: 0 };
    for (const s of this.strokes) {
      if (s.rejected) out.rejected++;
      else if (s.pointerType === 'pen' || s.pointerType === 'touch' || s.pointerType === 'mouse')
        out[s.pointerType]++;
      else out.other++;
    }
    return out;
  }
}

function addPoint(stroke: InkStroke, x: number | null, y: number | null): void {
  if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) return;
  stroke.points.push(x, y);
}

function addBreak(stroke: InkStroke): void {
  const n = stroke.points.length;
  if (n >= 2 && !Number.isNaN(stroke.points[n - 1]!)) stroke.points.push(Number.NaN, Number.NaN);
}
