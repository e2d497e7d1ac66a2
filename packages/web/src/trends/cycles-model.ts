import {
  alignToCycles,
  cycleEffects,
  MUSCLES,
  TOXIN_PRODUCT_LABELS,
  type ChangeMetric,
  type CycleEffectPoint,
  type CycleEffects,
  type CyclePhase,
  type TreatmentInput,
} from '@dystrack/core';
import type { SeriesPoint } from '../api/types.js';

/*
 * The pure computations of the injection-cycles page (measures.md 10.2 with Correction 18): the
 * botulinum-toxin injections from the treatment log, each metric session placed on its cycle's day
 * axis (day 0 = the injection day), core's cycle effects, and what they say in plain words, never more
 * than the interval supports.
 */

const DAY_MS = 86_400_000;

/** The phases in order, with the words the page uses for them. */
export const PHASES: readonly CyclePhase[] = ['pre', 'onset', 'peak', 'waning'];

export const PHASE_WORDS: Readonly<Record<CyclePhase, string>> = {
  pre: 'before (14 days before the injection)',
  onset: 'onset (days 0–14)',
  peak: 'peak (days 15–56)',
  waning: 'wearing off (day 57 on)',
};

/** Short phase names, for the chart and the table. */
export const PHASE_SHORT: Readonly<Record<CyclePhase, string>> = {
  pre: 'Before',
  onset: 'Onset',
  peak: 'Peak',
  waning: 'Wearing off',
};

/** The days each phase covers on the chart (the pre phase from day −14; waning open-ended). */
export const PHASE_DAYS: Readonly<Record<CyclePhase, { from: number; to: number }>> = {
  pre: { from: -14, to: 0 },
  onset: { from: 0, to: 15 },
  peak: { from: 15, to: 57 },
  waning: { from: 57, to: Infinity },
};

/** One injection day from the treatment log (entries of the same day are merged). */
export interface ToxinInjection {
  /** The treatment entries of that day. */
  ids: string[];
  /** `YYYY-MM-DD`. */
  date: string;
  /** Start of the injection day in local time, ms: day 0 begins here, so sessions on that day count as after it. */
  time: number;
  /** The product(s), as the clinic letter names them. */
  products: string[];
  /** Units per product (units of different products cannot be compared or added). */
  doses: { product: string; units: number }[];
  /** Each muscle row: muscle, side and units. */
  muscles: { muscle: string; side: 'left' | 'right'; units: number }[];
}

type ToxinData = Extract<TreatmentInput, { type: 'botulinum-toxin' }>;

function productName(data: ToxinData): string {
  return data.product === 'other' && data.otherText ? data.otherText : TOXIN_PRODUCT_LABELS[data.product];
}

/** Local midnight of a `YYYY-MM-DD` date, ms; NaN when it is not a date. */
export function localDayStart(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
}

/**
 * The botulinum-toxin injections in the treatment log, oldest first, one per day.
 * @param entries - treatment entries (any type; the others are ignored)
 */
export function toxinInjections(entries: readonly { id: string; data: TreatmentInput }[]): ToxinInjection[] {
  const byDate = new Map<string, ToxinInjection>();
  for (const entry of entries) {
    if (entry.data.type !== 'botulinum-toxin') continue;
    const data = entry.data;
    const time = localDayStart(data.date);
    if (!Number.isFinite(time)) continue;
    let day = byDate.get(data.date);
    if (!day) {
      day = { ids: [], date: data.date, time, products: [], doses: [], muscles: [] };
      byDate.set(data.date, day);
    }
    const product = productName(data);
    day.ids.push(entry.id);
    if (!day.products.includes(product)) day.products.push(product);
    const units = data.injections.reduce((sum, row) => sum + row.units, 0);
    const dose = day.doses.find((d) => d.product === product);
    if (dose) dose.units += units;
    else day.doses.push({ product, units });
    for (const row of data.injections)
      day.muscles.push({
        muscle: row.muscle === 'other' && row.otherText ? row.otherText : MUSCLES[row.muscle].label,
        side: row.side,
        units: row.units,
      });
  }
  return [...byDate.values()].sort((a, b) => a.time - b.time);
}

/** One session on its cycle's day axis. */
export interface CyclePlotPoint {
  /** The cycle's index (0 = oldest injection). */
  cycle: number;
  id: string;
  time: number;
  /** Days since the start of the injection day (negative before it). */
  day: number;
  phase: CyclePhase;
  value: number;
  /** Left out of the statistics for a quality note (still drawn). */
  excluded: boolean;
}

