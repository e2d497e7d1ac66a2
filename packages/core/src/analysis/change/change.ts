import type { TaskId } from '../../recording/tasks.js';
import { mean, sampleSd } from '../dsp/stats.js';
import type { MetricDefinition } from '../metric.js';
import { DAY_MS, injectionBefore } from './cycles.js';
import { publishedMdc, type PublishedMdc } from './published-mdc.js';
import { sdcMultiplier } from './rci.js';
import { studentTQuantile } from './student-t.js';
import { excludesFromTrend } from './trend-flags.js';
import { changeWording, type ChangeWording } from './wording.js';

/** One session's value of one metric, as the change statistics read it. */
export interface ChangeSession {
  /** When the session was recorded, ms since the Unix epoch. */
  time: number;
  /** The metric's value; null when it could not be computed. */
  value: number | null;
  /** The session's quality flags (analysis and capture). */
  flags: readonly string[];
  /** The measurement setup (device and browser, see `recordingSetupKey`); a change starts a new baseline segment. */
  setupKey: string;
  /** An identifier carried into the result (e.g. the recording id). */
  id?: string;
}

/** The session being judged, when it is not the latest of the series. */
export interface CurrentSession {
  value: number | null;
  /** Default: after every session of the series. */
  time?: number;
  /** Default: the setup of the latest session before it. */
  setupKey?: string;
  flags?: readonly string[];
  id?: string;
}

/** What the change statistics need to know about the metric. */
export type ChangeMetric = Pick<MetricDefinition, 'id' | 'task' | 'unit' | 'direction' | 'logScale'>;

/** Options of {@link computeChange}. */
export interface ChangeOptions {
  /**
   * The session to judge, or just its value; default: the latest session of the series, judged against
   * the sessions before it.
   */
  current?: CurrentSession | number | null;
  /**
   * Botulinum-toxin injection times (ms since the epoch). A session after an injection is judged against
   * that cycle's `pre` sessions (day −14 up to the injection, exclusive; measures.md 10.2).
   */
  injections?: readonly number[];
  /**
   * Without an injection before the current session, the baseline is the first usable sessions of its
   * setup segment, at most this many (default 5).
   */
  maxBaselineSessions?: number;
  /** Whether a flag leaves a session out (default {@link excludesFromTrend}). */
  excludes?: (flag: string, task: TaskId) => boolean;
  /**
   * Which earlier sessions count as the same setup: `setup` (default) every session with the current
   * session's `setupKey`, so that a person who goes back to a keyboard they used before finds its
   * baseline again; `contiguous` only the unbroken run of such sessions that ends at the current one.
   */
  segmentation?: 'setup' | 'contiguous';
}

/** Where the limit of a reliable change comes from. */
export type ChangeBasis = 'personal' | 'published' | 'insufficient';

/**
 * How the current value compares with the baseline: `better` or `worse` in the metric's direction,
 * `changed` for a reliable change of a metric with no better or worse direction, `no reliable change`
 * otherwise (also whenever the basis is insufficient or the current session cannot be judged).
 */
export type ChangeDirection = 'better' | 'worse' | 'no reliable change' | 'changed';

/** Sessions needed for a personal baseline (measures.md 1 item 4, 10.3 item 1). */
export const MIN_BASELINE_SESSIONS = 3;

/** The baseline a session is judged against. */
export interface Baseline {
  /** Mean of the baseline sessions on the analysis scale (of log10 values for log-scale metrics); null without sessions. */
  mean: number | null;
  /** The same in the metric's unit: the geometric mean for log-scale metrics. */
  value: number | null;
  /** Sessions in the baseline. */
  n: number;
  /** Within-person SD S_w on the analysis scale (n − 1); null below 2 sessions. */
  withinSd: number | null;
  /** The sessions used: their ids where given, else their times as ISO strings. */
  sessions: string[];
  /** Which sessions could serve: the first of the setup segment, or the pre phase of the current cycle. */
  source: 'segment-start' | 'injection-pre';
  /** The injection whose pre phase is the baseline (source `injection-pre`). */
  injectionTime: number | null;
  /** Time of the first session of the current setup (its segment) before the current session; null when there is none. */
  segmentStart: number | null;
  /** Candidate sessions left out for a quality flag. */
  excludedFlagged: number;
  /** Candidate sessions left out because the value is missing (or ≤ 0 for a log-scale metric). */
  excludedMissing: number;
  /** Earlier sessions left out because they were made on another setup. */
  excludedOtherSetup: number;
}

