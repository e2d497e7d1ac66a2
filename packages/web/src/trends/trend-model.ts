import {
  computeChange,
  TREATMENT_TYPE_LABELS,
  treatmentDate,
  type ChangeMetric,
  type ChangeSession,
  type DiaryData,
  type TreatmentInput,
} from '@dystrack/core';
import type { SeriesPoint } from '../api/types.js';

/*
 * The pure computations of the trends page: each session judged against its baseline with core's change
 * module, the setup segments, the affected/unaffected hand ratio, the events drawn over the chart and
 * the text summary that says in words what a chart shows.
 */

/** Sessions at the start of a task and hand marked as practice (measures.md 10.3 item 4: familiarisation). */
export const PRACTICE_SESSIONS = 2;

/** Baseline sessions per setup, as the series route and core's `computeChange` use by default. */
export const MAX_BASELINE_SESSIONS = 5;

/** How one session is shown. */
export type PointStatus =
  /** left out of the statistics for a quality flag (still shown) */
  | 'excluded'
  /** no value, or none usable on a log scale */
  | 'missing'
  /** not enough earlier sessions on this setup to tell a change from day-to-day variation */
  | 'unjudged'
  /** within the baseline band: no reliable change */
  | 'within'
  | 'better'
  | 'worse'
  /** a reliable change of a metric with no better or worse direction */
  | 'changed';

/** One session as the chart and the table show it. */
export interface JudgedPoint {
  id: string;
  /** Start of the session, ms since the epoch. */
  time: number;
  value: number | null;
  flags: string[];
  excluded: boolean;
  /** Setup segment from the series route: +1 at every change of device, browser or protocol. */
  segment: number;
  setupKey: string;
  /** One of the first {@link PRACTICE_SESSIONS} sessions of this task and hand. */
  practice: boolean;
  status: PointStatus;
  /** Reliable change index against the baseline before the session; null when undefined. */
  rci: number | null;
  /** The band (baseline ± SDC95, in the metric's unit) the session was judged against. */
  band: { low: number; high: number } | null;
}

/** Whether a value can be used on the metric's scale. */
function usable(value: number | null, logScale: boolean): value is number {
  return value !== null && Number.isFinite(value) && (!logScale || value > 0);
}

/**
 * Every session judged as core's `computeChange` judges the latest one (series route): against the
 * first {@link MAX_BASELINE_SESSIONS} usable sessions before it on the same setup. Only those earlier
 * sessions are handed to core, so a five-year daily series stays linear in time.
 * @param metric - the metric (direction, log scale)
 * @param points - the series, oldest first
 */
export function judgePoints(metric: ChangeMetric, points: readonly SeriesPoint[]): JudgedPoint[] {
  const earlier = new Map<string, { sessions: ChangeSession[]; usable: number }>();
  return points.map((point, index) => {
    const time = Date.parse(point.startedAt);
    let setup = earlier.get(point.setupKey);
    if (!setup) {
      setup = { sessions: [], usable: 0 };
      earlier.set(point.setupKey, setup);
    }
    const base = {
      id: point.recordingId,
      time,
      value: point.value,
      flags: point.flags,
      excluded: point.excluded,
      segment: point.segment,
      setupKey: point.setupKey,
      practice: index < PRACTICE_SESSIONS,
    };
    let judged: Pick<JudgedPoint, 'status' | 'rci' | 'band'>;
    if (point.excluded) judged = { status: 'excluded', rci: null, band: null };
    else if (!usable(point.value, metric.logScale)) judged = { status: 'missing', rci: null, band: null };
    else {
      const result = computeChange(metric, setup.sessions, {
        current: {
          value: point.value,
          time,
          setupKey: point.setupKey,
          flags: point.flags,
          id: point.recordingId,
        },
      });
      let status: PointStatus = 'within';
      if (result.basis === 'insufficient') status = 'unjudged';
      else if (result.changeIsReliable)
        status =
          result.direction === 'changed' ? 'changed' : result.direction === 'better' ? 'better' : 'worse';
      judged = { status, rci: result.rci, band: result.band };
    }
    // later sessions are judged only against the first usable ones: keep sessions until there are enough
    if (setup.usable < MAX_BASELINE_SESSIONS) {
      setup.sessions.push({
        id: point.recordingId,
        time,
        value: point.value,
        flags: point.flags,
        setupKey: point.setupKey,
      });
      if (!point.excluded && usable(point.value, metric.logScale)) setup.usable++;
    }
    return { ...base, ...judged };
  });
}

