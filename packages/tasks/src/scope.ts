/**
 * What a task run holds while it runs — timers, event listeners, recorders — in one place, so that the run
 * ends with nothing left behind, and the two-press guard of its Stop or Finish button.
 */
import type { Clock } from './clock';
import type { TaskContext } from './contract';

/** Timers and listeners of one run, all released by {@link RunScope.dispose}. */
export interface RunScope {
  /** Runs `fn` after `ms` on the run's clock; returns the handle. */
  later(fn: () => void, ms: number): number;
  /** Cancels a timer of {@link later} (null: nothing). */
  cancel(handle: number | null): void;
  /** Adds an event listener that {@link dispose} removes. */
  listen(
    target: EventTarget,
    type: string,
    fn: (event: Event) => void,
    options?: AddEventListenerOptions,
  ): void;
  /** Adds a clean-up step (e.g. a recorder's detach) that {@link dispose} runs. */
  onDispose(cleanup: () => void): void;
  /** Cancels every pending timer, then runs the clean-up steps, the latest first. */
  dispose(): void;
}

/** A {@link RunScope} on the run's clock. */
export function createRunScope(clock: Clock): RunScope {
  const cleanups: (() => void)[] = [];
  const timers = new Set<number>();
  return {
    later(fn, ms) {
      const handle = clock.setTimeout(() => {
        timers.delete(handle);
        fn();
      }, ms);
      timers.add(handle);
      return handle;
    },
    cancel(handle) {
      if (handle === null) return;
      clock.clearTimeout(handle);
      timers.delete(handle);
    },
    listen(target, type, fn, options) {
      target.addEventListener(type, fn, options);
      cleanups.push(() => target.removeEventListener(type, fn, options));
    },
    onDispose(cleanup) {
      cleanups.push(cleanup);
    },
    dispose() {
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      for (const cleanup of cleanups.reverse()) cleanup();
      cleanups.length = 0;
    },
  };
}

/**
 * Makes `button` act only on a second press within `confirmMs` (a guard against an accidental touch):
 * the first press marks `stop-request`, changes the label to `armedLabel` and announces `announcement`;
 * without a second press the label goes back. The second press calls `onConfirm`.
 * @param isActive - whether a press counts now (false once the run has ended)
 * @returns a function that disarms the button (e.g. when the run ends by itself)
 */
export function guardWithSecondPress(
  scope: RunScope,
  ctx: Pick<TaskContext, 'mark' | 'announce'>,
  button: HTMLButtonElement,
  options: {
    label: string;
    armedLabel: string;
    announcement: string;
    confirmMs: number;
    isActive: () => boolean;
    onConfirm: () => void;
  },
): () => void {
  let armed: number | null = null;
  const disarm = () => {
    scope.cancel(armed);
    armed = null;
    button.textContent = options.label;
  };
  scope.listen(button, 'click', () => {
    if (!options.isActive()) return;
    if (armed === null) {
      ctx.mark('stop-request');
      button.textContent = options.armedLabel;
      ctx.announce(options.announcement);
      armed = scope.later(() => {
        armed = null;
        button.textContent = options.label;
      }, options.confirmMs);
      return;
    }
    options.onConfirm();
  });
  return disarm;
}
