import type { JsonValue, TaskContext } from '../contract';
import type { PenProtocol } from '../pen/protocol';
import { runScaledPenTask } from '../pen/scaled-task';
import { readPrecisionParams, type PrecisionParams } from './definition';
import { CIRCLE_DIAMETER_MM, drawTarget, precisionTarget, ZIGZAG, type PrecisionTarget } from './geometry';

/** The trials of a part: labels, instructions, timing. */
export function precisionProtocol(p: PrecisionParams, hand: TaskContext['hand']): PenProtocol {
  const n = p.trials;
  const left = hand === 'left';
  const hold = p.part === 'hold';
  const name = p.part === 'hold' ? 'Hold' : p.part === 'circle' ? 'Circle' : 'Zig-zag';
  const instruction =
    p.part === 'hold'
      ? 'Put the tip in the middle of the small ring and keep it there, as still as you can, until the time is up.'
      : p.part === 'circle'
        ? `Start at the green dot and trace the small circle ${left ? 'anticlockwise' : 'clockwise'}, slowly and as exactly as you can, then press Done.`
        : `Start at the green dot and trace the zig-zag to the ${left ? 'left' : 'right'}, slowly and as exactly as you can, then press Done.`;
  return {
    trials: n,
    trialMs: hold ? p.holdS * 1000 : null,
    restMs: p.restS * 1000,
    timeLimitMs: p.timeLimitS * 1000,
    pages: false,
    label: (k) => `${name} ${k} of ${n}`,
    instruction: () => instruction,
    nothingDrawn: 'Trace the shape first, starting at the green dot.',
  };
}

/** The target's params: `target` (its geometry), and for the hold `targetXPx`/`targetYPx`, which core reads. */
export function targetParams(target: PrecisionTarget): Record<string, JsonValue> {
  const facts: Record<string, JsonValue> = {
    target: {
      ...target,
      path: target.path ? { ...target.path, xPx: [...target.path.xPx], yPx: [...target.path.yPx] } : null,
    },
  };
  if (target.part === 'hold') {
    facts['targetXPx'] = target.centreXPx;
    facts['targetYPx'] = target.centreYPx;
  }
  return facts;
}

/**
 * Runs one part of the precision task: the screen calibration ({@link ensureCalibration}), the target
 * drawn to scale in the middle of the surface (hold: a 2-mm ring; circle: 15 mm; zig-zag: 40 × 6 mm,
 * mirrored for the left hand), then the part's trials with the shared pen protocol
 * ({@link runPenProtocol}): holds of `holdS` with rests and a countdown each, traces ended with Done;
 * Redo, two-press Finish, checkpoints, markers. Records `params.trials`, `target` (the geometry, client
 * px), `targetXPx`/`targetYPx` (hold: the ring centre, from which core measures deviation, drift and
 * time within 1 mm), `canvas`, `calibration`, `pxPerMm` (only with a calibration) and `attempts`; the
 * `tool` parameter is only recorded. Flags: `NOMINAL_SCALE`, `NOT_PEN`, `STOPPED_EARLY`, `TIME_LIMIT`,
 * `LAYOUT_CHANGED`, `STREAM_FULL`.
 */
export async function runPrecision(ctx: TaskContext): Promise<void> {
  const p = readPrecisionParams(ctx.params);
  await runScaledPenTask(ctx, p.trials, {
    prefix: 'dt-precision',
    attrs: { 'data-part': p.part, 'data-tool': p.tool },
    protocol: precisionProtocol(p, ctx.hand),
    draw: (surface, box, scale) => {
      const target = precisionTarget({
        box,
        pxPerMm: scale.pxPerMm,
        calibrated: scale.calibrated,
        part: p.part,
        hand: ctx.hand,
      });
      drawTarget(surface, target);
      for (const [name, value] of Object.entries(targetParams(target))) ctx.setParam(name, value);
      return target;
    },
    check: (_target, box, scale) => {
      const needMm = p.part === 'zigzag' ? ZIGZAG.widthMm : p.part === 'circle' ? CIRCLE_DIAMETER_MM : 12;
      return box.widthPx > 0 && Math.min(box.widthPx, box.heightPx) < needMm * scale.pxPerMm
        ? 'The screen is too small for the whole shape: turn the device or make the window larger.'
        : null;
    },
  });
}