/** Sessions of one phase: used in the statistics, and left out for quality notes. */
export interface PhaseCount {
  used: number;
  flagged: number;
}

/** One injection cycle of one metric and hand. */
export interface CycleView {
  index: number;
  injection: ToxinInjection;
  nextInjection: ToxinInjection | null;
  /** Core's effects of this cycle (measures.md 10.2). */
  effects: CycleEffects;
  /** Sessions with a usable value per phase. */
  counts: Record<CyclePhase, PhaseCount>;
  /** Sessions with a usable value, oldest first (those before day 0 included). */
  points: CyclePlotPoint[];
  /** At least one session before the injection and one after it. */
  hasAround: boolean;
}

/** Whether a value can be used on the metric's scale. */
function usable(value: number | null, logScale: boolean): value is number {
  return value !== null && Number.isFinite(value) && (!logScale || value > 0);
}

/**
 * Every injection's cycle of one metric and hand: the sessions on its day axis, counted per phase, and
 * core's cycle effects (each session after the injection against the cycle's pre sessions).
 * @param metric - the metric (direction, log scale)
 * @param series - the metric's sessions of one hand (series route), any order
 * @param injections - {@link toxinInjections}
 */
export function cycleViews(
  metric: ChangeMetric,
  series: readonly SeriesPoint[],
  injections: readonly ToxinInjection[],
): CycleView[] {
  const sessions = series.map((p) => ({
    id: p.recordingId,
    time: Date.parse(p.startedAt),
    value: p.value,
    flags: p.flags,
    setupKey: p.setupKey,
    excluded: p.excluded,
  }));
  const times = injections.map((i) => i.time);
  const effects = cycleEffects(metric, sessions, times);
  return alignToCycles(sessions, times).map((cycle, index) => {
    const counts = Object.fromEntries(PHASES.map((phase) => [phase, { used: 0, flagged: 0 }])) as Record<
      CyclePhase,
      PhaseCount
    >;
    const points: CyclePlotPoint[] = [];
    for (const { session, day, phase } of cycle.points) {
      if (!usable(session.value, metric.logScale)) continue;
      counts[phase][session.excluded ? 'flagged' : 'used']++;
      points.push({
        cycle: index,
        id: session.id,
        time: session.time,
        day,
        phase,
        value: session.value,
        excluded: session.excluded,
      });
    }
    const before = counts.pre.used + counts.pre.flagged;
    const after = points.length - before;
    return {
      index,
      injection: injections[index]!,
      nextInjection: injections[index + 1] ?? null,
      effects: effects[index]!,
      counts,
      points,
      hasAround: before > 0 && after > 0,
    };
  });
}

/** The last day with a session over all cycles (at least 0). */
export function longestDay(views: readonly CycleView[]): number {
  return Math.max(0, ...views.flatMap((v) => v.points.map((p) => p.day)));
}

/** How a change on the analysis scale is put in words: `35 % lower`, `12 ms higher`, `no different`. */
export interface ChangeFormat {
  logScale: boolean;
  /** The cycle's before-level in the metric's unit (for percentages of linear metrics). */
  formatValue: (value: number) => string;
}

/** A change on the analysis scale in words (log10 ratio as a percentage; linear in the unit). */
export function changeWords(change: number, format: ChangeFormat): string {
  if (format.logScale) {
    const pct = 100 * (10 ** change - 1);
    const rounded = Number(Math.abs(pct).toPrecision(2));
    if (rounded === 0) return 'no different';
    return `${rounded} % ${pct < 0 ? 'lower' : 'higher'}`;
  }
  const size = Math.abs(change);
  if (Number(size.toPrecision(3)) === 0) return 'no different';
  return `${format.formatValue(size)} ${change < 0 ? 'lower' : 'higher'}`;
}

/** The 95 % range of a change, change ± SDC95, in words: `from 47 % lower to 20 % lower`. */
export function rangeWords(change: number, limit: number, format: ChangeFormat): string {
  return `from ${changeWords(change - limit, format)} to ${changeWords(change + limit, format)}`;
}

