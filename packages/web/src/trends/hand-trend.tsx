import type { TreatmentInput } from '@dystrack/core';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { listAllDiaryEntries } from '../api/diary.js';
import { treatments as treatmentsApi, treatmentsOf } from '../api/records.js';
import { SpiralPlot } from '../components/spiral-plot.js';
import { flagsWords, handWords } from '../format.js';
import { errorMessage } from '../pages/form-helpers.js';
import { formatMetricValue } from '../pages/session-results.js';
import type { TrendSeries } from './api.js';
import { metricMeaning, TableToggle } from './choose.js';
import {
  eventsDuring,
  STATUS_WORDS,
  trendEvents,
  trendSummary,
  type JudgedPoint,
  type SetupRun,
  type TrendEvent,
} from './trend-model.js';
import { STATUS_STYLE, trendPlot } from './trend-plot.js';

/*
 * One hand's trend as the patient's trends page and the clinician's patient page show it: the chart with
 * its baseline band, reliable-change marks and diary and treatment events, its summary in words, and every
 * session in a table; with the legend of the marks and the events it draws.
 */

/** Who reads the chart: the patient (“your baseline”) or a clinician (“the patient’s”). */
export type Audience = 'patient' | 'clinician';

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** A day in the reader's words (medium date style). */
export const dateWords = (time: number) => dateOnly.format(new Date(time));

/**
 * Diary entries and treatments as chart events; a failure is said, and the charts are drawn without them.
 * @param source.patientId - a patient who shares with the signed-in clinician (else the signed-in patient's own)
 * @param source.diary - whether to read the diary (a clinician: only when the patient shares it)
 * @param source.treatments - whether to read the treatment log (likewise)
 */
export function useTrendEvents(source: { patientId?: string; diary?: boolean; treatments?: boolean } = {}): {
  events: TrendEvent[];
  problem: string | null;
} {
  const { patientId, diary: readDiary = true, treatments: readTreatments = true } = source;
  const [result, setResult] = useState<{ events: TrendEvent[]; problem: string | null }>({
    events: [],
    problem: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    const treatmentLog = patientId ? treatmentsOf(patientId) : treatmentsApi;
    Promise.all([
      readDiary
        ? listAllDiaryEntries({ maxPages: 4, patient: patientId }, controller.signal)
        : { entries: [] },
      readTreatments ? treatmentLog.list({ limit: 500 }, controller.signal) : { items: [] },
    ]).then(
      ([diary, treatments]) =>
        setResult({
          events: trendEvents(
            diary.entries,
            treatments.items.map((item) => ({ data: item.data as TreatmentInput })),
          ),
          problem: null,
        }),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setResult({
            events: [],
            problem: `Diary entries and treatments could not be loaded, so they are not shown: ${errorMessage(error)}`,
          });
      },
    );
    return () => controller.abort();
  }, [patientId, readDiary, readTreatments]);
  return result;
}

/** What the marks mean, in shapes and words (never colour alone). */
export function TrendLegend({
  audience = 'patient',
  shows = { diary: true, treatments: true },
}: {
  audience?: Audience;
  /** The events the charts can show (a clinician sees only those the patient shares). */
  shows?: { diary: boolean; treatments: boolean };
}) {
  const symbol = (kind: keyof typeof STATUS_STYLE) => {
    const { color, hollow, symbol: shape } = STATUS_STYLE[kind];
    const paint = { fill: hollow ? 'white' : color, stroke: color, strokeWidth: 2 };
    if (shape === 'diamond') return <path d="M9 2 L16 9 L9 16 L2 9 Z" {...paint} />;
    if (shape === 'triangle') return <path d="M9 2 L16 15 L2 15 Z" {...paint} />;
    if (shape === 'square') return <rect x="3" y="3" width="12" height="12" {...paint} />;
    return <circle cx="9" cy="9" r="5" {...paint} />;
  };
  const item = (mark: ReactNode, text: string) => (
    <li>
      <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
        {mark}
      </svg>
      {text}
    </li>
  );
  return (
    <section className="trends__legend" aria-labelledby="trends-legend-heading">
      <h2 id="trends-legend-heading" className="trends__legend-heading">
        How to read the charts
      </h2>
      <ul>
        {item(symbol('within'), 'A session')}
        {item(
          <rect x="1" y="4" width="16" height="10" fill="#bfdbfe" />,
          `${audience === 'clinician' ? 'The patient’s' : 'Your'} usual day-to-day variation (baseline band)`,
        )}
        {item(symbol('better'), 'Reliable change, better')}
        {item(symbol('worse'), 'Reliable change, worse')}
        {item(symbol('changed'), 'Reliable change (no better or worse)')}
        {item(symbol('excluded'), 'Left out: quality notes')}
        {item(
          <text x="4" y="14" fontWeight="bold" fontSize="13">
            P
          </text>,
          'Practice session',
        )}
        {item(
          <line x1="9" y1="0" x2="9" y2="18" stroke="#111827" strokeWidth="2" strokeDasharray="4,3" />,
          'New device, browser or task settings',
        )}
        {shows.treatments
          ? item(<line x1="9" y1="0" x2="9" y2="18" stroke="#7e22ce" strokeWidth="3" />, 'Treatment')
          : null}
        {shows.diary
          ? item(
              <text x="3" y="14" fontWeight="bold" fontSize="13" fill="#92400e">
                6
              </text>,
              'Diary severity (0–10)',
            )
          : null}
      </ul>
    </section>
  );
}