/** The change statistics of one metric for one person. */
export interface ChangeResult {
  metricId: string;
  task: TaskId;
  /** The scale of `baseline.mean`, `sdc95` and `change`: log10 units for log-scale metrics, the metric's unit otherwise. */
  scale: 'log10' | 'linear';
  basis: ChangeBasis;
  baseline: Baseline;
  /**
   * The smallest change called reliable, on the analysis scale: the personal SDC95 = t(0.975, n − 1)·√(1 + 1/n)·S_w,
   * or the published MDC; null when the basis is insufficient.
   */
  sdc95: number | null;
  /** baseline ± SDC95 back in the metric's unit (geometric for log-scale metrics). */
  band: { low: number; high: number } | null;
  /** The session judged. */
  current: { value: number | null; time: number | null; id: string | null; excluded: boolean } | null;
  /** current − baseline on the analysis scale (log10 ratio for log-scale metrics); null when either is missing. */
  change: number | null;
  /** The change in percent of the baseline value (for log-scale metrics 100·(10^change − 1)); null when undefined. */
  changePct: number | null;
  /** |change| > SDC95 with a personal or published basis and a current session that is not flagged. */
  changeIsReliable: boolean;
  direction: ChangeDirection;
  /**
   * Reliable change index: the change over its standard error, S_w·√(1 + 1/n) (personal) or MDC/1.96
   * (published, Jacobson & Truax 1991); compare |rci| with `rciCritical`. Null when undefined.
   */
  rci: number | null;
  /** t(0.975, n − 1) for a personal basis, 1.96 for a published one. */
  rciCritical: number | null;
  /** The published MDC of this metric, or why there is none. */
  published: PublishedMdc;
  wording: ChangeWording;
}

interface Prepared {
  time: number;
  value: number | null;
  flags: readonly string[];
  setupKey: string;
  id: string | null;
}

/** The value on the analysis scale, or null when unusable (missing, not finite, ≤ 0 on a log scale). */
function toScale(value: number | null, logScale: boolean): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (!logScale) return value;
  return value > 0 ? Math.log10(value) : null;
}

function fromScale(value: number, logScale: boolean): number {
  return logScale ? 10 ** value : value;
}

/**
 * Change statistics of one metric for one person (measures.md 10.2, 10.3 with Corrections 2, 3, 18; 1
 * items 3–5, 7): is the current session's value a reliable change from the person's baseline?
 *
 * - Scale: log-scale metrics (`definition.logScale`) are compared as log10 values; the baseline is the
 *   mean of the logs (the geometric mean), the change a log10 ratio.
 * - Baseline: only sessions made on the current session's setup (same `setupKey`: measures.md 1 item 3,
 *   a change of device or browser starts a new baseline segment), before the current session; with
 *   `segmentation: 'contiguous'` only the unbroken run of them that ends at the current session. After an injection, the `pre` sessions of that cycle (day −14 up to the injection,
 *   exclusive); otherwise the first `maxBaselineSessions` usable sessions of the segment. Flagged sessions
 *   and missing values are left out and counted.
 * - Limit: with ≥ 3 baseline sessions the personal SDC95 = t(0.975, n − 1)·√(1 + 1/n)·S_w; with 1–2 the
 *   published MDC where one exists ({@link publishedMdc}); otherwise the basis is `insufficient` and no
 *   change is called reliable.
 * - A reliable change needs |change| > SDC95 (strictly) and an unflagged current session.
 * @param definition - the metric (ID, task, unit, direction, log scale)
 * @param sessions - the person's sessions of this metric (and hand), any order
 * @param options - the current session, injections, baseline size, flag rule
 * @example
 * computeChange(definition, sessions).direction // 'no reliable change'
 */
