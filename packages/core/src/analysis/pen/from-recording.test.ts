import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import { codeOf, recording } from '../formats/test-utils/fixtures.js';
import { NOMINAL_MM_PER_PX, penFromRecording, penScale } from './from-recording.js';

interface Row {
  type: string;
  t: number;
  id?: number;
  coalesced?: boolean;
  primary?: boolean;
  x: number;
  y: number;
  pressure?: number | null;
  buttons?: number;
  pointerType?: string;
}

/** A pointer stream of the given rows (pen, with pressure, tilt, isPrimary and buttons columns). */
function pointerStream(rows: Row[], options: { buttons?: boolean; primary?: boolean } = {}): Stream {
  const columns: Stream['columns'] = {
    type: { type: 'str', values: rows.map((r) => r.type) },
    timeStampMs: { type: 'f64', values: rows.map((r) => r.t) },
    coalesced: { type: 'bool', values: rows.map((r) => r.coalesced ?? false) },
    pointerId: { type: 'i32', values: rows.map((r) => r.id ?? 1) },
    pointerType: { type: 'str', values: rows.map((r) => r.pointerType ?? 'pen') },
    xPx: { type: 'f64', values: rows.map((r) => r.x) },
    yPx: { type: 'f64', values: rows.map((r) => r.y) },
    pressureNorm: { type: 'f64', values: rows.map((r) => (r.pressure === undefined ? 0.5 : r.pressure)) },
    tiltXDeg: { type: 'f64', values: rows.map(() => 10) },
    tiltYDeg: { type: 'f64', values: rows.map(() => -20) },
  };
  if (options.primary !== false)
    columns.isPrimary = { type: 'bool', values: rows.map((r) => r.primary ?? true) };
  if (options.buttons !== false) {
    columns.buttonsMaskId = {
      type: 'i32',
      values: rows.map((r) => r.buttons ?? (r.type === 'pointerup' ? 0 : 1)),
    };
  }
  return { columns };
}

