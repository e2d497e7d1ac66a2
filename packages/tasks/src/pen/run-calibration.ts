/**
 * The start-of-run step that every pen task (spiral, handwriting, precision) shares: use the stored
 * screen calibration if it still holds (measures.md 3.2 item 2), else show the card calibration inside
 * the task's element, with a way out for a person without a card at hand. The result decides whether
 * the recording gets `params.pxPerMm` (core's millimetre metrics) or the flag `NOMINAL_SCALE` (core
 * leaves them null), and what px/mm the task's guides are drawn with.
 */
import { abortError } from '../clock';
import type { JsonValue, TaskContext } from '../contract';
import { h } from '../dom';
import {
  currentCalibration,
  NOMINAL_PX_PER_MM,
  type ScreenCalibration,
  type WindowLike,
} from './calibration';
import { calibrateScreen } from './calibration-ui';
import { PEN_FLAGS } from './flags';

/** The screen scale a pen run uses, from {@link ensureCalibration}. */
export interface PenScale {
  /** The valid calibration (stored, or made at the start of this run), or null without one. */
  calibration: ScreenCalibration | null;
  /** CSS px per mm to draw with: the calibration's, else the nominal 96 px/in. */
  pxPerMm: number;
  /** Whether `pxPerMm` comes from a calibration. */
  calibrated: boolean;
  /** Whether the calibration was made at the start of this run (false: stored, or none). */
  madeNow: boolean;
}

/** Options of {@link ensureCalibration}. */
export interface EnsureCalibrationOptions {
  /** The window whose calibration is read and stored (default `window`). */
  win?: WindowLike;
  /** Show the card upright (default: when the window is taller than wide). */
  portrait?: boolean;
  /** The clock of `calibratedAt` (default `new Date()`). */
  now?: () => Date;
}

/** The calibration facts recorded in `params.calibration` (null without a valid calibration). */
export function calibrationFacts(calibration: ScreenCalibration | null): JsonValue {
  if (!calibration) return null;
  return {
    pxPerMm: calibration.pxPerMm,
    cardWidthPx: calibration.cardWidthPx,
    calibratedAt: calibration.calibratedAt,
    devicePixelRatio: calibration.devicePixelRatio,
    screenWidthPx: calibration.screenWidthPx,
    screenHeightPx: calibration.screenHeightPx,
    visualViewportScale: calibration.visualViewportScale,
  };
}

/** What the person reads above the card outline when a pen task asks for the calibration. */
export const IN_RUN_CALIBRATION_INTRO =
  'This task measures sizes in millimetres, so it needs to know how large your screen shows things. ' +
  'This takes a minute and is kept on this device until the zoom or the screen changes. ' +
  'If you have no card at hand, press “I have no card now”: the task still runs, only sizes are not measured.';

/**
 * The screen scale of a pen run. With a stored calibration that still holds for this screen and zoom,
 * it is used at once (no UI). Otherwise the card calibration is shown inside `ctx.element` (above it a
 * short explanation); a confirmed card is stored and used; “I have no card now” goes on without one.
 * Records `params.calibration` ({@link calibrationFacts}), `params.pxPerMm` with a calibration, else
 * the flag `NOMINAL_SCALE`. Nothing is recorded in the task's streams while the calibration shows
 * (the pen surface does not exist yet).
 * @throws AbortError when `ctx.signal` aborts while the calibration shows (the UI is removed)
 */
export async function ensureCalibration(
  ctx: Pick<TaskContext, 'element' | 'signal' | 'setParam' | 'flag' | 'announce'>,
  options: EnsureCalibrationOptions = {},
): Promise<PenScale> {
  const win = options.win ?? ((typeof window === 'undefined' ? {} : window) as WindowLike);
  let calibration = currentCalibration(win);
  let madeNow = false;
  if (!calibration) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    const portrait =
      options.portrait ?? (typeof window !== 'undefined' && window.innerHeight > window.innerWidth);
    const box = h(
      'div',
      { className: 'dt-pen-calibration', style: { maxWidth: '48rem', margin: '0 auto' } },
      h('p', {
        className: 'dt-pen-calibration-intro',
        text: IN_RUN_CALIBRATION_INTRO,
        style: { fontSize: '1.125rem', margin: '16px 16px 0' },
      }),
    );
    ctx.element.append(box);
    ctx.announce('Measure your screen with a bank card first, or press “I have no card now”.');
    try {
      calibration = await calibrateScreen(box, {
        win,
        portrait,
        signal: ctx.signal,
        ...(options.now ? { now: options.now } : {}),
      });
    } finally {
      box.remove();
    }
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    madeNow = calibration !== null;
  }
  ctx.setParam('calibration', calibrationFacts(calibration));
  if (calibration) ctx.setParam('pxPerMm', calibration.pxPerMm);
  else ctx.flag(PEN_FLAGS.noCalibration);
  return {
    calibration,
    pxPerMm: calibration?.pxPerMm ?? NOMINAL_PX_PER_MM,
    calibrated: calibration !== null,
    madeNow,
  };
}
