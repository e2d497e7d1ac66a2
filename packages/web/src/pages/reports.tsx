import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { RadioGroup, TextField, type Choice } from '../components/form.js';
import { useTitle } from '../components/use-title.js';
import { localToday } from './scales-entry-parts.js';
import { calendarDateWords, lastInjectionDate } from './scales-reference.js';
import './reports.css';

/** The longest period of one report (the server refuses more). */
export const REPORT_MAX_YEARS = 5;

type PeriodChoice = '3m' | '6m' | '1y' | 'injection' | 'dates';

/** A date `months` calendar months before `date` (YYYY-MM-DD), the day clamped to the month's end. */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** What is wrong with a period, in words for the person, or null when the server will accept it. */
export function periodProblem(from: string, to: string): string | null {
  if (!from || !to) return 'Choose both dates.';
  if (!/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to))
    return 'Enter the dates as day, month and year.';
  if (from > to) return 'The first day is after the last day: swap them.';
  if (from < monthsBefore(to, 12 * REPORT_MAX_YEARS))
    return `A report covers at most ${REPORT_MAX_YEARS} years.`;
  return null;
}

/** The address of the clinician report of a period: the patient's own, or (a clinician) `patientId`'s. */
export function reportUrl(from: string, to: string, patientId?: string): string {
  const query = new URLSearchParams({ from, to, ...(patientId ? { patient: patientId } : {}) });
  return `/api/v1/reports/clinician.pdf?${query.toString()}`;
}

/** The first and last day of a period, as two date fields (no later than today). */
export function DateRangeFields({
  today,
  from,
  to,
  onFrom,
  onTo,
  problem,
}: {
  today: string;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  problem: string | null;
}) {
  return (
    <div className="reports__dates">
      <TextField
        label="First day"
        type="date"
        max={today}
        className="field--short"
        value={from}
        onChange={onFrom}
      />
      <TextField
        label="Last day"
        type="date"
        max={today}
        className="field--short"
        value={to}
        onChange={onTo}
        error={problem}
      />
    </div>
  );
}

/**
 * Choosing a period and downloading its clinician report: the signed-in patient's own (with "since the last
 * injection" when there is one), or the report of a patient who shares reports with the signed-in clinician.
 */
export function ClinicianReportDownload({
  patientId,
  name = 'report-period',
}: {
  patientId?: string;
  /** The radio group's name (unique on the page). */
  name?: string;
}) {
  const today = localToday();
  const [choice, setChoice] = useState<PeriodChoice>('3m');
  const [injection, setInjection] = useState<string | null>(null);
  const [from, setFrom] = useState(monthsBefore(today, 3));
  const [to, setTo] = useState(today);

  useEffect(() => {
    // the patient's own treatments only: a clinician chooses months or dates
    if (patientId) return;
    const controller = new AbortController();
    lastInjectionDate(controller.signal).then(setInjection, () => undefined);
    return () => controller.abort();
  }, [patientId]);

  const choices: Choice<PeriodChoice>[] = [
    { value: '3m', label: 'The last 3 months' },
    { value: '6m', label: 'The last 6 months' },
    { value: '1y', label: 'The last year' },
    ...(injection
      ? [
          {
            value: 'injection' as const,
            label: 'Since the last injection',
            description: `From ${calendarDateWords(injection)}`,
          },
        ]
      : []),
    { value: 'dates', label: 'Dates I choose' },
  ];

  let period: { from: string; to: string };
  switch (choice) {
    case '3m':
      period = { from: monthsBefore(today, 3), to: today };
      break;
    case '6m':
      period = { from: monthsBefore(today, 6), to: today };
      break;
    case '1y':
      period = { from: monthsBefore(today, 12), to: today };
      break;
    case 'injection':
      period = { from: injection ?? today, to: today };
      break;
    default:
      period = { from, to };
  }
  const problem = choice === 'dates' ? periodProblem(from, to) : null;

  return (
    <>
      <RadioGroup legend="Which period?" name={name} choices={choices} value={choice} onChange={setChoice} />
      {choice === 'dates' ? (
        <DateRangeFields today={today} from={from} to={to} onFrom={setFrom} onTo={setTo} problem={problem} />
      ) : null}

      <p className="reports__period" aria-live="polite">
        {problem
          ? 'Choose a valid period to download the report.'
          : `The report covers ${calendarDateWords(period.from)} to ${calendarDateWords(period.to)}.`}
      </p>
      {problem ? (
        <button type="button" className="button reports__download" disabled>
          Download the clinician report (PDF)
        </button>
      ) : (
        <a className="button reports__download" href={reportUrl(period.from, period.to, patientId)} download>
          Download the clinician report (PDF)
        </a>
      )}
    </>
  );
}

/** Reports for a chosen period: the clinician report as a PDF made on the server. */
export function ReportsPage() {
  useTitle('Reports');
  return (
    <div className="page reports">
      <h1>Reports</h1>
      <section className="card reports__about" aria-labelledby="reports-about">
        <h2 id="reports-about">The clinician report</h2>
        <p>
          A PDF to give to your neurologist or therapist, or to take to an appointment. The first page sums up
          the period: for each task you recorded, your usual result at the start of the period and now, and
          whether the difference is larger than your normal day-to-day variation; your treatments, with the
          muscles, sides and doses of injections; and your questionnaires and rating scales with their dates.
          The pages after it show a chart and a table of every session.
        </p>
        <p>
          The report compares your measurements over time. It does not diagnose: what the numbers mean for you
          is for your doctor to judge.
        </p>
        <p>
          For an employer, insurer or assessor, the{' '}
          <Link href="/reports/work-capacity">work-capacity report</Link> describes how your essential hand
          tasks are affected, signed so that anyone can check it was not changed.
        </p>
      </section>

      <ClinicianReportDownload />
      <p className="muted">
        The file is made on the server from what is stored there; a year of data takes a few seconds.
      </p>
    </div>
  );
}
