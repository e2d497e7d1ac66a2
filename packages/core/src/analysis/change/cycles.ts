/** One day in ms. */
export const DAY_MS = 86_400_000;

/**
 * Phases of a botulinum-toxin cycle (measures.md 10.2 with Correction 18), day 0 = the injection:
 * - `pre`: from day −14 up to the injection time, exclusive (the trough; the cycle's baseline);
 * - `onset`: from the injection time to the end of day 14;
 * - `peak`: days 15–56;
 * - `waning`: day 57 up to the next injection (exclusive).
 * Days are whole days since the injection time: day k covers [k, k + 1) × 24 h.
 */
export type CyclePhase = 'pre' | 'onset' | 'peak' | 'waning';

/** First day of each phase after the injection. */
const PEAK_FROM_DAY = 15;
const WANING_FROM_DAY = 57;
const PRE_DAYS = 14;

/** A session placed in a cycle. */
export interface CyclePoint<S> {
  session: S;
  /** Days since the injection (fractional; negative in `pre`). */
  day: number;
  phase: CyclePhase;
}

/** One injection cycle with its sessions, in time order. */
export interface InjectionCycle<S> {
  /** 0 for the first injection. */
  index: number;
  injectionTime: number;
  /** The next injection, which ends this cycle's waning phase; null for the last one. */
  nextInjectionTime: number | null;
  points: CyclePoint<S>[];
}

/**
 * The phase of a time in the cycle of one injection, or null when it is outside the cycle (before day
 * −14, or at or after the next injection).
 * @param time - ms since the epoch
 * @param injectionTime - the injection, ms since the epoch
 * @param nextInjectionTime - the next injection, or null
 */
export function cyclePhase(
  time: number,
  injectionTime: number,
  nextInjectionTime: number | null,
): CyclePhase | null {
  const day = (time - injectionTime) / DAY_MS;
  if (time < injectionTime) return day >= -PRE_DAYS ? 'pre' : null;
  if (nextInjectionTime !== null && time >= nextInjectionTime) return null;
  if (day < PEAK_FROM_DAY) return 'onset';
  if (day < WANING_FROM_DAY) return 'peak';
  return 'waning';
}

/**
 * Places sessions in injection cycles (measures.md 10.2, Correction 18). A session in the 14 days before
 * an injection is in that cycle's `pre` phase and, when it comes after an earlier injection, also in the
 * earlier cycle's `waning` (or `peak`/`onset`) phase: it then appears in both cycles.
 * @param sessions - anything with a `time` (ms since the epoch); any order
 * @param injections - injection times (ms since the epoch); any order, repeats ignored
 * @returns one cycle per injection, oldest first, each with its sessions in time order
 */
export function alignToCycles<S extends { time: number }>(
  sessions: readonly S[],
  injections: readonly number[],
): InjectionCycle<S>[] {
  const times = [...new Set(injections)].sort((a, b) => a - b);
  const ordered = [...sessions].sort((a, b) => a.time - b.time);
  return times.map((injectionTime, index) => {
    const nextInjectionTime = times[index + 1] ?? null;
    const points: CyclePoint<S>[] = [];
    for (const session of ordered) {
      const phase = cyclePhase(session.time, injectionTime, nextInjectionTime);
      if (phase) points.push({ session, day: (session.time - injectionTime) / DAY_MS, phase });
    }
    return { index, injectionTime, nextInjectionTime, points };
  });
}

/**
 * The injection whose cycle a time is in after day 0 (the latest injection at or before it), or null
 * when it precedes every injection.
 * @param time - ms since the epoch
 * @param injections - injection times, any order
 */
export function injectionBefore(time: number, injections: readonly number[]): number | null {
  let best: number | null = null;
  for (const injection of injections)
    if (injection <= time && (best === null || injection > best)) best = injection;
  return best;
}
