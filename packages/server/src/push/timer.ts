/** A running reminder timer. */
export interface ReminderTimer {
  /** Stops the timer and waits for a run in progress to finish. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Calls `run` every `intervalMs`, never two runs at once (a tick that finds the previous run still going
 * is skipped). A failed run is reported to `onError` and the timer keeps going. The timer does not keep
 * the process alive on its own.
 * @param run - the work of one tick
 * @param intervalMs - time between ticks, > 0
 * @param onError - where a failed run is reported
 */
export function startReminderTimer(
  run: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
): ReminderTimer {
  if (!(intervalMs > 0)) throw new RangeError(`reminder interval must be positive, got ${intervalMs}`);
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = run()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
