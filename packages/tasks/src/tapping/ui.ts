/** The pieces both tapping protocols draw: buttons, the progress bar, targets, the tapping area, the frame. */
import { h, MIN_TARGET_PX } from '../dom';
import { PX_PER_MM_NOMINAL, type TappingParams } from './definition';

/** A large button (at least the minimum target size). */
export function bigButton(text: string, className: string, disabled: boolean): HTMLButtonElement {
  return h('button', {
    className,
    text,
    attrs: disabled ? { type: 'button', disabled: '' } : { type: 'button' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '160px',
      fontSize: '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
    },
  });
}

/** A progress bar (role progressbar) with its fill, starting at `fillPct` per cent. */
export function progressBar(
  label: string,
  max: number,
  now: number,
  valueText: string,
  fillPct: number,
): { bar: HTMLElement; fill: HTMLElement } {
  const fill = h('div', {
    className: 'dt-tapping-bar-fill',
    style: { height: '100%', width: `${fillPct}%`, background: 'var(--dt-bar-fg, #1d4ed8)' },
  });
  const bar = h(
    'div',
    {
      className: 'dt-tapping-bar',
      style: {
        flex: '1',
        height: '24px',
        background: 'var(--dt-bar-bg, #e5e7eb)',
        borderRadius: '12px',
        overflow: 'hidden',
      },
      attrs: {
        role: 'progressbar',
        'aria-label': label,
        'aria-valuemin': '0',
        'aria-valuemax': String(max),
        'aria-valuenow': String(now),
        'aria-valuetext': valueText,
      },
    },
    fill,
  );
  return { bar, fill };
}

/** The target diameter in CSS px (at least the minimum target size). */
export function targetDiameterPx(p: TappingParams): number {
  return Math.max(MIN_TARGET_PX, Math.round(p.targetDiameterMm * PX_PER_MM_NOMINAL));
}

/** One target: a circle to tap, or a key cap showing the key to press. */
export function tappingTarget(options: {
  index: number;
  keys: boolean;
  ariaLabel: string;
  text: string;
  diameterPx: number;
}): HTMLElement {
  return h('div', {
    className: 'dt-tapping-target',
    attrs: { 'data-target': String(options.index), role: 'img', 'aria-label': options.ariaLabel },
    text: options.keys ? options.text : '',
    style: {
      width: `${options.diameterPx}px`,
      height: `${options.diameterPx}px`,
      flex: 'none',
      boxSizing: 'border-box',
      borderRadius: options.keys ? '16px' : '50%',
      border: '4px solid var(--dt-target-border, #1e3a8a)',
      background: 'var(--dt-target-bg, #dbeafe)',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      fontSize: '2rem',
      fontWeight: '700',
    },
  });
}

/** The area holding the targets, `gapPx` apart. */
export function tappingArea(targets: HTMLElement[], gapPx = 0): HTMLElement {
  return h(
    'div',
    {
      className: 'dt-tapping-area',
      style: {
        flex: '1',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        ...(gapPx > 0 ? { gap: `${gapPx}px` } : {}),
        minHeight: '240px',
      },
    },
    ...targets,
  );
}

/** The header: a label, the bar, what else is given, the tap counter and Stop. */
export function tappingHeader(
  label: string,
  bar: HTMLElement,
  counter: HTMLElement,
  stop: HTMLElement,
  ...extra: HTMLElement[]
): HTMLElement {
  return h(
    'div',
    {
      className: 'dt-tapping-header',
      style: { display: 'flex', alignItems: 'center', gap: '16px', padding: '16px', flexWrap: 'wrap' },
    },
    h('span', { text: label, style: { fontSize: '1.25rem' }, attrs: { 'aria-hidden': 'true' } }),
    bar,
    ...extra,
    h('span', { text: 'Taps: ', style: { fontSize: '1.25rem' } }, counter),
    stop,
  );
}

/** The task's frame: no scrolling, selection or callouts while tapping. */
export function tappingRoot(
  className: string,
  attrs: Record<string, string>,
  ...children: HTMLElement[]
): HTMLElement {
  const root = h(
    'div',
    {
      className,
      attrs: { tabindex: '-1', ...attrs },
      style: {
        display: 'flex',
        flexDirection: 'column',
        height: '100%',
        minHeight: '420px',
        touchAction: 'none',
        userSelect: 'none',
        outline: 'none',
      },
    },
    ...children,
  );
  root.style.setProperty('-webkit-user-select', 'none');
  root.style.setProperty('-webkit-touch-callout', 'none');
  root.style.setProperty('-webkit-tap-highlight-color', 'transparent');
  return root;
}
