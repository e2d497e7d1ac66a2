import { describe, expect, it } from 'vitest';
import { InkModel, type InkRow } from './ink';

const row = (
  type: string,
  pointerId: number,
  pointerType: string,
  x: number,
  y: number,
  extra: Partial<InkRow> = {},
): InkRow => ({
  type,
  pointerId,
  pointerType,
  isPrimary: true,
  x,
  y,
  buttons: type === 'pointerup' ? 0 : 1,
  ...extra,
});

describe('InkModel', () => {
  it('draws pen strokes and ignores a palm resting while the pen writes', () => {
    const ink = new InkModel();
    expect(ink.push(row('pointerdown', 2, 'pen', 10, 10))).toMatchObject({ started: true, redraw: false });
    const palm = ink.push(row('pointerdown', 7, 'touch', 300, 400));
    expect(palm).toMatchObject({ started: false, redraw: false });
    expect(palm.stroke!.rejected).toBe(true);
    ink.push(row('pointermove', 7, 'touch', 301, 401));
    ink.push(row('pointermove', 2, 'pen', 11, 12));
    ink.push(row('pointerup', 2, 'pen', 12, 13));
    ink.push(row('pointerup', 7, 'touch', 302, 402));
    expect(ink.ink().map((s) => [s.pointerType, s.points, s.open])).toEqual([
      ['pen', [10, 10, 11, 12, 12, 13], false],
    ]);
    expect(ink.summary()).toEqual({ pen: 1, touch: 0, mouse: 0, other: 0, rejected: 1 });
  });

  it('rejects touch strokes drawn before the pen first touched down, asking for a redraw', () => {
    const ink = new InkModel();
    ink.push(row('pointerdown', 5, 'touch', 1, 1));
    ink.push(row('pointerup', 5, 'touch', 2, 2));
    expect(ink.summary().touch).toBe(1);
    expect(ink.push(row('pointerdown', 2, 'pen', 10, 10))).toMatchObject({ started: true, redraw: true });
    expect(ink.penSeen).toBe(true);
    expect(ink.summary()).toEqual({ pen: 1, touch: 0, mouse: 0, other: 0, rejected: 1 });
  });

  it('without a pen draws the primary finger or the mouse, one stroke at a time', () => {
    const ink = new InkModel();
    ink.push(row('pointerdown', 1, 'touch', 5, 5));
    ink.push(row('pointerdown', 3, 'touch', 50, 50, { isPrimary: false }));
    ink.push(row('pointermove', 1, 'touch', 6, 6));
    ink.push(row('pointerup', 1, 'touch', 7, 7));
    ink.push(row('pointerup', 3, 'touch', 51, 51));
    ink.push(row('pointerdown', 9, 'mouse', 20, 20));
    ink.push(row('pointerup', 9, 'mouse', 21, 21));
    expect(ink.summary()).toEqual({ pen: 0, touch: 1, mouse: 1, other: 0, rejected: 1 });
  });

  it('breaks the line where a move has no contact bit and skips samples without a position', () => {
    const ink = new InkModel();
    ink.push(row('pointerdown', 2, 'pen', 0, 0));
    ink.push(row('pointermove', 2, 'pen', 1, 1));
    ink.push(row('pointermove', 2, 'pen', 2, 2, { buttons: 0 }));
    ink.push(row('pointermove', 2, 'pen', 3, 3, { buttons: 0 }));
    ink.push(row('pointermove', 2, 'pen', 4, 4));
    ink.push(row('pointermove', 2, 'pen', 5, 5, { x: null }));
    ink.push(row('pointercancel', 2, 'pen', 6, 6));
    expect(ink.strokes[0]!.points).toEqual([0, 0, 1, 1, Number.NaN, Number.NaN, 4, 4]);
    expect(ink.strokes[0]!.open).toBe(false);
    // rows of pointers that never went down are no stroke
    expect(ink.push(row('pointermove', 8, 'pen', 1, 1)).stroke).toBeNull();
  });
});
