import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamSet } from '../columns';
import { dispatchPointer, type PointerInit } from '../testing/events';
import { createPenSurface } from './surface';

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/** A 2-D context that logs the path calls. */
function fakeContext() {
  const calls: string[] = [];
  const ctx = {
    strokeStyle: '',
    lineWidth: 0,
    lineCap: '',
    lineJoin: '',
    setTransform: (...a: number[]) => calls.push(`setTransform ${a.join(',')}`),
    clearRect: () => calls.push('clear'),
    beginPath: () => calls.push('begin'),
    moveTo: (x: number, y: number) => calls.push(`M ${x} ${y}`),
    lineTo: (x: number, y: number) => calls.push(`L ${x} ${y}`),
    stroke: () => calls.push('stroke'),
  };
  return { ctx, calls };
}

function setup(frames: (() => void)[] | null = null) {
  const { ctx, calls } = fakeContext();
  const getContext = vi
    .spyOn(HTMLCanvasElement.prototype, 'getContext')
    .mockImplementation(() => ctx as unknown as RenderingContext);
  const set = new StreamSet('spiral');
  const stream = set.stream('pointer');
  const surface = createPenSurface({
    stream,
    requestFrame: frames ? (cb) => frames.push(cb) : null,
    cancelFrame: () => {},
    inkColor: '#000',
  });
  vi.spyOn(surface.root, 'getBoundingClientRect').mockReturnValue(
    DOMRect.fromRect({ x: 100, y: 50, width: 400, height: 300 }),
  );
  document.body.append(surface.root);
  surface.resize();
  calls.length = 0;
  return { surface, stream, calls, getContext };
}

const pen = (timeStamp: number, x: number, y: number, extra: Partial<PointerInit> = {}): PointerInit => ({
  timeStamp,
  pointerId: 2,
  pointerType: 'pen',
  isPrimary: true,
  clientX: x,
  clientY: y,
  pressure: 0.5,
  buttons: 1,
  ...extra,
});

describe('createPenSurface', () => {
  it('asks for a desynchronized context, turns off touch actions and sizes the canvas', () => {
    const { surface, getContext } = setup();
    expect(getContext).toHaveBeenCalledWith('2d', { desynchronized: true, alpha: true });
    expect(surface.root.style.touchAction).toBe('none');
    expect(surface.canvas.style.touchAction).toBe('none');
    expect(surface.guide.style.pointerEvents).toBe('none');
    expect(surface.guide.getAttribute('viewBox')).toBe('0 0 400 300');
    expect(surface.rect()).toEqual({ leftPx: 100, topPx: 50, widthPx: 400, heightPx: 300 });
  });

  it('records every coalesced sample and draws them on the next frame, in surface coordinates', () => {
    const frames: (() => void)[] = [];
    const { surface, stream, calls } = setup(frames);
    const target = surface.canvas;
    dispatchPointer(target, 'pointerdown', pen(1000, 110, 60));
    dispatchPointer(target, 'pointermove', {
      ...pen(1012, 113, 64),
      coalesced: [pen(1004, 111, 61), pen(1008, 112, 62), pen(1012, 113, 64)],
    });
    // the handler only recorded: nothing is drawn before the frame
    expect(stream.rows).toBe(4);
    expect(calls).toEqual([]);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(calls).toEqual(['begin', 'M 10 10', 'L 11 11', 'L 12 12', 'L 13 14', 'stroke']);
    expect(frames).toHaveLength(1); // the loop goes on
    calls.length = 0;
    dispatchPointer(target, 'pointerup', pen(1016, 114, 66, { buttons: 0, pressure: 0 }));
    frames.shift()!();
    // continues from the last point drawn
    expect(calls).toEqual(['begin', 'M 13 14', 'L 14 16', 'stroke']);
    expect(surface.summary()).toEqual({ pen: 1, touch: 0, mouse: 0, other: 0, rejected: 0 });
    const snapshot = stream.snapshot();
    expect(snapshot.columns.type!.values).toEqual([
      'pointerdown',
      'pointermove',
      'pointermove',
      'pointermove',
      'pointerup',
    ]);
    expect(snapshot.columns.coalesced!.values).toEqual([false, true, true, true, false]);
    expect(snapshot.columns.timeStampMs!.values).toEqual([1000, 1004, 1008, 1012, 1016]);
  });

  it('records a resting palm as touch rows but draws and counts only the pen', () => {
    const { surface, stream, calls } = setup();
    const touch = (t: number, x: number): PointerInit => ({
      timeStamp: t,
      pointerId: 9,
      pointerType: 'touch',
      isPrimary: true,
      clientX: x,
      clientY: 300,
      buttons: 1,
      width: 40,
      height: 30,
    });
    dispatchPointer(surface.canvas, 'pointerdown', pen(1000, 110, 60));
    dispatchPointer(surface.canvas, 'pointerdown', touch(1001, 400));
    dispatchPointer(surface.canvas, 'pointermove', touch(1005, 401));
    dispatchPointer(surface.canvas, 'pointermove', pen(1006, 120, 70));
    dispatchPointer(surface.canvas, 'pointerup', touch(1010, 402));
    dispatchPointer(surface.canvas, 'pointerup', pen(1011, 121, 71, { buttons: 0 }));
    surface.flush();
    expect(calls).toEqual(['begin', 'M 10 10', 'L 20 20', 'L 21 21', 'stroke']);
    expect(surface.summary()).toEqual({ pen: 1, touch: 0, mouse: 0, other: 0, rejected: 1 });
    expect(stream.snapshot().columns.pointerType!.values).toEqual([
      'pen',
      'touch',
      'touch',
      'pen',
      'touch',
      'pen',
    ]);
  });

  it('clear() starts a new drawing; destroy() stops recording', () => {
    const { surface, stream, calls } = setup();
    dispatchPointer(surface.canvas, 'pointerdown', pen(1000, 110, 60));
    dispatchPointer(surface.canvas, 'pointerup', pen(1004, 111, 61, { buttons: 0 }));
    surface.clear();
    expect(calls.at(-1)).toBe('clear');
    expect(surface.summary()).toEqual({ pen: 0, touch: 0, mouse: 0, other: 0, rejected: 0 });
    dispatchPointer(surface.canvas, 'pointerdown', pen(2000, 150, 60));
    expect(surface.summary().pen).toBe(1);
    surface.destroy();
    dispatchPointer(surface.canvas, 'pointerup', pen(2004, 151, 61, { buttons: 0 }));
    expect(stream.rows).toBe(3);
    expect(document.body.contains(surface.root)).toBe(false);
  });
});