describe('penFromRecording', () => {
  it('keeps the primary pointer from down to up, coalesced samples in time order, pen_down from the events', () => {
    const rows: Row[] = [
      { type: 'pointermove', t: 5, x: 0, y: 0, buttons: 0 }, // hover before the stroke: outside any stretch
      { type: 'pointerdown', t: 10, x: 96, y: 0 },
      // a dispatched move stored as its coalesced samples, written after a later-dispatched row
      { type: 'pointermove', t: 22, coalesced: true, x: 96, y: 96 },
      { type: 'pointermove', t: 16, coalesced: true, x: 96, y: 48 },
      { type: 'pointerdown', t: 17, id: 7, primary: false, x: 500, y: 500 }, // a second finger
      { type: 'pointermove', t: 18, id: 7, primary: false, x: 510, y: 500 },
      { type: 'pointerup', t: 28, x: 96, y: 96, pressure: 0 },
      { type: 'pointermove', t: 40, x: 0, y: 0, buttons: 0 }, // hover after: ignored
      { type: 'pointerdown', t: 100, x: 192, y: 0 },
      { type: 'pointermove', t: 108, x: 192, y: 48 },
      { type: 'pointerup', t: 116, x: 192, y: 96, pressure: 0 },
    ];
    const input = penFromRecording(recording('spiral', { pointer: pointerStream(rows) }));
    expect(input.task).toBe('spiral');
    expect([...input.tMs]).toEqual([10, 16, 22, 28, 100, 108, 116]);
    expect([...input.penDown!]).toEqual([1, 1, 1, 0, 1, 1, 0]);
    const mm = 25.4 / 96;
    expect([...input.xMm]).toEqual([96, 96, 96, 96, 192, 192, 192].map((px) => px * mm));
    expect([...input.yMm]).toEqual([0, 48, 96, 96, 0, 48, 96].map((px) => px * mm));
    expect([...input.pressure!]).toEqual([0.5, 0.5, 0.5, 0, 0.5, 0.5, 0]);
    expect([...input.tiltXDeg!]).toEqual([10, 10, 10, 10, 10, 10, 10]);
    expect(input.targetXMm).toBeNull();
    expect(input.flags).toEqual(['NOMINAL_SCALE', 'PEN_LIFTS']);
  });

  it('uses a calibrated scale from params.pxPerMm (or layout.pxPerMm) without NOMINAL_SCALE', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, x: 10, y: 20 },
      { type: 'pointermove', t: 5, x: 20, y: 40 },
      { type: 'pointerup', t: 10, x: 20, y: 40 },
    ];
    const input = penFromRecording(
      recording('handwriting', { pointer: pointerStream(rows) }, { params: { pxPerMm: 5 } }),
    );
    expect(input.task).toBe('handwriting');
    expect([...input.xMm]).toEqual([2, 4, 4]);
    expect([...input.yMm]).toEqual([4, 8, 8]);
    expect(input.flags).toEqual([]);
    expect(penScale({ layout: { pxPerMm: 4 } })).toEqual({ mmPerPx: 0.25, nominal: false });
    expect(penScale({ pxPerMm: -1, pxPerMmNominal: 3.78 })).toEqual({
      mmPerPx: NOMINAL_MM_PER_PX,
      nominal: true,
    });
  });

  it('takes pen contact from the buttons mask; without that column a move inside a stretch is down', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, x: 0, y: 0 },
      { type: 'pointermove', t: 5, x: 1, y: 0, buttons: 1 },
      { type: 'pointermove', t: 10, x: 2, y: 0, buttons: 2 }, // barrel button only: not touching
      { type: 'pointermove', t: 15, x: 3, y: 0, buttons: 3 },
      { type: 'pointerup', t: 20, x: 3, y: 0 },
    ];
    const withMask = penFromRecording(recording('spiral', { pointer: pointerStream(rows) }));
    expect([...withMask.penDown!]).toEqual([1, 1, 0, 1, 0]);
    const without = penFromRecording(
      recording('spiral', { pointer: pointerStream(rows, { buttons: false }) }),
    );
    expect([...without.penDown!]).toEqual([1, 1, 1, 1, 0]);
  });

  it('without an isPrimary column follows the first pointer that goes down', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, id: 3, x: 0, y: 0 },
      { type: 'pointerdown', t: 2, id: 4, x: 50, y: 50 },
      { type: 'pointermove', t: 5, id: 4, x: 60, y: 50 },
      { type: 'pointermove', t: 6, id: 3, x: 1, y: 0 },
      { type: 'pointerup', t: 9, id: 3, x: 1, y: 0 },
      { type: 'pointermove', t: 12, id: 4, x: 70, y: 50 },
    ];
    const input = penFromRecording(recording('spiral', { pointer: pointerStream(rows, { primary: false }) }));
    expect([...input.tMs]).toEqual([0, 6, 9]);
  });

  it('drops columns that some kept rows lack, and gives the precision target from the params', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, x: 0, y: 0, pressure: null },
      { type: 'pointermove', t: 5, x: 1, y: 0 },
      { type: 'pointerup', t: 10, x: 2, y: 0 },
    ];
    const input = penFromRecording(
      recording(
        'precision',
        { pointer: pointerStream(rows) },
        { params: { pxPerMm: 2, targetXPx: 10, targetYPx: 4 } },
      ),
    );
    expect(input.pressure).toBeNull();
    expect([...input.targetXMm!]).toEqual([5, 5, 5]);
    expect([...input.targetYMm!]).toEqual([2, 2, 2]);
  });

  it('keeps capture flags that are quality flags and adds TAB_HIDDEN from the timing check', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, x: 0, y: 0 },
      { type: 'pointerup', t: 5, x: 1, y: 0 },
    ];
    const rec = recording(
      'spiral',
      { pointer: pointerStream(rows) },
      {
        params: { pxPerMm: 4 },
        flags: ['POINTER_NOT_PEN', 'INCOMPLETE_RECORDING', 'NOT_PEN', 'STOPPED_EARLY'],
      },
    );
    rec.timing.hiddenCount = 1;
    expect(penFromRecording(rec).flags).toEqual(['INCOMPLETE_RECORDING', 'NOT_PEN', 'TAB_HIDDEN']);
  });

  it('follows the pen, not a palm that touched down first as the primary touch pointer', () => {
    const rows: Row[] = [
      { type: 'pointerdown', t: 0, id: 9, pointerType: 'touch', x: 400, y: 400 }, // the palm, primary touch
      { type: 'pointermove', t: 3, id: 9, pointerType: 'touch', x: 401, y: 400 },
      { type: 'pointerdown', t: 5, id: 2, x: 10, y: 10 }, // the pen, primary pen
      { type: 'pointermove', t: 8, id: 9, pointerType: 'touch', x: 402, y: 400 },
      { type: 'pointermove', t: 10, id: 2, x: 11, y: 12 },
      { type: 'pointermove', t: 15, id: 2, x: 12, y: 14 },
      { type: 'pointerup', t: 20, id: 2, x: 12, y: 14 },
      { type: 'pointerdown', t: 24, id: 10, pointerType: 'touch', x: 300, y: 300 }, // a finger: ignored
      { type: 'pointerup', t: 26, id: 10, pointerType: 'touch', x: 300, y: 300 },
      { type: 'pointerup', t: 30, id: 9, pointerType: 'touch', x: 402, y: 400 },
    ];
    const input = penFromRecording(
      recording('spiral', { pointer: pointerStream(rows) }, { params: { pxPerMm: 1 } }),
    );
    expect([...input.tMs]).toEqual([5, 10, 15, 20]);
    expect([...input.xMm]).toEqual([10, 11, 12, 12]);
    expect([...input.penDown!]).toEqual([1, 1, 1, 0]);
    expect(input.trials).toBeUndefined();
    // without any pen row (drawn with a finger), the first primary pointer is followed as before
    const finger = rows.filter((r) => r.pointerType === 'touch');
    const byFinger = penFromRecording(
      recording('spiral', { pointer: pointerStream(finger) }, { params: { pxPerMm: 1 } }),
    );
    expect([...byFinger.tMs]).toEqual([0, 3, 8, 30]);
    expect([...byFinger.xMm]).toEqual([400, 401, 402, 402]);
  });

  it('gives coded errors for another task, a missing stream and no pen-down sample', () => {
    const rows: Row[] = [{ type: 'pointermove', t: 0, x: 0, y: 0, buttons: 0 }];
    expect(codeOf(() => penFromRecording(recording('tapping', { pointer: pointerStream(rows) })))).toBe(
      'E_TASK_MISMATCH',
    );
    expect(codeOf(() => penFromRecording(recording('spiral', {})))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => penFromRecording(recording('spiral', { pointer: pointerStream(rows) })))).toBe(
      'E_INPUT_EMPTY',
    );
    const noX = pointerStream(rows);
    delete noX.columns.xPx;
    expect(codeOf(() => penFromRecording(recording('spiral', { pointer: noX })))).toBe('E_INPUT_COLUMNS');
  });
});
