import { abortError } from '../clock';
import { MARKERS } from '../columns';
import type { JsonValue, TaskContext } from '../contract';
import { h, MIN_TARGET_PX } from '../dom';
import { createRunScope, guardWithSecondPress } from '../scope';
import { NO_CALIBRATION_MESSAGE, NOT_PEN_MESSAGE, PEN_FLAGS } from '../pen/flags';
import type { InkSummary } from '../pen/ink';
import { calibrationFacts, ensureCalibration } from '../pen/run-calibration';
import { createPenSurface, type PenSurface } from '../pen/surface';
import { readSpiralParams, type SpiralParams } from './definition';
import { guidePathD, spiralGuide, type SpiralGuide } from './geometry';

/** The calibration facts of `params.calibration` (now shared by the pen tasks, in pen/run-calibration.ts). */
export { calibrationFacts };

/** How long the Finish button stays armed after the first press, ms. */
const FINISH_CONFIRM_MS = 4000;

/** Marker labels of the spiral task (besides `trial-start`, `trial-end`, `stop-request`, `stop`). */
export const SPIRAL_MARKERS = {
  /** `trial-<k>`: the k-th spiral (1-based) starts; right after its `trial-start`. */
  trial: (k: number) => `trial-${k}`,
  /** `redo-<k>`: spiral k is discarded and drawn again (its rows stay in the recording). */
  redo: (k: number) => `redo-${k}`,
  timeLimit: 'time-limit',
  resize: 'resize',
} as const;

/** How an attempt at a spiral ended. */
export type SpiralOutcome = 'kept' | 'redone' | 'empty' | 'stopped' | 'time-limit';

/** One attempt at a spiral, as recorded in `params.attempts`. */
export interface SpiralAttempt {
  /** Which spiral of the run (1-based). */
  trial: number;
  startMs: number;
  endMs: number;
  outcome: SpiralOutcome;
  /** Ink strokes by pointer type, and rejected (palm) strokes. */
  strokes: InkSummary;
}

function button(text: string, className: string): HTMLButtonElement {
  return h('button', {
    className,
    text,
    attrs: { type: 'button' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '140px',
      fontSize: '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
    },
  });
}

interface SpiralUi {
  root: HTMLElement;
  progress: HTMLElement;
  message: HTMLElement;
  notice: HTMLElement;
  done: HTMLButtonElement;
  redo: HTMLButtonElement;
  finish: HTMLButtonElement;
}

function buildUi(surface: PenSurface, p: SpiralParams): SpiralUi {
  const progress = h('span', {
    className: 'dt-spiral-progress',
    text: `Spiral 1 of ${p.trials}`,
    style: { fontSize: '1.25rem', fontWeight: '700' },
  });
  const message = h('p', {
    className: 'dt-spiral-message',
    text: 'Put the pen on the dot.',
    style: { fontSize: '1.25rem', margin: '0', flex: '1' },
  });
  const notice = h('p', {
    className: 'dt-spiral-notice',
    attrs: { role: 'note' },
    style: { fontSize: '1rem', margin: '0 16px', color: 'var(--dt-notice-fg, #92400e)' },
  });
  const done = button('Done', 'dt-spiral-done');
  const redo = button('Redo', 'dt-spiral-redo');
  const finish = button('Finish', 'dt-spiral-finish');
  for (const b of [done, redo, finish]) b.disabled = true;
  const header = h(
    'div',
    {
      className: 'dt-spiral-header',
      style: { display: 'flex', alignItems: 'center', gap: '16px', padding: '12px 16px', flexWrap: 'wrap' },
    },
    progress,
    message,
  );
  const footer = h(
    'div',
    {
      className: 'dt-spiral-footer',
      style: {
        display: 'flex',
        gap: '16px',
        padding: '12px 16px',
        justifyContent: 'flex-end',
        flexWrap: 'wrap',
      },
    },
    redo,
    done,
    finish,
  );
  const root = h(
    'div',
    {
      className: 'dt-spiral',
      attrs: { tabindex: '-1', 'data-mode': p.mode },
      style: {
        display: 'flex',
        flexDirection: 'column',
        height: '100%',
        minHeight: '480px',
        userSelect: 'none',
        outline: 'none',
      },
    },
    header,
    notice,
    surface.root,
    footer,
  );
  root.style.setProperty('-webkit-user-select', 'none');
  return { root, progress, message, notice, done, redo, finish };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws the guide into the surface's SVG layer: template (traced) or boundary circle (freehand), and the start dot. */
function drawGuide(surface: PenSurface, guide: SpiralGuide, mode: SpiralParams['mode']): void {
  const svg = surface.guide;
  svg.replaceChildren();
  const box = surface.rect();
  const cx = guide.centreXPx - box.leftPx;
  const cy = guide.centreYPx - box.topPx;
  const el = (tag: string, attrs: Record<string, string>) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    svg.append(node);
    return node;
  };
  if (mode === 'traced') {
    el('path', {
      class: 'dt-spiral-template',
      d: guidePathD(guide, box.leftPx, box.topPx),
      fill: 'none',
      stroke: 'var(--dt-guide, #9ca3af)',
      'stroke-width': String(Math.max(2, 0.5 * guide.pxPerMm)),
      'stroke-linecap': 'round',
    });
  } else {
    el('circle', {
      class: 'dt-spiral-boundary',
      cx: String(cx),
      cy: String(cy),
      r: String(guide.boundaryRadiusPx),
      fill: 'none',
      stroke: 'var(--dt-guide, #9ca3af)',
      'stroke-width': '2',
      'stroke-dasharray': '8 6',
    });
  }
  el('circle', {
    class: 'dt-spiral-start',
    cx: String(cx),
    cy: String(cy),
    r: String(guide.startDotRadiusPx),
    fill: 'var(--dt-start, #16a34a)',
  });
}

