import {
  MAX_BASELINE_DAYS,
  MAX_EVERY_DAYS,
  activityKind,
  type Activity,
  type BaselineItem,
  type Schedule,
  type ScheduleItem,
} from './model.js';
import {
  addDays,
  dateOfDay,
  dayNumber,
  localDate,
  startOfLocalDay,
  weekdayOf,
  zonedInstant,
  type IsoDate,
} from './zoned.js';

/*
 * What is due: the schedule's items become occurrences (an activity on a local date, at a local time),
 * and each occurrence is matched with what the person did.
 *
 * An occurrence is open from the start of its day until the start of the day of the item's next
 * occurrence (for a baseline session: the next session, and the last one until the injection day). It is
 * done when the activity was done in that window, at any time of the day: a Monday task done on Monday
 * morning before its 18:00 reminder counts, and so does one done on Tuesday when the next one is on
 * Thursday. A completion counts for every item whose window holds it (one recording can serve a weekly
 * task and a baseline session). A missed occurrence is overdue while its window is open, and dropped when
 * the next one begins: nothing piles up.
 */

/** An instant: a Date, ms since the Unix epoch, or an ISO 8601 string with offset. */
export type Instant = Date | number | string;

/** What the person did, for matching with the schedule. Older than {@link DONE_LOOKBACK_DAYS} is not needed. */
export interface DoneRecord {
  /** Recordings by task id, at their start. */
  recordings: readonly { taskId: string; at: Instant }[];
  /** Diary entries, at the time they are about. */
  diary: readonly Instant[];
  /** Questionnaire responses, at completion. */
  questionnaires: readonly { questionnaireId: string; at: Instant }[];
  /** Dates (`YYYY-MM-DD`) of the botulinum-toxin injections in the treatment log, any age and order. */
  injections: readonly IsoDate[];
}

/** Nothing done yet. */
export const NOTHING_DONE: DoneRecord = { recordings: [], diary: [], questionnaires: [], injections: [] };

/**
 * How many days before today the done records must reach: the longest an occurrence can stay open is
 * the longest interval between two occurrences of an item (every {@link MAX_EVERY_DAYS} days, or a
 * baseline window of {@link MAX_BASELINE_DAYS} days), plus a day for time zones.
 */
export const DONE_LOOKBACK_DAYS = Math.max(MAX_EVERY_DAYS, MAX_BASELINE_DAYS, 7) + 2;

/** Where a baseline block's injection date came from. */
export type InjectionSource = 'entered' | 'treatment-log';

/** One planned activity on one local date. */
export interface Occurrence {
  itemId: string;
  itemType: ScheduleItem['type'];
  activity: Activity;
  /** The local date it is planned for. */
  date: IsoDate;
  /** The preferred local time, HH:MM. */
  time: string;
  /** The instant of `date` at `time` in the zone (ISO 8601, UTC). */
  at: string;
  /** The instant the window closes: the start of the day of the item's next occurrence. */
  until: string;
  /** When the activity was done within the window (the first time), or null. */
  doneAt: string | null;
  /** For a baseline session: which of how many, before which injection. */
  baseline: { session: number; sessions: number; injectionDate: IsoDate } | null;
}

/** The injection date a baseline block plans towards. */
export interface PlannedInjection {
  itemId: string;
  /** Null when there is neither a future entered date nor an injection in the log to count from. */
  date: IsoDate | null;
  source: InjectionSource | null;
}

/** What is due, as {@link dueItems} answers. */
export interface DueResult {
  timeZone: string;
  /** The local date of `now` in the zone. */
  date: IsoDate;
  now: string;
  /** Today's occurrences, done or not, by time. */
  today: Occurrence[];
  /** Earlier occurrences not done whose window is still open, oldest first. */
  overdue: Occurrence[];
  /** The next occurrence after today of each item and activity, soonest first. */
  next: Occurrence[];
  /** The injection date each baseline block plans towards. */
  injections: PlannedInjection[];
}

