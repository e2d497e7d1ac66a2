/** The scale task's layout: a header (progress, Finish), the phase, a message, buttons. */
import { h, MIN_TARGET_PX } from '../dom';

export interface ScaleUi {
  root: HTMLElement;
  phase: HTMLElement;
  message: HTMLElement;
  hint: HTMLElement;
  controls: HTMLElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  status: HTMLElement;
  notes: HTMLElement;
  finish: HTMLButtonElement;
}

/** A large button (at least the minimum target size, wide enough for a device name). */
export function scaleButton(text: string, className: string): HTMLButtonElement {
  return h('button', {
    className,
    text,
    attrs: { type: 'button' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '200px',
      fontSize: '1.25rem',
      padding: '0 24px',
      margin: '8px',
      cursor: 'pointer',
    },
  });
}

export function buildScaleUi(): ScaleUi {
  const barFill = h('div', {
    className: 'dt-scale-bar-fill',
    style: { height: '100%', width: '0%', background: 'var(--dt-bar-fg, #1d4ed8)' },
  });
  const bar = h(
    'div',
    {
      className: 'dt-scale-bar',
      style: {
        flex: '1',
        minWidth: '120px',
        height: '24px',
        background: 'var(--dt-bar-bg, #e5e7eb)',
        borderRadius: '12px',
        overflow: 'hidden',
      },
      attrs: {
        role: 'progressbar',
        'aria-label': 'Progress',
        'aria-valuemin': '0',
        'aria-valuemax': '1',
        'aria-valuenow': '0',
        'aria-valuetext': 'Not started',
      },
    },
    barFill,
  );
  const status = h('span', { className: 'dt-scale-status', text: '', style: { fontSize: '1.25rem' } });
  const notes = h('span', { className: 'dt-scale-notes', text: '0', style: { fontSize: '1.25rem' } });
  const finish = scaleButton('Finish', 'dt-scale-finish');
  finish.disabled = true;
  const header = h(
    'div',
    {
      className: 'dt-scale-header',
      style: { display: 'flex', alignItems: 'center', gap: '16px', padding: '16px', flexWrap: 'wrap' },
    },
    status,
    bar,
    h('span', { text: 'Notes: ', style: { fontSize: '1.25rem' } }, notes),
    finish,
  );
  const phase = h('p', {
    className: 'dt-scale-phase',
    text: 'Getting the keyboard ready',
    style: { fontSize: '1.75rem', fontWeight: '700', textAlign: 'center', margin: '16px 16px 0' },
  });
  const message = h('p', {
    className: 'dt-scale-message',
    style: { fontSize: '1.25rem', textAlign: 'center', margin: '16px' },
  });
  const hint = h('p', {
    className: 'dt-scale-hint',
    attrs: { role: 'status' },
    style: {
      fontSize: '1.1rem',
      textAlign: 'center',
      margin: '8px 16px',
      color: 'var(--dt-warning-fg, #92400e)',
    },
  });
  const controls = h('div', {
    className: 'dt-scale-controls',
    style: { display: 'flex', flexWrap: 'wrap', justifyContent: 'center', padding: '8px' },
  });
  const root = h(
    'div',
    {
      className: 'dt-scale',
      attrs: { tabindex: '-1' },
      style: { display: 'flex', flexDirection: 'column', minHeight: '420px', outline: 'none' },
    },
    header,
    phase,
    message,
    hint,
    controls,
  );
  return { root, phase, message, hint, controls, bar, barFill, status, notes, finish };
}

/** Sets the progress bar: `done` of `total` with a spoken value. */
export function setProgress(ui: ScaleUi, done: number, total: number, text: string): void {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  ui.barFill.style.width = `${100 * fraction}%`;
  ui.bar.setAttribute('aria-valuemax', String(total));
  ui.bar.setAttribute('aria-valuenow', String(Math.min(done, total)));
  ui.bar.setAttribute('aria-valuetext', text);
  ui.status.textContent = text;
}
