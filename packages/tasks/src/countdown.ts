import { abortError, browserClock, type Clock } from './clock';
import { h } from './dom';

export interface CountdownOptions {
  /** Where to show the countdown: an overlay covering this element (the task's layout stays visible under it). */
  container: HTMLElement;
  /** First number (default 3). */
  from?: number;
  /** Time each number stays, ms (default 1000). */
  stepMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Announces each number and "Go" to screen readers; without it the overlay is its own live region. */
  announce?: (message: string) => void;
  /** No animation when true: the numbers just change. */
  reducedMotion?: boolean;
  /** Called as each number appears, with its time on `clock` (the runner records it as a marker). */
  onStep?: (value: number, timeMs: number) => void;
  /** Said at the end (default "Go"). */
  goLabel?: string;
}

/**
 * Shows a 3-2-1 countdown with large visible numbers over `container` and announces them.
 * The overlay lets pointer events through, so taps during the countdown reach the task (and are recorded
 * as false starts).
 * @returns the clock time of "go"
 * @throws AbortError when `signal` aborts (the overlay is removed)
 */
export function runCountdown(options: CountdownOptions): Promise<number> {
  const clock = options.clock ?? browserClock;
  const from = options.from ?? 3;
  const stepMs = options.stepMs ?? 1000;
  const { signal, announce, reducedMotion = false } = options;
  const number = h('span', {
    className: 'dt-countdown-number',
    style: {
      fontSize: 'clamp(96px, 30vmin, 320px)',
      fontWeight: '700',
      lineHeight: '1',
      fontVariantNumeric: 'tabular-nums',
    },
    attrs: announce ? { 'aria-hidden': 'true' } : {},
  });
  const overlay = h(
    'div',
    {
      className: 'dt-countdown',
      style: {
        position: 'absolute',
        inset: '0',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'var(--dt-countdown-bg, rgba(255, 255, 255, 0.75))',
        color: 'var(--dt-countdown-fg, #111)',
        pointerEvents: 'none',
        zIndex: '10',
      },
      attrs: announce ? {} : { role: 'status', 'aria-live': 'assertive' },
    },
    number,
  );
  if (getComputedStyle(options.container).position === 'static')
    options.container.style.position = 'relative';
  options.container.append(overlay);

  return new Promise<number>((resolve, reject) => {
    let handle: number | undefined;
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      overlay.remove();
    };
    const onAbort = () => {
      if (handle !== undefined) clock.clearTimeout(handle);
      finish();
      reject(abortError(signal));
    };
    const show = (value: number) => {
      if (value === 0) {
        announce?.(options.goLabel ?? 'Go');
        finish();
        resolve(clock.now());
        return;
      }
      number.textContent = String(value);
      announce?.(String(value));
      options.onStep?.(value, clock.now());
      if (!reducedMotion && typeof number.animate === 'function') {
        number.animate(
          [
            { transform: 'scale(1.25)', opacity: 0.5 },
            { transform: 'scale(1)', opacity: 1 },
          ],
          { duration: Math.min(300, stepMs / 2), easing: 'ease-out' },
        );
      }
      handle = clock.setTimeout(() => show(value - 1), stepMs);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    show(from);
  });
}