/** An unbroken run of sessions on one setup. */
export interface SetupRun {
  segment: number;
  setupKey: string;
  /** First and last session of the run, ms. */
  start: number;
  end: number;
  /** Sessions in the run. */
  count: number;
  /** What changed from the run before; null for the first run. */
  change: 'device or browser' | 'task settings' | null;
  /** The band of the run's latest judged session (its full baseline); null without one. */
  band: { low: number; high: number } | null;
}

/** What changed between two setup keys (core's `recordingSetupKey`: browser|platform|input|flags|protocol). */
export function setupChangeKind(before: string, after: string): 'device or browser' | 'task settings' {
  const device = (key: string) => key.split('|').slice(0, 3).join('|');
  return device(before) === device(after) ? 'task settings' : 'device or browser';
}

/**
 * The runs of sessions on one setup, in time order: each change of device, browser or task settings
 * starts a new run (and a new baseline).
 * @param points - judged sessions, oldest first
 */
export function setupRuns(points: readonly JudgedPoint[]): SetupRun[] {
  const runs: SetupRun[] = [];
  for (const point of points) {
    const last = runs.at(-1);
    if (last && last.segment === point.segment) {
      last.end = point.time;
      last.count++;
      if (point.band) last.band = point.band;
      continue;
    }
    runs.push({
      segment: point.segment,
      setupKey: point.setupKey,
      start: point.time,
      end: point.time,
      count: 1,
      change: last ? setupChangeKind(last.setupKey, point.setupKey) : null,
      band: point.band,
    });
  }
  return runs;
}

/** The affected hand's value over the other hand's on one day. */
export interface HandRatio {
  /** Local calendar day, `YYYY-MM-DD`. */
  day: string;
  /** Noon of that day, ms (where the chart draws it). */
  time: number;
  affected: number;
  unaffected: number;
  ratio: number;
}