/** What one cycle shows, in plain words; each statement says how many sessions it rests on. */
export interface CycleStatements {
  /** The before-level (the cycle's baseline) and what counts as day-to-day variation. */
  before: string;
  /** The best session after the injection, its 95 % range, and whether that range supports an effect. */
  best: string;
  /** The first reliable improvement. */
  onset: string;
  /** When values came back within day-to-day variation of the before-level. */
  wearingOff: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const dayWords = (day: number) => `day ${wholeDay(day)}`;

/** A sessions-after count in words, with those left out. */
function afterWords(view: CycleView): string {
  const used = view.counts.onset.used + view.counts.peak.used + view.counts.waning.used;
  return plural(used, 'session');
}

const NOT_ENOUGH = 'Not enough sessions to say';

/**
 * The cycle's effects in words (measures.md 10.2, 10.3): the before-level, the best session after the
 * injection with its 95 % range (change ± SDC95: a session is called reliably different only when the
 * whole range lies on one side of no change), the first reliable improvement and when values came back
 * within day-to-day variation. Where the sessions do not support a statement it says so.
 * @param view - one cycle
 * @param metric - its direction and scale
 * @param formatValue - a value with its unit
 * @param date - a time as a date in words
 */
export function cycleStatements(
  view: CycleView,
  metric: Pick<ChangeMetric, 'direction' | 'logScale'>,
  formatValue: (value: number) => string,
  date: (time: number) => string,
): CycleStatements {
  const { effects, counts } = view;
  const format: ChangeFormat = { logScale: metric.logScale, formatValue };
  const base = effects.baseline;
  const n = base?.n ?? 0;
  const preFlagged = counts.pre.flagged;
  const flaggedWords = preFlagged
    ? ` (${plural(preFlagged, 'more was', 'more were')} left out for quality notes)`
    : '';
  const kept = effects.points.filter((p) => !p.excluded && p.change !== null);
  const afterCount = afterWords(view);

  let before: string;
  if (base?.value == null || n === 0)
    before = `${NOT_ENOUGH} what your level was before this injection: there is no session without quality notes in the 14 days before it${flaggedWords}.`;
  else {
    const mean = metric.logScale ? 'typical value (geometric mean)' : 'average';
    before = `Before the injection: ${formatValue(base.value)}, the ${mean} of ${plural(n, 'session')} in the 14 days before it${flaggedWords}.`;
    if (effects.basis === 'personal' && effects.sdc95 !== null && base.mean !== null) {
      const back = (x: number) => (metric.logScale ? 10 ** x : x);
      before += ` From these, values from ${formatValue(back(base.mean - effects.sdc95))} to ${formatValue(back(base.mean + effects.sdc95))} are within your day-to-day variation.`;
    } else if (effects.basis === 'published')
      before += ` With fewer than 3 sessions, your own day-to-day variation is not known; a published figure for this measure is used instead, which is less certain for you.`;
  }

  const insufficient =
    effects.basis === 'insufficient' || effects.sdc95 === null
      ? `${NOT_ENOUGH}: comparing needs at least 3 sessions without quality notes in the 14 days before the injection, and this cycle has ${n}.`
      : null;

  if (metric.direction === 'neutral') {
    const changed = kept.filter((p) => p.changeIsReliable).length;
    const none = 'This measure has no better or worse direction, so no onset or wearing off is given.';
    return {
      before,
      best:
        insufficient ??
        (kept.length
          ? `${plural(changed, 'session')} of ${kept.length} after the injection ${changed === 1 ? 'was' : 'were'} reliably different from the level before it. ${none}`
          : `${NOT_ENOUGH}: there is no session after the injection yet.`),
      onset: none,
      wearingOff: none,
    };
  }

  if (insufficient) return { before, best: insufficient, onset: insufficient, wearingOff: insufficient };
  const limit = effects.sdc95!;
  if (kept.length === 0 || !effects.best) {
    const none = `${NOT_ENOUGH}: there is no session without quality notes after this injection yet.`;
    return { before, best: none, onset: none, wearingOff: none };
  }

  const bestPoint = kept.find((p) => p.id === effects.best!.id && p.day === effects.best!.day)!;
  const rests = `This rests on ${plural(n, 'session')} before and ${afterCount} after the injection.`;
  const picked =
    kept.length > 1
      ? ` It is the best of ${kept.length} sessions, and the best of several tends to look a little better than the true effect.`
      : '';
  let verdict: string;
  if (bestPoint.direction === 'better')
    verdict =
      'The whole range is on the better side of no change: a reliable improvement compared with before the injection.';
  else if (bestPoint.direction === 'worse')
    verdict = 'Even the best session was reliably worse than before the injection.';
  else
    verdict =
      'The range includes no change, so this does not show an effect: it is within your day-to-day variation.';
  const best =
    `Best session: ${dayWords(bestPoint.day)} (${date(bestPoint.time)}, ${PHASE_SHORT[bestPoint.phase].toLowerCase()}), ` +
    `${changeWords(bestPoint.change!, format)} than before the injection (95 % range ${rangeWords(bestPoint.change!, limit, format)}). ` +
    `${verdict}${picked} ${rests}`;

  const firstBetter = kept.find((p) => p.direction === 'better');
  let onset: string;
  if (!firstBetter)
    onset = `No reliable improvement after this injection in ${plural(kept.length, 'session')}: no onset to give.`;
  else {
    const earlier = kept.filter((p) => p.day < firstBetter.day).at(-1);
    onset =
      `First reliable improvement: ${dayWords(firstBetter.day)} (${date(firstBetter.time)}). ` +
      (earlier
        ? `The session before it, on ${dayWords(earlier.day)}, did not show one, so the onset lies between these days.`
        : `There was no earlier session after the injection, so it may have begun sooner.`);
  }

  let wearingOff: string;
  if (!firstBetter) wearingOff = 'Not given: no reliable improvement was measured in this cycle.';
  else if (effects.durationDays !== null) {
    const back = effects.durationDays;
    const still = kept.filter((p) => p.day < back && p.direction === 'better').at(-1);
    wearingOff =
      `Back within your day-to-day variation of the level before the injection by ${dayWords(back)}` +
      (still ? `; on ${dayWords(still.day)} it was still reliably better.` : '.');
  } else {
    const after = kept.filter((p) => p.day > bestPoint.day);
    const last = kept.at(-1)!;
    const end = view.nextInjection ? ` before the next injection on ${date(view.nextInjection.time)}` : '';
    wearingOff = after.length
      ? `Not back to the level before the injection by the last session, ${dayWords(last.day)}${end}: ${last.direction === 'better' ? 'it was still reliably better' : 'it was not yet within day-to-day variation'}.`
      : `${NOT_ENOUGH}: there is no session after the best one (${dayWords(bestPoint.day)})${end}.`;
  }
  return { before, best, onset, wearingOff };
}

/** A cycle's session after the injection, for the table. */
export function effectOf(view: CycleView, point: CyclePlotPoint): CycleEffectPoint | null {
  return view.effects.points.find((p) => p.id === point.id && p.time === point.time) ?? null;
}

/** Whole days since the start of the injection day: day 0 is the injection day. */
export function wholeDay(day: number): number {
  return Math.floor(day + 1e-9);
}

/**
 * What the cycles chart shows, in words (for everyone, and for screen readers in place of the chart).
 * @param input.styleWords - how a cycle's line looks, e.g. `solid blue line, circles`
 */
export function cyclesSummary(
  views: readonly CycleView[],
  input: {
    label: string;
    hand: string;
    logScale: boolean;
    date: (time: number) => string;
    styleWords: (index: number) => string;
  },
): string {
  const shown = views.filter((v) => v.points.length > 0);
  const parts = [
    `${input.label}, ${input.hand}, around ${plural(shown.length, 'injection')}: each session is placed by the days since its injection (day 0 is the injection day), from 14 days before it to the longest cycle's last session. ` +
      'The shading marks the phases: before, onset (days 0–14), peak (days 15–56) and wearing off (day 57 on).',
  ];
  for (const view of shown) {
    const before = view.counts.pre.used + view.counts.pre.flagged;
    const after = view.points.length - before;
    const last = view.points.at(-1)!;
    parts.push(
      `Injection on ${input.date(view.injection.time)} (${input.styleWords(view.index)}): ${plural(before, 'session')} before and ${after} after` +
        (after ? `, up to ${dayWords(last.day)}.` : '.'),
    );
  }
  const flagged = shown.reduce((sum, v) => sum + v.points.filter((p) => p.excluded).length, 0);
  if (flagged)
    parts.push(
      `${plural(flagged, 'session')} with quality notes ${flagged === 1 ? 'is' : 'are'} drawn hollow and not used in the statistics.`,
    );
  if (input.logScale) parts.push('The scale is logarithmic: equal steps are equal percentages.');
  return parts.join(' ');
}

/** Days from the injection to the next one; null for the latest injection. */
export function cycleLengthDays(view: CycleView): number | null {
  return view.nextInjection ? Math.round((view.nextInjection.time - view.injection.time) / DAY_MS) : null;
}
