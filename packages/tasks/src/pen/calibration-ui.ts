/**
 * The screen-calibration UI: an outline of a bank card that the person makes as large as a real card held
 * against the screen, with large − and + buttons (coarse and fine steps), arrow keys, no dragging.
 */
import { h, MIN_TARGET_PX } from '../dom';
import {
  CALIBRATION_STEPS,
  CARD_HEIGHT_MM,
  CARD_WIDTH_MM,
  cardWidthPx,
  makeCalibration,
  NOMINAL_PX_PER_MM,
  saveCalibration,
  stepCardWidth,
  storedCalibration,
  type ScreenCalibration,
  type WindowLike,
} from './calibration';

/** Options of {@link buildCalibrationUi}. */
export interface CalibrationUiOptions {
  /** The window whose screen is calibrated and whose `localStorage` keeps the result (default `window`). */
  win?: WindowLike;
  /** Called with the confirmed calibration (already stored unless `save` is false). */
  onConfirm(calibration: ScreenCalibration): void;
  /** Called when the person leaves without calibrating (no card at hand); no Cancel button without it. */
  onCancel?(): void;
  /** Start from this px/mm (default: the stored calibration's, else the nominal 96 px/in). */
  initialPxPerMm?: number;
  /** Store the result in `localStorage` (default true). */
  save?: boolean;
  /** Show the card upright (long side vertical), for narrow portrait screens (default: when the window is taller than wide). */
  portrait?: boolean;
  /** The clock of `calibratedAt` (default `new Date()`). */
  now?: () => Date;
}

/** The built calibration UI. */
export interface CalibrationUi {
  root: HTMLElement;
  /** The card outline. */
  outline: HTMLElement;
  /** The current length of the card's long side on screen, CSS px. */
  cardWidthPx(): number;
  /** Removes the UI and its listeners. */
  destroy(): void;
}

/** A rounded-corner radius of an ID-1 card, mm (ISO/IEC 7810: 3.18 mm). */
const CORNER_MM = 3.18;

function stepButton(label: string, ariaLabel: string, className: string): HTMLButtonElement {
  return h('button', {
    className,
    text: label,
    attrs: { type: 'button', 'aria-label': ariaLabel },
    style: {
      minWidth: `${MIN_TARGET_PX}px`,
      minHeight: `${MIN_TARGET_PX}px`,
      fontSize: '1.75rem',
      fontWeight: '700',
      padding: '0 16px',
      cursor: 'pointer',
    },
  });
}

/**
 * Builds the calibration UI (not attached: append `root` where it should show). Keys on the UI:
 * ← / − smaller, → / + larger (fine step), with Shift or PageDown / PageUp the coarse step, Enter on
 * a button presses it (the buttons are ordinary buttons).
 */