/** One hand's chart, its summary in words, and its table. */
export function HandTrend({
  heading,
  level = 2,
  audience = 'patient',
  hand,
  label,
  series,
  points,
  runs,
  events,
  width,
}: {
  heading: string;
  /** The heading's level: 2 on the trends page, 3 inside a section. */
  level?: 2 | 3;
  /** Whose chart it is said to be: the reader's own (“your”), or a patient's read by a clinician. */
  audience?: Audience;
  hand: string;
  label: string;
  series: TrendSeries;
  points: JudgedPoint[];
  runs: SetupRun[];
  events: TrendEvent[];
  width: number;
}) {
  const { metric, change } = series;
  const during = useMemo(() => eventsDuring(events, points), [events, points]);
  const format = useCallback((value: number) => formatMetricValue(value, metric.unit), [metric.unit]);
  const summary = trendSummary({
    label,
    hand: handWords(hand),
    logScale: metric.logScale,
    points,
    runs,
    change,
    events: during,
    format,
    date: dateWords,
    audience,
  });
  const yLabel = `${label}${metric.unit === '1' ? '' : ` (${metric.unit})`}`;
  const make = useCallback(
    () => trendPlot(points, runs, during, { width, logScale: metric.logScale, yLabel }),
    [points, runs, during, width, metric.logScale, yLabel],
  );
  const Heading = level === 3 ? 'h3' : 'h2';
  const setupStart = new Set(runs.filter((r) => r.change).map((r) => r.start));
  return (
    <section className="trends__hand panel" aria-label={`${label}, ${heading}`}>
      <Heading>{heading}</Heading>
      <SpiralPlot
        title={`${label} over time, ${handWords(hand)}`}
        summary={`${summary.shows} ${summary.baseline} ${summary.latest}`}
        make={make}
        className="trends__plot"
      />
      <p className="trends__change">{summary.change}</p>
      {summary.marks.length ? (
        <ul className="trends__marks">
          {summary.marks.map((mark) => (
            <li key={mark}>{mark}</li>
          ))}
        </ul>
      ) : null}
      <p className="trends__meaning">
        <strong>What this measures:</strong> {metricMeaning(metric)}
      </p>
      <TableToggle>
        <table className="trends__table">
          <caption>
            {label}, {handWords(hand)}: every session, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Value</th>
              <th scope="col">Compared with {audience === 'clinician' ? 'the' : 'your'} baseline</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => {
              const notes = [
                point.practice ? 'Practice session' : null,
                setupStart.has(point.time) ? 'New device, browser or task settings' : null,
                point.flags.length ? `Quality notes: ${flagsWords(point.flags)}` : null,
              ].filter(Boolean);
              return (
                <tr key={point.id} className={`trends__row--${point.status}`}>
                  <th scope="row">{dateOnly.format(new Date(point.time))}</th>
                  <td>{formatMetricValue(point.value, metric.unit)}</td>
                  <td>{STATUS_WORDS[point.status]}</td>
                  <td>{notes.join('. ') || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableToggle>
    </section>
  );
}