export function computeChange(
  definition: ChangeMetric,
  sessions: readonly ChangeSession[],
  options: ChangeOptions = {},
): ChangeResult {
  const { logScale } = definition;
  const excludes = options.excludes ?? excludesFromTrend;
  const maxBaseline = options.maxBaselineSessions ?? 5;
  const ordered: Prepared[] = sessions
    .map((s) => ({ time: s.time, value: s.value, flags: s.flags, setupKey: s.setupKey, id: s.id ?? null }))
    .sort((a, b) => a.time - b.time);

  // the session judged, and the sessions before it
  let current: Prepared | null;
  let before: Prepared[];
  const given = options.current;
  if (given === undefined) {
    current = ordered.at(-1) ?? null;
    before = ordered.slice(0, -1);
  } else {
    const spec: CurrentSession = typeof given === 'number' || given === null ? { value: given } : given;
    const time = spec.time ?? Infinity;
    before = ordered.filter((s) => s.time < time);
    current = {
      time,
      value: spec.value,
      flags: spec.flags ?? [],
      setupKey: spec.setupKey ?? before.at(-1)?.setupKey ?? '',
      id: spec.id ?? null,
    };
  }

  // the setup segment: the earlier sessions of the current setup (or only the run that ends at the current one)
  let segment: Prepared[];
  if (options.segmentation === 'contiguous') {
    let from = before.length;
    while (from > 0 && before[from - 1]!.setupKey === current?.setupKey) from--;
    segment = before.slice(from);
  } else {
    segment = before.filter((s) => s.setupKey === current?.setupKey);
  }
  const excludedOtherSetup = before.length - segment.length;

  // the candidates: the current cycle's pre phase, or the segment's first sessions
  const injection =
    current && options.injections?.length ? injectionBefore(current.time, options.injections) : null;
  const candidates =
    injection !== null
      ? segment.filter((s) => s.time >= injection - 14 * DAY_MS && s.time < injection)
      : segment;
  let excludedFlagged = 0;
  let excludedMissing = 0;
  const used: { session: Prepared; scaled: number }[] = [];
  for (const session of candidates) {
    if (injection === null && used.length >= maxBaseline) break;
    if (session.flags.some((flag) => excludes(flag, definition.task))) {
      excludedFlagged++;
      continue;
    }
    const scaled = toScale(session.value, logScale);
    if (scaled === null) {
      excludedMissing++;
      continue;
    }
    used.push({ session, scaled });
  }

  const n = used.length;
  const values = used.map((u) => u.scaled);
  const baselineMean = n > 0 ? mean(values) : null;
  const withinSd = n >= 2 ? sampleSd(values) : null;
  const published = publishedMdc(definition.task, definition.id);
  const publishedThreshold = logScale ? published.log10Threshold : null;

  let basis: ChangeBasis;
  let limit: number | null;
  let rciScale: number | null;
  let rciCritical: number | null;
  if (n >= MIN_BASELINE_SESSIONS && withinSd !== null) {
    basis = 'personal';
    limit = sdcMultiplier(n) * withinSd;
    rciScale = withinSd * Math.sqrt(1 + 1 / n);
    rciCritical = studentTQuantile(0.975, n - 1);
  } else if (n >= 1 && publishedThreshold !== null) {
    basis = 'published';
    limit = publishedThreshold;
    // the MDC95 is 1.96 standard errors of a difference (Jacobson & Truax 1991)
    rciScale = publishedThreshold / 1.96;
    rciCritical = 1.96;
  } else {
    basis = 'insufficient';
    limit = null;
    rciScale = null;
    rciCritical = null;
  }

  const currentScaled = current ? toScale(current.value, logScale) : null;
  const currentExcluded = current ? current.flags.some((flag) => excludes(flag, definition.task)) : false;
  const change = currentScaled !== null && baselineMean !== null ? currentScaled - baselineMean : null;
  const baselineValue = baselineMean === null ? null : fromScale(baselineMean, logScale);
  let changePct: number | null = null;
  if (change !== null) {
    if (logScale) changePct = 100 * (10 ** change - 1);
    else if (baselineValue !== null && baselineValue !== 0)
      changePct = (100 * change) / Math.abs(baselineValue);
  }
  const changeIsReliable = change !== null && limit !== null && !currentExcluded && Math.abs(change) > limit;
  let direction: ChangeDirection = 'no reliable change';
  if (changeIsReliable) {
    if (definition.direction === 'neutral') direction = 'changed';
    else direction = change > 0 === (definition.direction === 'higher-worse') ? 'worse' : 'better';
  }
  const rci = change !== null && rciScale !== null && rciScale > 0 ? change / rciScale : null;

  const baseline: Baseline = {
    mean: baselineMean,
    value: baselineValue,
    n,
    withinSd,
    sessions: used.map(({ session }) => session.id ?? new Date(session.time).toISOString()),
    source: injection !== null ? 'injection-pre' : 'segment-start',
    injectionTime: injection,
    segmentStart: segment[0]?.time ?? null,
    excludedFlagged,
    excludedMissing,
    excludedOtherSetup,
  };
  const band =
    baselineMean !== null && limit !== null
      ? { low: fromScale(baselineMean - limit, logScale), high: fromScale(baselineMean + limit, logScale) }
      : null;
  const result: Omit<ChangeResult, 'wording'> = {
    metricId: definition.id,
    task: definition.task,
    scale: logScale ? 'log10' : 'linear',
    basis,
    baseline,
    sdc95: limit,
    band,
    current: current
      ? {
          value: current.value,
          time: Number.isFinite(current.time) ? current.time : null,
          id: current.id,
          excluded: currentExcluded,
        }
      : null,
    change,
    changePct,
    changeIsReliable,
    direction,
    rci,
    rciCritical,
    published,
  };
  return { ...result, wording: changeWording(definition, result) };
}