export function buildCalibrationUi(options: CalibrationUiOptions): CalibrationUi {
  const win: WindowLike =
    options.win ?? (typeof window === 'undefined' ? {} : (window as unknown as WindowLike));
  const portrait =
    options.portrait ??
    (typeof window !== 'undefined' && options.win === undefined && window.innerHeight > window.innerWidth);
  const start = options.initialPxPerMm ?? storedCalibration(win)?.pxPerMm ?? NOMINAL_PX_PER_MM;
  let widthPx = stepCardWidth(Math.round(cardWidthPx(start)), 0);

  const outline = h('div', {
    className: 'dt-calibration-card',
    attrs: { role: 'img', 'aria-label': 'Outline of a bank card' },
    style: {
      boxSizing: 'border-box',
      border: '3px solid var(--dt-calibration-fg, #1e3a8a)',
      background: 'var(--dt-calibration-bg, #dbeafe)',
      flex: 'none',
      margin: '0 auto',
    },
  });
  const readout = h('p', {
    className: 'dt-calibration-readout',
    attrs: { 'aria-live': 'polite' },
    style: { fontSize: '1.125rem', textAlign: 'center', margin: '8px' },
  });
  const buttons = {
    smallerCoarse: stepButton('− −', 'Much smaller', 'dt-calibration-smaller-coarse'),
    smaller: stepButton('−', 'Smaller', 'dt-calibration-smaller'),
    larger: stepButton('+', 'Larger', 'dt-calibration-larger'),
    largerCoarse: stepButton('+ +', 'Much larger', 'dt-calibration-larger-coarse'),
  };
  const confirm = h('button', {
    className: 'dt-calibration-confirm',
    text: 'It matches the card',
    attrs: { type: 'button' },
    style: { minHeight: `${MIN_TARGET_PX}px`, fontSize: '1.25rem', padding: '0 24px', cursor: 'pointer' },
  });
  const cancel = options.onCancel
    ? h('button', {
        className: 'dt-calibration-cancel',
        text: 'I have no card now',
        attrs: { type: 'button' },
        style: {
          minHeight: `${MIN_TARGET_PX}px`,
          fontSize: '1.125rem',
          padding: '0 24px',
          cursor: 'pointer',
        },
      })
    : null;

  const render = () => {
    const long = `${widthPx}px`;
    const short = `${(widthPx * CARD_HEIGHT_MM) / CARD_WIDTH_MM}px`;
    outline.style.width = portrait ? short : long;
    outline.style.height = portrait ? long : short;
    outline.style.borderRadius = `${(widthPx * CORNER_MM) / CARD_WIDTH_MM}px`;
    outline.setAttribute('data-width-px', String(widthPx));
    readout.textContent = `Card outline: ${widthPx} px long.`;
  };
  const step = (deltaPx: number) => {
    widthPx = stepCardWidth(widthPx, deltaPx);
    render();
  };

  const root = h(
    'div',
    {
      className: 'dt-calibration',
      attrs: { role: 'group', 'aria-label': 'Screen size calibration', tabindex: '-1' },
      style: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '16px', outline: 'none' },
    },
    h('h2', { text: 'Measure your screen', style: { margin: '0', fontSize: '1.5rem' } }),
    h('p', {
      text:
        'Hold a bank card (or any card of that size, such as a driving licence) flat against the screen over ' +
        'the blue outline, one corner on a corner. Press − or + until the outline is exactly as ' +
        (portrait ? 'tall' : 'wide') +
        ' as the card. The keys ← and → work too.',
      style: { fontSize: '1.125rem', margin: '0' },
    }),
    outline,
    readout,
    h(
      'div',
      {
        className: 'dt-calibration-steps',
        style: { display: 'flex', justifyContent: 'center', gap: '12px', flexWrap: 'wrap' },
      },
      buttons.smallerCoarse,
      buttons.smaller,
      buttons.larger,
      buttons.largerCoarse,
    ),
    h(
      'div',
      {
        className: 'dt-calibration-actions',
        style: { display: 'flex', justifyContent: 'center', gap: '12px', flexWrap: 'wrap' },
      },
      confirm,
      ...(cancel ? [cancel] : []),
    ),
  );

  const listeners: [EventTarget, string, (event: Event) => void][] = [
    [buttons.smallerCoarse, 'click', () => step(-CALIBRATION_STEPS.coarsePx)],
    [buttons.smaller, 'click', () => step(-CALIBRATION_STEPS.finePx)],
    [buttons.larger, 'click', () => step(CALIBRATION_STEPS.finePx)],
    [buttons.largerCoarse, 'click', () => step(CALIBRATION_STEPS.coarsePx)],
    [
      confirm,
      'click',
      () => {
        const calibration = makeCalibration(widthPx, win, options.now?.() ?? new Date());
        if (options.save ?? true) saveCalibration(win, calibration);
        options.onConfirm(calibration);
      },
    ],
    [
      root,
      'keydown',
      (event) => {
        const e = event as KeyboardEvent;
        const coarse = e.shiftKey ? CALIBRATION_STEPS.coarsePx : CALIBRATION_STEPS.finePx;
        const delta: Record<string, number> = {
          ArrowLeft: -coarse,
          ArrowDown: -coarse,
          '-': -coarse,
          ArrowRight: coarse,
          ArrowUp: coarse,
          '+': coarse,
          PageDown: -CALIBRATION_STEPS.coarsePx,
          PageUp: CALIBRATION_STEPS.coarsePx,
        };
        const d = delta[e.key];
        if (d === undefined) return;
        e.preventDefault();
        step(d);
      },
    ],
  ];
  if (cancel && options.onCancel) {
    const onCancel = options.onCancel;
    listeners.push([cancel, 'click', () => onCancel()]);
  }
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn);
  render();

  return {
    root,
    outline,
    cardWidthPx: () => widthPx,
    destroy() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
      root.remove();
    },
  };
}

/**
 * Shows the calibration UI in `container` until the person confirms (resolves with the stored
 * calibration) or has no card (resolves with null); aborting `signal` removes it and resolves null.
 */
export function calibrateScreen(
  container: HTMLElement,
  options: Omit<CalibrationUiOptions, 'onConfirm' | 'onCancel'> & { signal?: AbortSignal } = {},
): Promise<ScreenCalibration | null> {
  return new Promise((resolve) => {
    const finish = (result: ScreenCalibration | null) => {
      options.signal?.removeEventListener('abort', onAbort);
      ui.destroy();
      resolve(result);
    };
    const onAbort = () => finish(null);
    const ui = buildCalibrationUi({ ...options, onConfirm: finish, onCancel: () => finish(null) });
    container.append(ui.root);
    if (options.signal?.aborted) {
      finish(null);
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    ui.root.focus({ preventScroll: true });
  });
}
