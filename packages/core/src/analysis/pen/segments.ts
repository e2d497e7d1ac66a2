import type { PenInput } from '../inputs.js';
import { norm2 } from '../dsp/stats.js';

/** A pen-down segment: samples `start` (inclusive) to `end` (exclusive). */
export interface Segment {
  start: number;
  end: number;
}

/** Largest time between two samples of one segment (analysis contract, row rules). */
export const MAX_SEGMENT_GAP_MS = 50;

/**
 * Splits the samples into pen-down segments: a segment ends where `pen_down` is 0 and where two
 * consecutive samples are more than `maxGapMs` apart. Samples with the pen up belong to no segment;
 * segments of one sample are kept (they add no length and no time).
 */
export function splitSegments(input: PenInput, maxGapMs = MAX_SEGMENT_GAP_MS): Segment[] {
  const { tMs, penDown } = input;
  const segments: Segment[] = [];
  let start = -1;
  for (let i = 0; i < tMs.length; i++) {
    const down = penDown === null || penDown[i] === 1;
    if (!down) {
      if (start >= 0) segments.push({ start, end: i });
      start = -1;
      continue;
    }
    if (start >= 0 && tMs[i]! - tMs[i - 1]! > maxGapMs) {
      segments.push({ start, end: i });
      start = i;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) segments.push({ start, end: tMs.length });
  return segments;
}

/** Path length in mm, summed within segments (never across a lift or a gap). */
export function pathLengthMm(input: PenInput, segments: readonly Segment[]): number {
  let length = 0;
  for (const { start, end } of segments) {
    for (let i = start + 1; i < end; i++) {
      length += norm2(input.xMm[i]! - input.xMm[i - 1]!, input.yMm[i]! - input.yMm[i - 1]!);
    }
  }
  return length;
}

/** Pen-down time in ms: the sum of segment durations (last minus first sample time). */
export function penDownTimeMs(input: PenInput, segments: readonly Segment[]): number {
  let total = 0;
  for (const { start, end } of segments) total += input.tMs[end - 1]! - input.tMs[start]!;
  return total;
}

/** Mean pressure over pen-down samples, or null without a pressure column or samples. */
export function pressureMean(input: PenInput, segments: readonly Segment[]): number | null {
  if (!input.pressure) return null;
  let sum = 0;
  let n = 0;
  for (const { start, end } of segments) {
    for (let i = start; i < end; i++) {
      sum += input.pressure[i]!;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}
