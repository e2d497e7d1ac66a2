import type { StreamBuilder } from '../columns';

export interface VisibilityTracker {
  /** Times the page became hidden. */
  readonly hiddenCount: number;
  /** Total hidden time up to `nowMs` (an ongoing hidden period counts up to `nowMs`). */
  hiddenMs(nowMs: number): number;
  /** Removes the listeners. */
  stop(): void;
}

export interface VisibilityTrackerOptions {
  document?: Document;
  window?: Window;
  /** Called when the page becomes hidden or is being unloaded: the moment to checkpoint. */
  onHide?: () => void;
  /** Current time on the performance clock, for a page that is already hidden at the start. */
  nowMs?: number;
}

/**
 * Tracks `visibilitychange` (and window `blur`/`focus`, which end key presses) into the `visibility`
 * stream, with each event's `timeStamp`; `state` is `document.visibilityState` after the change, or
 * `blur`/`focus`. Counts hidden periods and their length for core's `timing.hiddenCount`/`hiddenMs`.
 */
export function trackVisibility(
  stream: StreamBuilder,
  options: VisibilityTrackerOptions = {},
): VisibilityTracker {
  const doc = options.document ?? document;
  const win = options.window ?? window;
  const time = stream.f64('timeStampMs');
  const state = stream.str('state');
  let hiddenCount = 0;
  let hiddenTotal = 0;
  let hiddenSince: number | null = doc.visibilityState === 'hidden' ? (options.nowMs ?? 0) : null;
  if (hiddenSince !== null) hiddenCount = 1;

  const append = (timeStampMs: number, value: string) => {
    if (!stream.hasRoom()) return;
    time.push(timeStampMs);
    state.push(value);
    stream.endRow();
  };
  const onVisibility = (event: Event) => {
    const value = doc.visibilityState;
    append(event.timeStamp, value);
    if (value === 'hidden' && hiddenSince === null) {
      hiddenSince = event.timeStamp;
      hiddenCount++;
      options.onHide?.();
    } else if (value !== 'hidden' && hiddenSince !== null) {
      hiddenTotal += Math.max(0, event.timeStamp - hiddenSince);
      hiddenSince = null;
    }
  };
  const onFocus = (event: Event) => append(event.timeStamp, event.type);
  const onPageHide = () => options.onHide?.();

  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('blur', onFocus);
  win.addEventListener('focus', onFocus);
  win.addEventListener('pagehide', onPageHide);
  return {
    get hiddenCount() {
      return hiddenCount;
    },
    hiddenMs: (nowMs) => hiddenTotal + (hiddenSince === null ? 0 : Math.max(0, nowMs - hiddenSince)),
    stop() {
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('blur', onFocus);
      win.removeEventListener('focus', onFocus);
      win.removeEventListener('pagehide', onPageHide);
    },
  };
}
