import { sessionContext, type ContextEntry } from './session-context.js';
import { TRIGGERS, triggerGroup, type TriggerDefinition } from './triggers.js';
import { welchInterval, type WelchInterval } from './welch-interval.js';

/**
 * Associations between diary triggers and one task metric of one hand.
 *
 * Method [S]:
 * 1. Pairing. Each kept session (a value, not left out for quality notes) takes the diary context that
 *    applies to it (`sessionContext`): per field, the latest value noted from 24 hours before the
 *    session's start to 2 hours after it. Sessions without any noted context are counted, not used.
 * 2. Groups. Each trigger (`TRIGGERS`) splits the sessions where its field was noted into "present"
 *    (e.g. stress 6 of 10 or more, sleep under 6 hours, cold hands) and "absent" (the rest).
 * 3. Minimum data. A trigger is compared only with at least `minPerGroup` (5) sessions in each group;
 *    otherwise it is reported as "not enough data yet" with both counts.
 * 4. Estimate. The difference of the group means, present − absent, with Welch's t interval
 *    (`welchInterval`). Log-scaled metrics (variability and amplitude, measures.md section 1 item 5) are
 *    compared as log10 values, so the result is a ratio of geometric means (10^difference), shown as
 *    a percentage.
 * 5. Correction for the number of triggers. With m triggers compared, each interval is a
 *    1 − α/m interval (Bonferroni on the confidence level, α = 0.05), so that all m intervals together
 *    cover their true values with at least 95 % probability. Only the compared triggers count in m:
 *    a trigger without enough data produces no interval and cannot produce a false finding. The
 *    intervals widen as m grows.
 *
 * Limits, said on the page: sessions of one day share their diary note and are not independent
 * (the intervals are then too narrow); triggers come together (stress and short sleep); an
 * association is not a cause.
 */

/** Family-wise error rate of the intervals, before the correction. */
export const TRIGGER_ALPHA = 0.05;
/** Fewest sessions in each group before a trigger is compared. */
export const TRIGGER_MIN_PER_GROUP = 5;

/** One session's value of the metric. */
export interface TriggerSession {
  /** Start, ms since the Unix epoch. */
  readonly time: number;
  /** The metric's value (in its unit, not log). */
  readonly value: number;
}

export interface TriggerAssociationOptions {
  /** Compare log10 values and report a ratio (the metric's `logScale`). */
  readonly logScale: boolean;
  /** Family-wise α, 0.05 by default. */
  readonly alpha?: number;
  /** Fewest sessions per group, 5 by default. */
  readonly minPerGroup?: number;
}

/** The estimate of a compared trigger. */
export interface TriggerEstimate extends WelchInterval {
  /**
   * Log-scaled metrics: the ratio present/absent of the geometric means and its interval
   * (10^difference, 10^low, 10^high); null for metrics compared on their own scale.
   */
  readonly ratio: { readonly estimate: number; readonly low: number; readonly high: number } | null;
  /** The interval leaves out "no difference" (0, or a ratio of 1). */
  readonly excludesNoDifference: boolean;
}

export interface TriggerAssociation {
  readonly trigger: TriggerDefinition;
  /** Sessions with the trigger present. */
  readonly nPresent: number;
  /** Sessions with the field noted and the trigger absent. */
  readonly nAbsent: number;
  /** The estimate, or null when a group has fewer than `minPerGroup` sessions. */
  readonly estimate: TriggerEstimate | null;
}

export interface TriggerAssociations {
  /** Every trigger, in `TRIGGERS` order. */
  readonly triggers: readonly TriggerAssociation[];
  /** How many triggers were compared (m of the correction). */
  readonly compared: number;
  /** The level of each interval after the correction, 1 − α/m (1 − α when nothing was compared). */
  readonly level: number;
  /** The family-wise level the correction keeps, 1 − α. */
  readonly familyLevel: number;
  readonly minPerGroup: number;
  /** Sessions used (a value, with some diary context noted). */
  readonly pairedSessions: number;
  /** Sessions with a value but no diary note in their window. */
  readonly unpairedSessions: number;
}

/**
 * Compares a metric between sessions with and without each diary trigger (method above).
 * @param sessions - the kept sessions of one metric and hand (values must be > 0 for a log-scaled metric; others are left out)
 * @param entries - the diary entries, any order
 * @param options - the metric's scale, α and the minimum per group
 */
export function triggerAssociations(
  sessions: readonly TriggerSession[],
  entries: readonly ContextEntry[],
  options: TriggerAssociationOptions,
): TriggerAssociations {
  const alpha = options.alpha ?? TRIGGER_ALPHA;
  const minPerGroup = options.minPerGroup ?? TRIGGER_MIN_PER_GROUP;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha}`);
  if (!(Number.isInteger(minPerGroup) && minPerGroup >= 2))
    throw new RangeError(`invalid minPerGroup: ${minPerGroup}`);
  const usable = sessions.filter(
    (s) => Number.isFinite(s.value) && Number.isFinite(s.time) && (!options.logScale || s.value > 0),
  );
  const paired = usable.map((s) => ({
    y: options.logScale ? Math.log10(s.value) : s.value,
    context: sessionContext(s.time, entries),
  }));
  const withContext = paired.filter((p) => Object.keys(p.context).length > 0);
  const groups = TRIGGERS.map((trigger) => {
    const present: number[] = [];
    const absent: number[] = [];
    for (const p of withContext) {
      const group = triggerGroup(trigger, p.context);
      if (group === 'present') present.push(p.y);
      else if (group === 'absent') absent.push(p.y);
    }
    return { trigger, present, absent };
  });
  const enough = (g: { present: number[]; absent: number[] }) =>
    g.present.length >= minPerGroup && g.absent.length >= minPerGroup;
  const compared = groups.filter(enough).length;
  const level = 1 - alpha / Math.max(1, compared);
  const triggers = groups.map((g): TriggerAssociation => {
    const base = { trigger: g.trigger, nPresent: g.present.length, nAbsent: g.absent.length };
    if (!enough(g)) return { ...base, estimate: null };
    const interval = welchInterval(g.present, g.absent, level);
    const ratio = options.logScale
      ? {
          estimate: 10 ** interval.difference,
          low: 10 ** interval.low,
          high: 10 ** interval.high,
        }
      : null;
    return {
      ...base,
      estimate: { ...interval, ratio, excludesNoDifference: interval.low > 0 || interval.high < 0 },
    };
  });
  return {
    triggers,
    compared,
    level,
    familyLevel: 1 - alpha,
    minPerGroup,
    pairedSessions: withContext.length,
    unpairedSessions: usable.length - withContext.length,
  };
}
