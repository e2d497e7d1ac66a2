/**
 * What a pen task's recording tells the analysis beyond the contract's pen input (inputs.ts): the
 * handwriting part and the number of letters of its text (for the writing speed, measures.md 4.3), the
 * target polyline of a precision trace, and whether each kept trial ran to its end. Contract CSV input
 * has none of these; `penFromRecording` adds them to the input object it returns, and the trial split
 * (trials.ts) passes them on to each trial's input.
 */
import type { PenInput, PenTrial } from '../inputs.js';

/** A target path to follow (a precision trace), as a polyline in mm in the order to trace it. */
export interface TargetPath {
  xMm: Float64Array;
  yMm: Float64Array;
}

/** The facts of a pen recording that the contract's pen input has no field for (all optional). */
export interface PenRecordingFacts {
  /** The part of the task run (`params.part`: handwriting `loops`, `sentence`, `fast`, `copy`; precision `hold`, `circle`, `zigzag`). */
  part?: string;
  /** Handwriting: letters of the text to write (`params.textLetters`), a positive whole number. */
  textLetters?: number;
  /** Precision traces: the target polyline (`params.target.path`), mm; at least 2 points. */
  targetPath?: TargetPath;
}

/** A pen input with the facts of its recording. */
export type PenRecordingInput = PenInput & PenRecordingFacts;

/** A kept trial, and whether its attempt ran to its end (false: cut short by Finish or the time limit). */
export interface KeptTrial extends PenTrial {
  complete: boolean;
}

/** The facts an input carries (none for contract CSV input). */
export function recordingFacts(input: PenInput): PenRecordingFacts {
  const { part, textLetters, targetPath } = input as PenRecordingInput;
  return {
    ...(part !== undefined ? { part } : {}),
    ...(textLetters !== undefined ? { textLetters } : {}),
    ...(targetPath !== undefined ? { targetPath } : {}),
  };
}

/** Whether a trial ran to its end: true unless it is a {@link KeptTrial} with `complete` false. */
export function trialComplete(trial: PenTrial): boolean {
  return (trial as Partial<KeptTrial>).complete !== false;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The facts of a pen recording's params: `part` (a string), `textLetters` (a positive whole number) and,
 * for a precision recording without a fixed target (`targetXPx`/`targetYPx`), the polyline of
 * `params.target.path` (`xPx` and `yPx` arrays of equal length ≥ 2 of finite numbers, client CSS px, as
 * the pointer positions) times `mmPerPx`. Malformed values are left out.
 */
export function factsFromParams(
  task: PenInput['task'],
  params: Readonly<Record<string, unknown>>,
  mmPerPx: number,
): PenRecordingFacts {
  const facts: PenRecordingFacts = {};
  const target = params['target'];
  const targetObject =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? (target as Record<string, unknown>)
      : null;
  const part = params['part'] ?? targetObject?.['part'];
  if (typeof part === 'string') facts.part = part;
  const letters = params['textLetters'];
  if (task === 'handwriting' && isFiniteNumber(letters) && Number.isInteger(letters) && letters > 0) {
    facts.textLetters = letters;
  }
  const fixed = isFiniteNumber(params['targetXPx']) && isFiniteNumber(params['targetYPx']);
  const path = targetObject?.['path'];
  if (task === 'precision' && !fixed && typeof path === 'object' && path !== null && !Array.isArray(path)) {
    const { xPx, yPx } = path as Record<string, unknown>;
    if (
      Array.isArray(xPx) &&
      Array.isArray(yPx) &&
      xPx.length === yPx.length &&
      xPx.length >= 2 &&
      xPx.every(isFiniteNumber) &&
      yPx.every(isFiniteNumber)
    ) {
      facts.targetPath = {
        xMm: Float64Array.from(xPx as number[], (x) => x * mmPerPx),
        yMm: Float64Array.from(yPx as number[], (y) => y * mmPerPx),
      };
    }
  }
  return facts;
}

/** Distance from (x, y) to the segment from (ax, ay) to (bx, by). */
function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const u = lengthSq > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq)) : 0;
  return Math.hypot(x - (ax + u * dx), y - (ay + u * dy));
}

/**
 * Distance from the point (x, y) to a polyline: the smallest distance to any of its segments (a closed
 * shape repeats its first point at the end). NaN for a path without points.
 */
export function distanceToPath(x: number, y: number, path: TargetPath): number {
  const n = path.xMm.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return Math.hypot(x - path.xMm[0]!, y - path.yMm[0]!);
  let best = Infinity;
  for (let k = 0; k + 1 < n; k++) {
    const d = segmentDistance(x, y, path.xMm[k]!, path.yMm[k]!, path.xMm[k + 1]!, path.yMm[k + 1]!);
    if (d < best) best = d;
  }
  return best;
}
