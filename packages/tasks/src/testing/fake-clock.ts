import type { Clock } from '../clock';

/**
 * A manual clock for tests: time moves only when the test calls {@link FakeClock.advance}, which runs
 * the due timers in order and lets the promises they settle run between them. No test depends on real time.
 * @example
 * const clock = new FakeClock(1000);
 * const done = runTask(plugin, { ..., clock });
 * await clock.advance(3000); // the countdown
 */
export class FakeClock implements Clock {
  private time: number;
  private nextHandle = 1;
  private readonly timers = new Map<number, { at: number; order: number; callback: () => void }>();

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + Math.max(0, ms), order: handle, callback });
    return handle;
  }

  clearTimeout(handle: number): void {
    this.timers.delete(handle);
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, running every timer due on the way at its own time, and flushing
   * promise callbacks after each (and once at the start, so work already queued runs first).
   */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await flush();
    for (;;) {
      let next: [number, { at: number; order: number; callback: () => void }] | undefined;
      for (const entry of this.timers) {
        if (
          entry[1].at <= target &&
          (!next ||
            entry[1].at < next[1].at ||
            (entry[1].at === next[1].at && entry[1].order < next[1].order))
        ) {
          next = entry;
        }
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].callback();
      await flush();
    }
    this.time = target;
    await flush();
  }
}

/** Lets every queued promise callback run: one real macrotask turn (no real waiting in between). */
function flush(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}
