import {
  computeChange,
  type Baseline,
  type ChangeBasis,
  type ChangeDirection,
  type ChangeMetric,
  type ChangeOptions,
  type ChangeSession,
} from './change.js';
import { alignToCycles, type CyclePhase } from './cycles.js';

/** One session after an injection, judged against its cycle's baseline. */
export interface CycleEffectPoint {
  id: string | null;
  time: number;
  /** Days since the injection. */
  day: number;
  phase: Exclude<CyclePhase, 'pre'>;
  value: number | null;
  /** Change from the cycle's baseline on the analysis scale (log10 ratio for log-scale metrics). */
  change: number | null;
  changePct: number | null;
  changeIsReliable: boolean;
  direction: ChangeDirection;
  /** The session has quality flags and is left out of the summary. */
  excluded: boolean;
}

/** One injection cycle's effect on one metric (measures.md 10.2). */
export interface CycleEffects {
  index: number;
  injectionTime: number;
  nextInjectionTime: number | null;
  /** The cycle's baseline: its `pre` sessions (day −14 up to the injection) on the setup of the first session after it. */
  baseline: Baseline | null;
  basis: ChangeBasis;
  sdc95: number | null;
  points: CycleEffectPoint[];
  /**
   * The most favourable change after the injection (lowest for `higher-worse` metrics, highest for
   * `lower-worse`), among unflagged sessions; null for a metric without a direction or without sessions.
   */
  best: { id: string | null; day: number; change: number; changeIsReliable: boolean } | null;
  /** Days from the injection to the best session. */
  timeToBestDays: number | null;
  /**
   * Days from the injection until the metric is back within the reliable-change band of the baseline:
   * the first unflagged session after a reliable best whose change is within ±SDC95. Null when the best is
   * not a reliable change or the metric has not come back yet.
   */
  durationDays: number | null;
}

/**
 * Effects of each botulinum-toxin cycle on one metric (measures.md 10.2 with Correction 18): the baseline
 * of each cycle is its `pre` sessions (day −14 up to the injection, exclusive) on the same setup, and each
 * later session of the cycle (onset, peak, waning) is judged against it with {@link computeChange}; then
 * time-to-best, best effect and duration.
 * @param definition - the metric
 * @param sessions - the person's sessions of this metric and hand, any order
 * @param injections - injection times, ms since the epoch
 * @param options - the flag rule (as in {@link computeChange})
 */
export function cycleEffects(
  definition: ChangeMetric,
  sessions: readonly ChangeSession[],
  injections: readonly number[],
  options: Pick<ChangeOptions, 'excludes'> = {},
): CycleEffects[] {
  return alignToCycles(sessions, injections).map((cycle) => {
    const points: CycleEffectPoint[] = [];
    let baseline: Baseline | null = null;
    let basis: ChangeBasis = 'insufficient';
    let sdc95: number | null = null;
    for (const { session, day, phase } of cycle.points) {
      if (phase === 'pre') continue;
      const result = computeChange(definition, sessions, {
        ...options,
        injections,
        current: {
          value: session.value,
          time: session.time,
          setupKey: session.setupKey,
          flags: session.flags,
          ...(session.id === undefined ? {} : { id: session.id }),
        },
      });
      if (!baseline) ({ baseline, basis, sdc95 } = result);
      points.push({
        id: session.id ?? null,
        time: session.time,
        day,
        phase,
        value: session.value,
        change: result.change,
        changePct: result.changePct,
        changeIsReliable: result.changeIsReliable,
        direction: result.direction,
        excluded: result.current?.excluded ?? false,
      });
    }

    let best: CycleEffects['best'] = null;
    if (definition.direction !== 'neutral') {
      const sign = definition.direction === 'higher-worse' ? -1 : 1;
      for (const point of points) {
        if (point.excluded || point.change === null) continue;
        if (!best || sign * point.change > sign * best.change)
          best = {
            id: point.id,
            day: point.day,
            change: point.change,
            changeIsReliable: point.changeIsReliable,
          };
      }
    }
    let durationDays: number | null = null;
    const reliableBest = best?.changeIsReliable ? best : null;
    const limit = sdc95;
    if (reliableBest && limit !== null) {
      const back = points.find(
        (p) => p.day > reliableBest.day && !p.excluded && p.change !== null && Math.abs(p.change) <= limit,
      );
      durationDays = back ? back.day : null;
    }
    return {
      index: cycle.index,
      injectionTime: cycle.injectionTime,
      nextInjectionTime: cycle.nextInjectionTime,
      baseline,
      basis,
      sdc95,
      points,
      best,
      timeToBestDays: best ? best.day : null,
      durationDays,
    };
  });
}
