import type { TaskContext } from '../contract';
import { createRunScope } from '../scope';
import { NO_CALIBRATION_MESSAGE, PEN_FLAGS } from './flags';
import { buildPenTaskUi, createNotices, notPenTeller, runPenProtocol, type PenProtocol } from './protocol';
import { ensureCalibration, type PenScale } from './run-calibration';
import { createPenSurface, type PenSurface } from './surface';

/** The surface's box in client px, as `surface.rect()` answers it. */
type SurfaceBox = ReturnType<PenSurface['rect']>;

/** A pen task drawn to scale: what differs between the handwriting and precision tasks. */
export interface ScaledPenTask<Layout> {
  /** Class-name prefix of the task's elements, e.g. `dt-handwriting`. */
  prefix: string;
  /** Shown above the surface (the text to copy), if any. */
  above?: HTMLElement;
  /** Data attributes of the task's root. */
  attrs: Record<string, string>;
  /** The trials. */
  protocol: PenProtocol;
  /**
   * Draws the guides for the surface's current box at the screen scale and records their geometry
   * (params); called at the start and after every resize.
   */
  draw(surface: PenSurface, box: SurfaceBox, scale: PenScale): Layout;
  /** A notice about the first layout (e.g. the screen is too small), or null. */
  check?(layout: Layout, box: SurfaceBox, scale: PenScale): string | null;
}

/**
 * Runs a pen task drawn to scale: the screen calibration ({@link ensureCalibration}), the pen surface
 * and the shared task screen, the guides of `task.draw` with `params.canvas`, then the trials with the
 * shared pen protocol ({@link runPenProtocol}); everything is removed at the end. Sets `params.trials`.
 * @param ctx - the task's context
 * @param trials - the number of trials to record
 * @param task - what the task draws and its trials
 */
export async function runScaledPenTask<Layout>(
  ctx: TaskContext,
  trials: number,
  task: ScaledPenTask<Layout>,
): Promise<void> {
  ctx.setParam('trials', trials);
  const scale = await ensureCalibration(ctx);

  const scope = createRunScope(ctx.clock);
  const surface = createPenSurface({
    stream: ctx.stream('pointer'),
    onOverflow: () => ctx.flag(PEN_FLAGS.streamFull),
    onStroke: (stroke) => {
      if (stroke.pointerType !== 'pen') tellNotPen();
    },
  });
  scope.onDispose(() => surface.destroy());
  const ui = buildPenTaskUi({
    prefix: task.prefix,
    surface,
    above: task.above ?? null,
    attrs: task.attrs,
  });
  const notices = createNotices(ui.notice, ctx.announce);
  const tellNotPen = notPenTeller(notices);

  ctx.element.append(ui.root);
  try {
    if (!scale.calibrated) notices.add(NO_CALIBRATION_MESSAGE);
    const layout = () => {
      surface.resize();
      const box = surface.rect();
      const drawn = task.draw(surface, box, scale);
      ctx.setParam('canvas', {
        ...box,
        devicePixelRatio: typeof devicePixelRatio === 'number' ? devicePixelRatio : 1,
      });
      return { drawn, box };
    };
    const first = layout();
    const notice = task.check?.(first.drawn, first.box, scale) ?? null;
    if (notice) notices.add(notice);
    await runPenProtocol({ ctx, surface, ui, protocol: task.protocol, tellNotPen, layout });
  } finally {
    scope.dispose();
    ui.root.remove();
  }
}