function localDay(time: number): string {
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The affected/unaffected hand ratio on each day with a usable session of both hands (the day's
 * latest of each; flagged sessions and non-positive values left out).
 */
export function handRatios(
  affected: readonly JudgedPoint[],
  unaffected: readonly JudgedPoint[],
): HandRatio[] {
  const lastByDay = (points: readonly JudgedPoint[]) => {
    const days = new Map<string, number>();
    for (const p of points)
      if (!p.excluded && p.value !== null && Number.isFinite(p.value) && p.value > 0)
        days.set(localDay(p.time), p.value);
    return days;
  };
  const other = lastByDay(unaffected);
  const ratios: HandRatio[] = [];
  for (const [day, value] of lastByDay(affected)) {
    const against = other.get(day);
    if (against === undefined) continue;
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    ratios.push({
      day,
      time: new Date(y, m - 1, d, 12).getTime(),
      affected: value,
      unaffected: against,
      ratio: value / against,
    });
  }
  return ratios.sort((a, b) => a.time - b.time);
}

/** A diary entry or a treatment, drawn over the chart. */
export interface TrendEvent {
  kind: 'diary' | 'treatment';
  time: number;
  /** Short label, e.g. `Severity 6/10`, `Botulinum toxin injection`. */
  label: string;
  /** A short form of the label for narrow charts, e.g. `Toxin`. */
  short: string;
  /** The highest severity rating of a diary entry, 0–10; null for a treatment. */
  severity: number | null;
}

/** Treatment types in a word or two, for narrow charts. */
const SHORT_TREATMENT_LABELS: Readonly<Record<TreatmentInput['type'], string>> = {
  'botulinum-toxin': 'Toxin',
  medication: 'Medication',
  therapy: 'Therapy',
  'task-modification': 'Task change',
  surgery: 'Surgery',
  'dbs-settings': 'DBS',
};

/** The diary's severity ratings and treatments as events (only those with something to show). */
export function trendEvents(
  diary: readonly { at: string; data: DiaryData }[],
  treatments: readonly { data: TreatmentInput }[],
): TrendEvent[] {
  const events: TrendEvent[] = [];
  for (const entry of diary) {
    const ratings = Object.values(entry.data.severity).filter((v): v is number => typeof v === 'number');
    if (ratings.length === 0) continue;
    const severity = Math.max(...ratings);
    events.push({
      kind: 'diary',
      time: Date.parse(entry.at),
      label: `Severity ${severity}/10`,
      short: String(severity),
      severity,
    });
  }
  for (const entry of treatments) {
    const date = treatmentDate(entry.data);
    events.push({
      kind: 'treatment',
      time: Date.parse(`${date}T12:00:00`),
      label: TREATMENT_TYPE_LABELS[entry.data.type],
      short: SHORT_TREATMENT_LABELS[entry.data.type],
      severity: null,
    });
  }
  return events.filter((e) => Number.isFinite(e.time)).sort((a, b) => a.time - b.time);
}

/** Days before the first session from which events are still shown (a treatment just before tracking began). */
export const EVENTS_BEFORE_DAYS = 14;

/** The events from {@link EVENTS_BEFORE_DAYS} days before the first session to the last session's day. */
export function eventsDuring(events: readonly TrendEvent[], points: readonly JudgedPoint[]): TrendEvent[] {
  const first = points[0]?.time;
  const last = points.at(-1)?.time;
  if (first === undefined || last === undefined) return [];
  return events.filter(
    (e) => e.time >= first - EVENTS_BEFORE_DAYS * 86_400_000 && e.time <= last + 86_400_000,
  );
}

/** Words for a point's status (table and summary). */
export const STATUS_WORDS: Readonly<Record<PointStatus, string>> = {
  excluded: 'Left out of the statistics (quality notes)',
  missing: 'No value',
  unjudged: 'Too few earlier sessions to judge',
  within: 'Within the usual variation',
  better: 'Reliable change, better',
  worse: 'Reliable change, worse',
  changed: 'Reliable change',
};

/** The parts of the series route's change statistics the summary reads. */
export interface SeriesChange {
  basis: 'personal' | 'published' | 'insufficient';
  baseline: { value: number | null; n: number };
  band: { low: number; high: number } | null;
  current: { value: number | null; time: string | null; excluded: boolean } | null;
  changeIsReliable: boolean;
  wording: { summary: string; basis: string; caution: string };
}

/** A chart's text summary, one sentence or short paragraph each. */
export interface TrendSummary {
  shows: string;
  baseline: string;
  latest: string;
  change: string;
  marks: string[];
}

/**
 * What a chart shows, in words: the sessions, the baseline and its band, the latest value, the change
 * in core's wording, and what the marks are.
 * @param input.label - the metric in plain words, e.g. `Key hold time`
 * @param input.format - formats a value with its unit
 * @param input.audience - the patient ("your") or a clinician ("the patient’s")
 */
export function trendSummary(input: {
  label: string;
  hand: string;
  logScale: boolean;
  points: readonly JudgedPoint[];
  runs: readonly SetupRun[];
  change: SeriesChange;
  events: readonly TrendEvent[];
  format: (value: number) => string;
  date: (time: number) => string;
  /** Who reads it: the patient (default, "your") or a clinician the patient shares with ("the patient’s"). */
  audience?: 'patient' | 'clinician';
}): TrendSummary {
  const { points, change, format, date } = input;
  const withValue = points.filter((p) => p.value !== null);
  const excluded = points.filter((p) => p.excluded).length;
  const first = points[0];
  const last = points.at(-1);
  const span = first && last ? ` from ${date(first.time)} to ${date(last.time)}` : '';
  const shows =
    `${input.label}, ${input.hand}: ${withValue.length} session${withValue.length === 1 ? '' : 's'} with a value${span}` +
    (excluded ? `, ${excluded} of them left out of the statistics for quality notes` : '') +
    (input.logScale ? '. The scale is logarithmic: equal steps are equal percentages.' : '.');

  let baseline: string;
  const base = change.baseline;
  if (base.value === null || base.n === 0)
    baseline = 'There is no baseline yet on the current device and browser.';
  else {
    const mean = input.logScale ? 'typical value (geometric mean)' : 'average';
    baseline = `Baseline: ${format(base.value)}, the ${mean} of ${base.n} session${base.n === 1 ? '' : 's'} on the current device and browser.`;
    if (change.band)
      baseline += ` Values from ${format(change.band.low)} to ${format(change.band.high)} are within ${input.audience === 'clinician' ? 'the patient’s' : 'your'} usual day-to-day variation (the shaded band).`;
  }

  const latest =
    change.current?.value != null && change.current.time
      ? `Latest session judged (${date(Date.parse(change.current.time))}): ${format(change.current.value)}.`
      : 'No session has a value that can be judged yet.';

  const marks: string[] = [];
  const reliable = points.filter(
    (p) => p.status === 'better' || p.status === 'worse' || p.status === 'changed',
  );
  if (reliable.length) {
    const better = reliable.filter((p) => p.status === 'better').length;
    const worse = reliable.filter((p) => p.status === 'worse').length;
    const parts = [better && `${better} better (diamonds)`, worse && `${worse} worse (triangles)`].filter(
      Boolean,
    );
    const rest = reliable.length - better - worse;
    if (rest) parts.push(`${rest} changed (squares)`);
    marks.push(
      `${reliable.length} session${reliable.length === 1 ? ' was' : 's were'} reliably different from the baseline before ${reliable.length === 1 ? 'it' : 'them'}: ${parts.join(', ')}.`,
    );
  } else if (points.some((p) => p.status === 'within'))
    marks.push('No session was reliably different from its baseline.');
  if (excluded)
    marks.push(
      `Sessions with quality notes are drawn hollow and grey and are not used for the baseline or change.`,
    );
  const practice = points.filter((p) => p.practice).length;
  if (practice)
    marks.push(
      `The first ${practice === 1 ? 'session is' : `${practice} sessions are`} marked P for practice: results often improve while a task is new.`,
    );
  for (const run of input.runs)
    if (run.change)
      marks.push(
        `On ${date(run.start)} the ${run.change} changed (dashed line): a new baseline starts there.`,
      );
  const diary = input.events.filter((e) => e.kind === 'diary').length;
  const treatments = input.events.filter((e) => e.kind === 'treatment');
  if (treatments.length)
    marks.push(
      `Treatments: ${treatments.map((e) => `${e.label.toLowerCase()} on ${date(e.time)}`).join('; ')} (purple lines).`,
    );
  if (diary) marks.push(`${diary} diary severity rating${diary === 1 ? '' : 's'} along the bottom.`);

  return {
    shows,
    baseline,
    latest,
    change: `${change.wording.summary} ${change.wording.basis}`,
    marks,
  };
}

/** The ratio over time in words. */
export function ratioSummary(
  ratios: readonly HandRatio[],
  affected: string,
  unaffected: string,
  date: (time: number) => string,
): string {
  if (ratios.length === 0)
    return `There is no day yet with a usable session of both the ${affected} and the ${unaffected}.`;
  const geometric = 10 ** (ratios.reduce((sum, r) => sum + Math.log10(r.ratio), 0) / ratios.length);
  const last = ratios.at(-1)!;
  const word = (x: number) => `${Number(x.toPrecision(2))} times`;
  return (
    `On ${ratios.length} day${ratios.length === 1 ? '' : 's'} with both hands, the value of the ${affected} was on average ` +
    `${word(geometric)} that of the ${unaffected} (1 means both hands alike). On the latest such day, ${date(last.time)}, it was ${word(last.ratio)}.`
  );
}
