import type { PenInput } from '../../inputs.js';

/**
 * A pen input from plain columns, for tests: pen always down, no pressure, tilt or target unless
 * `extra` gives them (task `handwriting` unless `extra.task` says otherwise).
 */
export function penInput(
  tMs: ArrayLike<number>,
  xMm: ArrayLike<number>,
  yMm: ArrayLike<number>,
  extra: Partial<PenInput> = {},
): PenInput {
  return {
    task: 'handwriting',
    tMs: Float64Array.from(tMs),
    xMm: Float64Array.from(xMm),
    yMm: Float64Array.from(yMm),
    pressure: null,
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: null,
    targetXMm: null,
    targetYMm: null,
    flags: [],
    ...extra,
  };
}