function toMs(instant: Instant): number {
  return instant instanceof Date
    ? instant.getTime()
    : typeof instant === 'number'
      ? instant
      : Date.parse(instant);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** When each activity was done, ascending ms. */
function completionIndex(done: DoneRecord): Map<Activity, number[]> {
  const index = new Map<Activity, number[]>();
  const add = (activity: Activity, at: Instant) => {
    const ms = toMs(at);
    if (!Number.isFinite(ms)) return;
    const list = index.get(activity);
    if (list) list.push(ms);
    else index.set(activity, [ms]);
  };
  for (const recording of done.recordings) add(recording.taskId, recording.at);
  for (const at of done.diary) add('diary', at);
  for (const response of done.questionnaires) add(response.questionnaireId, response.at);
  for (const list of index.values()) list.sort((a, b) => a - b);
  return index;
}

/** The first time in [from, until) of an ascending list, or undefined (binary search). */
function firstIn(times: readonly number[] | undefined, from: number, until: number): number | undefined {
  if (!times) return undefined;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  const found = times[lo];
  return found !== undefined && found < until ? found : undefined;
}

/**
 * The injection a baseline block plans towards, seen on `today`: the entered date while it is today or
 * later and no injection was logged since its window began (an early injection replaces it); otherwise
 * the last logged injection plus the interval (which may already have passed: then no session is due).
 */
export function plannedInjection(
  item: BaselineItem,
  injections: readonly IsoDate[],
  today: IsoDate,
): PlannedInjection {
  const past = injections.filter((date) => date <= today).sort();
  const last = past.at(-1);
  const entered = item.nextInjectionDate;
  if (
    entered !== null &&
    entered >= today &&
    !(last !== undefined && last >= addDays(entered, -item.daysBefore))
  )
    return { itemId: item.id, date: entered, source: 'entered' };
  if (item.intervalDays !== null && last !== undefined)
    return { itemId: item.id, date: addDays(last, item.intervalDays), source: 'treatment-log' };
  return { itemId: item.id, date: null, source: null };
}

/**
 * The session dates of a baseline block: spread evenly over the `daysBefore` days before the injection,
 * the first on the window's first day and the last on the day before the injection (one session: the day
 * before).
 */
export function baselineSessionDates(item: BaselineItem, injectionDate: IsoDate): IsoDate[] {
  const first = addDays(injectionDate, -item.daysBefore);
  const n = item.sessions;
  const span = item.daysBefore - 1;
  const offsets = n === 1 ? [span] : Array.from({ length: n }, (_, k) => Math.round((k * span) / (n - 1)));
  return offsets.map((offset) => addDays(first, offset));
}

/** An item's dates, as the due computation needs them. */
interface Plan {
  item: ScheduleItem;
  activities: readonly Activity[];
  /** The item's dates in [from, to], ascending. */
  datesBetween(from: IsoDate, to: IsoDate): IsoDate[];
  /** The first date after `date`, or null. */
  nextAfter(date: IsoDate): IsoDate | null;
  /** The date whose start closes the window of the occurrence on `date`. */
  closes(date: IsoDate): IsoDate;
  baseline(date: IsoDate): Occurrence['baseline'];
}

function planOf(
  item: ScheduleItem,
  injections: readonly IsoDate[],
  today: IsoDate,
): { plan: Plan; injection?: PlannedInjection } {
  if (item.type === 'recurring') {
    const repeat = item.repeat;
    if (repeat.kind === 'weekdays') {
      const days = new Set<string>(repeat.weekdays);
      const nextAfter = (date: IsoDate) => {
        for (let i = 1; i <= 7; i++) {
          const candidate = addDays(date, i);
          if (days.has(weekdayOf(candidate))) return candidate;
        }
        return null;
      };
      return {
        plan: {
          item,
          activities: [item.activity],
          datesBetween: (from, to) => {
            const out: IsoDate[] = [];
            for (let day = dayNumber(from); day <= dayNumber(to); day++) {
              const date = dateOfDay(day);
              if (days.has(weekdayOf(date))) out.push(date);
            }
            return out;
          },
          nextAfter,
          // some weekday is always chosen, so there is a next one within 7 days
          closes: (date) => nextAfter(date)!,
          baseline: () => null,
        },
      };
    }
    const start = dayNumber(repeat.startDate);
    const every = repeat.everyDays;
    return {
      plan: {
        item,
        activities: [item.activity],
        datesBetween: (from, to) => {
          const out: IsoDate[] = [];
          const firstK = Math.max(0, Math.ceil((dayNumber(from) - start) / every));
          for (let day = start + firstK * every; day <= dayNumber(to); day += every) out.push(dateOfDay(day));
          return out;
        },
        nextAfter: (date) => {
          const k = Math.max(0, Math.floor((dayNumber(date) - start) / every) + 1);
          return dateOfDay(start + k * every);
        },
        closes: (date) => addDays(date, every),
        baseline: () => null,
      },
    };
  }
  const injection = plannedInjection(item, injections, today);
  const sessions = injection.date === null ? [] : baselineSessionDates(item, injection.date);
  const injectionDate = injection.date;
  return {
    injection,
    plan: {
      item,
      activities: item.activities,
      datesBetween: (from, to) => sessions.filter((date) => date >= from && date <= to),
      nextAfter: (date) => sessions.find((session) => session > date) ?? null,
      closes: (date) => sessions.find((session) => session > date) ?? injectionDate!,
      baseline: (date) =>
        injectionDate === null
          ? null
          : { session: sessions.indexOf(date) + 1, sessions: sessions.length, injectionDate },
    },
  };
}

function occurrence(
  plan: Plan,
  activity: Activity,
  date: IsoDate,
  timeZone: string,
  completions: Map<Activity, number[]>,
): Occurrence {
  const opens = startOfLocalDay(date, timeZone);
  const closes = startOfLocalDay(plan.closes(date), timeZone);
  const doneAt = firstIn(completions.get(activity), opens, closes);
  return {
    itemId: plan.item.id,
    itemType: plan.item.type,
    activity,
    date,
    time: plan.item.time,
    at: iso(zonedInstant(date, plan.item.time, timeZone)),
    until: iso(closes),
    doneAt: doneAt === undefined ? null : iso(doneAt),
    baseline: plan.baseline(date),
  };
}

function byTime(a: Occurrence, b: Occurrence): number {
  return a.at.localeCompare(b.at) || a.itemId.localeCompare(b.itemId) || a.activity.localeCompare(b.activity);
}

function plansOf(schedule: Schedule, done: DoneRecord, today: IsoDate) {
  return schedule.items.map((item) => planOf(item, done.injections, today));
}

/**
 * What is due on `now`'s local day: today's occurrences (done or not), the overdue ones (missed, window
 * still open) and each item's next occurrence after today.
 * @param schedule - a valid schedule
 * @param done - what the person did (at least {@link DONE_LOOKBACK_DAYS} days back, and every injection date)
 * @param now - the current instant
 * @param timeZone - the zone whose calendar days count (usually `schedule.timeZone`)
 */
export function dueItems(schedule: Schedule, done: DoneRecord, now: Instant, timeZone: string): DueResult {
  const nowMs = toMs(now);
  const today = localDate(nowMs, timeZone);
  const completions = completionIndex(done);
  const plans = plansOf(schedule, done, today);
  const result: DueResult = {
    timeZone,
    date: today,
    now: iso(nowMs),
    today: [],
    overdue: [],
    next: [],
    injections: plans.flatMap(({ injection }) => (injection ? [injection] : [])),
  };
  const lookback = addDays(today, -DONE_LOOKBACK_DAYS);
  for (const { plan } of plans) {
    for (const date of plan.datesBetween(lookback, today)) {
      // a window that closed before today began cannot be overdue: skip the time-zone work
      if (date < today && plan.closes(date) < today) continue;
      for (const activity of plan.activities) {
        const item = occurrence(plan, activity, date, timeZone, completions);
        if (date === today) result.today.push(item);
        else if (item.doneAt === null && Date.parse(item.until) > nowMs) result.overdue.push(item);
      }
    }
    const next = plan.nextAfter(today);
    if (next !== null)
      for (const activity of plan.activities)
        result.next.push(occurrence(plan, activity, next, timeZone, completions));
  }
  result.today.sort(byTime);
  result.overdue.sort(byTime);
  result.next.sort(byTime);
  return result;
}

/**
 * Every occurrence from `now`'s local day through the following `days - 1` days (for a calendar feed),
 * by time, with what was done so far.
 */
export function upcomingOccurrences(
  schedule: Schedule,
  done: DoneRecord,
  now: Instant,
  timeZone: string,
  days: number,
): Occurrence[] {
  const today = localDate(toMs(now), timeZone);
  const last = addDays(today, Math.max(0, days - 1));
  const completions = completionIndex(done);
  const out: Occurrence[] = [];
  for (const { plan } of plansOf(schedule, done, today))
    for (const date of plan.datesBetween(today, last))
      for (const activity of plan.activities)
        out.push(occurrence(plan, activity, date, timeZone, completions));
  return out.sort(byTime);
}

/** Rough minutes an activity takes, for the length of a calendar event (never shown as a measurement). */
export function activityMinutes(activity: Activity): number {
  const kind = activityKind(activity);
  return kind === 'task' ? 5 : kind === 'diary' ? 2 : 3;
}