function guideFacts(guide: SpiralGuide): JsonValue {
  return { ...guide };
}

/**
 * Runs the spiral task: checks the screen calibration ({@link ensureCalibration}: the stored one, else the
 * card calibration in the task's element; `params.pxPerMm` only with a valid one, else flag `NOMINAL_SCALE`
 * and a notice), draws the surface with the guide to scale (traced: the template; freehand:
 * the 10-cm circle) and the start dot, counts down, then takes `trials` spirals: each from `trial-start` (+
 * `trial-<k>`) to Done (`trial-end`, checkpoint). Redo discards the spiral in progress, or, before anything
 * is drawn, the previous one (`redo-<k>`). Finish (two presses) ends early (`STOPPED_EARLY` when fewer
 * spirals were kept than asked); the run also ends `timeLimitS` after the first spiral started (`TIME_LIMIT`).
 * Strokes by finger or mouse instead of a pen: flag `NOT_PEN` and a notice.
 */
export async function runSpiral(ctx: TaskContext): Promise<void> {
  const p = readSpiralParams(ctx.params);
  const { clock, signal } = ctx;
  const scope = createRunScope(clock);
  ctx.setParam('mode', p.mode);
  ctx.setParam('trials', p.trials);
  const { calibration, pxPerMm } = await ensureCalibration(ctx);

  let toldNotPen = false;
  const surface = createPenSurface({
    stream: ctx.stream('pointer'),
    onOverflow: () => ctx.flag(PEN_FLAGS.streamFull),
    // tell the person at once; the flag is decided per spiral from its ink (a touch before the pen's
    // first contact is rejected after the fact)
    onStroke: (stroke) => {
      if (stroke.pointerType !== 'pen') tellNotPen();
    },
  });
  scope.onDispose(() => surface.destroy());
  const ui = buildUi(surface, p);
  const notices: string[] = [];
  const addNotice = (text: string) => {
    if (notices.includes(text)) return;
    notices.push(text);
    ui.notice.textContent = notices.join(' ');
    ctx.announce(text);
  };
  const tellNotPen = () => {
    if (toldNotPen) return;
    toldNotPen = true;
    addNotice(NOT_PEN_MESSAGE);
  };

  ctx.element.append(ui.root);
  try {
    if (!calibration) addNotice(NO_CALIBRATION_MESSAGE);
    const layout = () => {
      surface.resize();
      const box = surface.rect();
      const guide = spiralGuide({ box, pxPerMm, calibrated: calibration !== null, hand: ctx.hand });
      drawGuide(surface, guide, p.mode);
      ctx.setParam('guide', guideFacts(guide));
      ctx.setParam('canvas', {
        ...box,
        devicePixelRatio: typeof devicePixelRatio === 'number' ? devicePixelRatio : 1,
      });
      return guide;
    };
    const guide = layout();
    if (guide.reduced) {
      addNotice(`The screen is small: the spiral has ${guide.turns} turns instead of 4.5.`);
    }

    const goMs = await ctx.countdown();
    const attempts: SpiralAttempt[] = [];
    const kept = () => attempts.filter((a) => a.outcome === 'kept').length;
    let trial = 1;
    let trialStartMs = goMs;
    let ended = false;
    const inkCount = () => {
      const s = surface.summary();
      return s.pen + s.touch + s.mouse + s.other;
    };
    const log = (outcome: SpiralOutcome, endMs: number) => {
      const strokes = surface.summary();
      if (strokes.touch + strokes.mouse + strokes.other > 0) {
        ctx.flag(PEN_FLAGS.notPen);
        tellNotPen();
      }
      attempts.push({ trial, startMs: trialStartMs, endMs, outcome, strokes });
      ctx.setParam(
        'attempts',
        attempts.map((a) => ({ ...a, strokes: { ...a.strokes } })),
      );
    };
    const startTrial = (k: number, atMs: number) => {
      surface.clear();
      trial = k;
      trialStartMs = atMs;
      ctx.mark(MARKERS.trialStart, atMs);
      ctx.mark(SPIRAL_MARKERS.trial(k), atMs);
      ui.progress.textContent = `Spiral ${k} of ${p.trials}`;
      ui.message.textContent =
        p.mode === 'traced'
          ? 'Put the pen on the dot and follow the spiral outwards.'
          : 'Put the pen on the dot and draw a spiral outwards, inside the circle.';
      ctx.announce(`Spiral ${k} of ${p.trials}. ${ui.message.textContent}`);
      ui.redo.disabled = k === 1;
    };

    startTrial(1, goMs);
    for (const b of [ui.done, ui.redo, ui.finish]) b.disabled = false;
    ui.redo.disabled = true;
    ui.root.focus({ preventScroll: true });
    scope.listen(window, 'resize', () => {
      if (ended) return;
      ctx.flag(PEN_FLAGS.layoutChanged);
      ctx.mark(SPIRAL_MARKERS.resize);
      layout();
    });

    await new Promise<void>((resolve, reject) => {
      const end = () => {
        if (ended) return;
        ended = true;
        for (const b of [ui.done, ui.redo, ui.finish]) b.disabled = true;
        resolve();
      };
      // ends the spiral in progress
      const closeTrial = (outcome: SpiralOutcome) => {
        const now = clock.now();
        const empty = inkCount() === 0;
        ctx.mark(MARKERS.trialEnd, now);
        log(empty && outcome !== 'redone' ? 'empty' : outcome, now);
        ctx.checkpoint();
        return now;
      };
      scope.listen(ui.done, 'click', () => {
        if (ended) return;
        if (inkCount() === 0) {
          ui.message.textContent = 'Draw the spiral first, starting at the dot.';
          ctx.announce(ui.message.textContent);
          return;
        }
        const now = closeTrial('kept');
        if (kept() >= p.trials) {
          ui.message.textContent = `Done: ${kept()} spirals. Thank you.`;
          ctx.announce(ui.message.textContent);
          end();
        } else startTrial(kept() + 1, now);
      });
      scope.listen(ui.redo, 'click', () => {
        if (ended) return;
        if (inkCount() > 0) {
          const now = closeTrial('redone');
          ctx.mark(SPIRAL_MARKERS.redo(trial), now);
          startTrial(trial, now);
        } else if (trial > 1) {
          const now = closeTrial('empty');
          const previous = [...attempts].reverse().find((a) => a.outcome === 'kept');
          if (previous) previous.outcome = 'redone';
          ctx.setParam(
            'attempts',
            attempts.map((a) => ({ ...a, strokes: { ...a.strokes } })),
          );
          ctx.mark(SPIRAL_MARKERS.redo(trial - 1), now);
          startTrial(trial - 1, now);
        }
      });
      guardWithSecondPress(scope, ctx, ui.finish, {
        label: 'Finish',
        armedLabel: 'Press again to finish',
        announcement: 'Press Finish again to end the task.',
        confirmMs: FINISH_CONFIRM_MS,
        isActive: () => !ended,
        onConfirm: () => {
          closeTrial('stopped');
          ctx.mark(MARKERS.stop);
          if (kept() < p.trials) ctx.flag(PEN_FLAGS.stoppedEarly);
          ui.message.textContent = 'Finished. Thank you.';
          ctx.announce(ui.message.textContent);
          end();
        },
      });
      scope.later(() => {
        if (ended) return;
        closeTrial('time-limit');
        ctx.mark(SPIRAL_MARKERS.timeLimit);
        ctx.flag(PEN_FLAGS.timeLimit);
        ui.message.textContent = 'Time is up. Thank you.';
        ctx.announce(ui.message.textContent);
        end();
      }, p.timeLimitS * 1000);
      const onAbort = () => {
        ended = true;
        reject(abortError(signal));
      };
      if (signal.aborted) onAbort();
      else scope.listen(signal, 'abort', onAbort, { once: true });
    });
  } finally {
    scope.dispose();
    ui.root.remove();
  }
}
