import { describe, expect, it } from 'vitest';
import type { PenInput } from '../inputs.js';
import { pathLengthMm, penDownTimeMs, pressureMean, splitSegments } from './segments.js';
import { penInput } from './test-utils/pen-input.js';

function pen(
  tMs: number[],
  xMm: number[],
  penDown: number[] | null,
  pressure: number[] | null = null,
): PenInput {
  return penInput(tMs, xMm, new Float64Array(tMs.length), {
    task: 'spiral',
    pressure: pressure && Float64Array.from(pressure),
    penDown: penDown && Uint8Array.from(penDown),
  });
}

describe('pen segments', () => {
  it('splits at pen_down = 0 and at gaps over 50 ms, never across them', () => {
    //            0  1   2   3   4    5    6    7
    const input = pen(
      [0, 10, 20, 30, 40, 100, 110, 120],
      [0, 1, 3, 100, 6, 10, 12, 15],
      [1, 1, 1, 0, 1, 1, 1, 1],
    );
    expect(splitSegments(input)).toEqual([
      { start: 0, end: 3 },
      { start: 4, end: 5 },
      { start: 5, end: 8 },
    ]);
    const segments = splitSegments(input);
    // 1 + 2 in the first segment, none in the one-sample segment, 2 + 3 in the last
    expect(pathLengthMm(input, segments)).toBe(8);
    expect(penDownTimeMs(input, segments)).toBe(20 + 0 + 20);
  });

  it('treats a missing pen_down column as always down and a gap of exactly 50 ms as no gap', () => {
    const input = pen([0, 50, 101, 151], [0, 1, 2, 3], null);
    expect(splitSegments(input)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(splitSegments(input, 60)).toEqual([{ start: 0, end: 4 }]);
  });

  it('gives no segment when the pen never touches', () => {
    const input = pen([0, 10], [0, 1], [0, 0]);
    expect(splitSegments(input)).toEqual([]);
    expect(pathLengthMm(input, [])).toBe(0);
    expect(penDownTimeMs(input, [])).toBe(0);
  });

  it('averages pressure over pen-down samples only, null without the column', () => {
    const input = pen([0, 10, 20, 30], [0, 1, 2, 3], [1, 0, 1, 1], [0.2, 0.9, 0.4, 0.6]);
    expect(pressureMean(input, splitSegments(input))).toBeCloseTo(0.4, 12);
    expect(pressureMean(pen([0, 10], [0, 1], null), [{ start: 0, end: 2 }])).toBeNull();
    expect(pressureMean(input, [])).toBeNull();
  });
});
