import type { Recording, Stream } from '@dystrack/core';
import { afterEach, beforeEach, vi } from 'vitest';
import { clearCalibration, makeCalibration, saveCalibration } from '../pen/calibration';
import { dispatchPointer, type PointerInit } from './events';

/*
 * What the tests of the pen tasks (spiral, handwriting, precision) share: the set-up of jsdom, a stored
 * calibration, queries of the task's screen and a pen stroke with coalesced samples.
 */

/** Registers the set-up of a pen-task test file: no canvas (jsdom has none), no calibration left behind. */
export function setUpPenTaskTests(): void {
  beforeEach(() => {
    // jsdom has no canvas: the surface then draws nothing, which these tests do not look at
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });
  afterEach(() => {
    document.body.innerHTML = '';
    clearCalibration(window);
    vi.restoreAllMocks();
  });
}

/** The values of a stream's column. */
export const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
/** The labels of a recording's markers. */
export const labels = (r: Recording) => column(r.streams.markers, 'label') as string[];
/** The first element matching `selector` (the test fails on its use when there is none). */
export const q = <E extends Element>(root: Element, selector: string) => root.querySelector<E>(selector)!;
/** Stores a calibration of 4 px/mm for the window. */
export const calibrate = () => saveCalibration(window, makeCalibration(342.4, window));

/** The task's own elements by their class-name suffix (`dt-<prefix>-<name>`). */
export function taskQueries(prefix: string) {
  return {
    button: (root: Element, name: string) => q<HTMLButtonElement>(root, `.dt-${prefix}-${name}`),
    text: (root: Element, name: string) => q(root, `.dt-${prefix}-${name}`).textContent,
  };
}

/** A pen stroke: where it goes down, its coalesced moves, where it comes up, and how it is drawn. */
export interface StrokeOptions {
  pointerType?: 'pen' | 'touch' | 'mouse';
  pointerId?: number;
  /** x of the down, of each coalesced move (the move event carries the last), and of the up. */
  xs?: { down: number; moves: readonly number[]; up: number };
  /** y for an x. */
  y?: (x: number) => number;
  /** Pressure in contact. */
  pressure?: number;
}

let t = 20_000;

/**
 * Draws one stroke on the pen surface of `root`: a down, one move with coalesced samples, an up, each
 * sample 4 ms after the one before (time goes on across strokes).
 */
export function drawStroke(root: Element, options: StrokeOptions = {}): void {
  const {
    pointerType = 'pen',
    pointerId = pointerType === 'pen' ? 2 : 7,
    xs = { down: 10, moves: [11, 12, 13], up: 14 },
    y = (x: number) => 100 + x / 2,
    pressure = 0.5,
  } = options;
  const canvas = q(root, '.dt-pen-canvas');
  const sample = (x: number, buttons = 1): PointerInit => ({
    timeStamp: (t += 4),
    pointerId,
    pointerType,
    isPrimary: true,
    clientX: x,
    clientY: y(x),
    pressure: buttons ? pressure : 0,
    buttons,
  });
  dispatchPointer(canvas, 'pointerdown', sample(xs.down));
  const last = sample(xs.moves.at(-1) ?? xs.down);
  dispatchPointer(canvas, 'pointermove', { ...last, coalesced: xs.moves.map((x) => sample(x)) });
  dispatchPointer(canvas, 'pointerup', sample(xs.up, 0));
}
