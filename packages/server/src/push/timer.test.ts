import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startReminderTimer } from './timer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A run that finishes only when the test says so. */
function controllableRun() {
  const finishers: (() => void)[] = [];
  const run = vi.fn(
    () =>
      new Promise<void>((resolve) => {
        finishers.push(resolve);
      }),
  );
  return { run, finishNext: () => finishers.shift()?.() };
}

describe('startReminderTimer', () => {
  it('runs once per interval, skips a tick while a run is still going, and runs again after it', async () => {
    const { run, finishNext } = controllableRun();
    const timer = startReminderTimer(run, 60_000, () => {});
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(120_000); // two ticks while the first run hangs
    expect(run).toHaveBeenCalledTimes(1);
    finishNext();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(2);
    finishNext();
    await timer.stop();
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    const run = vi.fn(async () => {
      throw new Error('database down');
    });
    const timer = startReminderTimer(run, 1000, (error) => errors.push(error));
    await vi.advanceTimersByTimeAsync(3000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'database down',
      'database down',
      'database down',
    ]);
    await timer.stop();
  });

  it('stop() waits for the run in progress and no run starts after it', async () => {
    const { run, finishNext } = controllableRun();
    const timer = startReminderTimer(run, 1000, () => {});
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = timer.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finishNext();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    await timer.stop(); // idempotent
  });

  it('refuses an interval that is not positive', () => {
    expect(() =>
      startReminderTimer(
        async () => {},
        0,
        () => {},
      ),
    ).toThrow(RangeError);
  });
});
