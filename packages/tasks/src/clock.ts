/**
 * The performance clock and timers a task runs on. `now()` has the time base of `Event.timeStamp`
 * (ms since `performance.timeOrigin`), so task times and event times can be compared.
 * Timers are only for the task's flow (countdown, trial end, display); event times always come from
 * the events themselves.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

/** The browser's clock: `performance.now()` and the window's timers. */
export const browserClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms) as unknown as number,
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
};

/**
 * Waits `ms` on `clock`; rejects with an AbortError as soon as `signal` aborts.
 * @param clock - the clock whose timer to use
 * @param ms - how long to wait
 * @param signal - aborts the wait
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortError(signal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An `AbortError` for an aborted signal: its reason when that is already an AbortError, else a new DOMException. */
export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The run was aborted.', 'AbortError');
}

/**
 * Resolves with `promise`, or rejects with an AbortError as soon as `signal` aborts (whichever comes
 * first; the promise itself is not cancelled).
 */
export function abortable<T>(signal: AbortSignal, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Whether an error is an abort (any error named `AbortError`). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
