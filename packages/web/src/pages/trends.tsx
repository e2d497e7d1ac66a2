import { CHANGE_CAUTION, type TreatmentInput } from '@dystrack/core';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { listAllDiaryEntries } from '../api/diary.js';
import { treatments as treatmentsApi } from '../api/records.js';
import { SpiralPlot } from '../components/spiral-plot.js';
import { useTitle } from '../components/use-title.js';
import { flagsWords, handWords } from '../format.js';
import { useSession } from '../session/session.js';
import { getTrendSeries, type TrendSeries } from '../trends/api.js';
import {
  capitalise,
  metricLabel,
  MetricChooser,
  metricMeaning,
  useChartWidth,
  useMetricChoice,
  type Load,
  TableToggle,
} from '../trends/choose.js';
import {
  eventsDuring,
  handRatios,
  judgePoints,
  ratioSummary,
  setupRuns,
  STATUS_WORDS,
  trendEvents,
  trendSummary,
  type JudgedPoint,
  type SetupRun,
  type TrendEvent,
} from '../trends/trend-model.js';
import { ratioPlot, STATUS_STYLE, trendPlot } from '../trends/trend-plot.js';
import { errorMessage } from './form-helpers.js';
import { formatMetricValue } from './session-results.js';
import './trends.css';

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateWords = (time: number) => dateOnly.format(new Date(time));

/** Diary entries and treatments as chart events; a failure is said, and the charts are drawn without them. */
function useEvents(): { events: TrendEvent[]; problem: string | null } {
  const [result, setResult] = useState<{ events: TrendEvent[]; problem: string | null }>({
    events: [],
    problem: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      listAllDiaryEntries({ maxPages: 4 }, controller.signal),
      treatmentsApi.list({ limit: 500 }, controller.signal),
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
  }, []);
  return result;
}

/** Every metric over time per hand, with baseline band, reliable-change markers and diary/treatment events. */
export function TrendsPage() {
  useTitle('Trends');
  const { profile } = useSession();
  const { overview, tasks, chosenTask, metrics, chosenMetric, hands, chooseTask, chooseMetric } =
    useMetricChoice();
  const [handChoice, setHandChoice] = useState<string>('each');
  // the series by task/metric/hand; a missing key is still loading
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { events, problem } = useEvents();
  const { ref: pageRef, width } = useChartWidth();

  const shownHands = useMemo(() => (hands.includes(handChoice) ? [handChoice] : hands), [hands, handChoice]);

  useEffect(() => {
    if (!chosenTask || !chosenMetric) return undefined;
    const controller = new AbortController();
    for (const hand of hands) {
      const key = `${chosenTask}/${chosenMetric}/${hand}`;
      getTrendSeries(chosenMetric, { task: chosenTask, hand }, controller.signal).then(
        (value) => setSeries((all) => ({ ...all, [key]: { state: 'ready', value } })),
        (error: unknown) => {
          if (!controller.signal.aborted)
            setSeries((all) => ({ ...all, [key]: { state: 'error', message: errorMessage(error) } }));
        },
      );
    }
    return () => controller.abort();
  }, [chosenTask, chosenMetric, hands]);

  const judged = useMemo(() => {
    const byHand = new Map<string, { series: TrendSeries; points: JudgedPoint[]; runs: SetupRun[] }>();
    for (const hand of hands) {
      const load = series[`${chosenTask}/${chosenMetric}/${hand}`];
      if (load?.state !== 'ready') continue;
      const points = judgePoints(load.value.metric as Parameters<typeof judgePoints>[0], load.value.points);
      byHand.set(hand, { series: load.value, points, runs: setupRuns(points) });
    }
    return byHand;
  }, [series, hands, chosenTask, chosenMetric]);

  if (overview.state === 'loading')
    return (
      <div className="page trends">
        <h1>Trends</h1>
        <p role="status">Loading your measurements…</p>
      </div>
    );
  if (overview.state === 'error')
    return (
      <div className="page trends">
        <h1>Trends</h1>
        <div className="notice notice--error" role="alert">
          <p>Your trends could not be loaded: {overview.message}</p>
          <p>Nothing you recorded is lost. Please try again later.</p>
        </div>
      </div>
    );
  if (!chosenTask || !chosenMetric) return <EmptyTrends />;

  const affected =
    profile?.affectedHands === 'left' || profile?.affectedHands === 'right' ? profile.affectedHands : null;
  const label = metricLabel(chosenTask, chosenMetric);
  const ratioHands =
    affected && judged.has('left') && judged.has('right')
      ? { affected: judged.get(affected)!, other: judged.get(affected === 'left' ? 'right' : 'left')! }
      : null;

  return (
    <div className="page trends" ref={pageRef}>
      <h1>Trends</h1>
      <p>
        How your measurements changed over time, compared with your own baseline. Each chart is described in
        words below it, and every value is in a table you can open.
      </p>
      <p>
        <Link href="/trends/cycles">Compare your botulinum-toxin injection cycles</Link>
      </p>
      <p>
        <Link href="/trends/triggers">See how the triggers in your diary went with your measurements</Link>
      </p>
      <p>
        <Link href="/reports">Make a report for your doctor, employer or insurer (PDF)</Link>
      </p>
      <MetricChooser
        name="trends"
        tasks={tasks}
        task={chosenTask}
        onTask={chooseTask}
        metrics={metrics}
        metric={chosenMetric}
        onMetric={chooseMetric}
        handChoices={
          hands.length > 1
            ? [
                { value: 'each', label: 'Each hand, one chart each' },
                ...hands.map((hand) => ({ value: hand, label: capitalise(handWords(hand)) })),
              ]
            : []
        }
        hand={hands.includes(handChoice) ? handChoice : 'each'}
        onHand={setHandChoice}
      />
      <Legend />
      {problem ? <p className="notice">{problem}</p> : null}
      {shownHands.map((hand) => {
        const load = series[`${chosenTask}/${chosenMetric}/${hand}`];
        const heading = `${capitalise(handWords(hand))}${hand === affected ? ' (affected)' : ''}`;
        if (!load || load.state === 'loading')
          return (
            <section key={hand} className="trends__hand panel">
              <h2>{heading}</h2>
              <p role="status">Loading…</p>
            </section>
          );
        if (load.state === 'error')
          return (
            <section key={hand} className="trends__hand panel">
              <h2>{heading}</h2>
              <p className="notice notice--error" role="alert">
                This trend could not be loaded: {load.message}
              </p>
            </section>
          );
        const data = judged.get(hand);
        if (!data) return null;
        return (
          <HandTrend
            key={hand}
            heading={heading}
            hand={hand}
            label={label}
            series={data.series}
            points={data.points}
            runs={data.runs}
            events={events}
            width={width}
          />
        );
      })}
      {ratioHands && shownHands.length > 1 ? (
        <HandRatioChart
          label={label}
          affected={affected!}
          points={ratioHands.affected.points}
          other={ratioHands.other.points}
          width={width}
        />
      ) : null}
      <p className="trends__caution">{CHANGE_CAUTION}</p>
    </div>
  );
}

/** No values yet: what to record to get a trend. */
function EmptyTrends() {
  return (
    <div className="page trends">
      <h1>Trends</h1>
      <section className="panel trends__empty" aria-labelledby="trends-empty-heading">
        <h2 id="trends-empty-heading">No trends yet</h2>
        <p>
          A trend shows how a measurement of your hand changes over time. It needs recordings: do a task on at
          least 3 different days with the same device and browser. Those first sessions become your baseline,
          and each later session is compared with it.
        </p>
        <p>Results appear here a few seconds after a recording has been sent to the server.</p>
        <p>
          <Link href="/" className="button button--primary button--large">
            Choose a task to record
          </Link>
        </p>
      </section>
    </div>
  );
}

/** What the marks mean, in shapes and words (never colour alone). */
function Legend() {
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
          'Your usual day-to-day variation (baseline band)',
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
        {item(<line x1="9" y1="0" x2="9" y2="18" stroke="#7e22ce" strokeWidth="3" />, 'Treatment')}
        {item(
          <text x="3" y="14" fontWeight="bold" fontSize="13" fill="#92400e">
            6
          </text>,
          'Diary severity (0–10)',
        )}
      </ul>
    </section>
  );
}

/** One hand's chart, its summary in words, and its table. */
function HandTrend({
  heading,
  hand,
  label,
  series,
  points,
  runs,
  events,
  width,
}: {
  heading: string;
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
  });
  const yLabel = `${label}${metric.unit === '1' ? '' : ` (${metric.unit})`}`;
  const make = useCallback(
    () => trendPlot(points, runs, during, { width, logScale: metric.logScale, yLabel }),
    [points, runs, during, width, metric.logScale, yLabel],
  );
  const setupStart = new Set(runs.filter((r) => r.change).map((r) => r.start));
  return (
    <section className="trends__hand panel" aria-label={`${label}, ${heading}`}>
      <h2>{heading}</h2>
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
              <th scope="col">Compared with your baseline</th>
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

/** The affected hand's value over the other hand's, day by day. */
function HandRatioChart({
  label,
  affected,
  points,
  other,
  width,
}: {
  label: string;
  affected: 'left' | 'right';
  points: JudgedPoint[];
  other: JudgedPoint[];
  width: number;
}) {
  const ratios = useMemo(() => handRatios(points, other), [points, other]);
  const unaffected = affected === 'left' ? 'right' : 'left';
  const make = useCallback(
    () => ratioPlot(ratios, { width, yLabel: `${capitalise(affected)} ÷ ${unaffected}` }),
    [ratios, width, affected, unaffected],
  );
  const summary = ratioSummary(ratios, `${handWords(affected)} (affected)`, handWords(unaffected), dateWords);
  return (
    <section className="trends__hand panel" aria-labelledby="trends-ratio-heading">
      <h2 id="trends-ratio-heading">Affected hand against the other hand</h2>
      {ratios.length ? (
        <SpiralPlot
          title={`${label}: ${handWords(affected)} divided by ${handWords(unaffected)}`}
          summary={summary}
          make={make}
          className="trends__plot"
        />
      ) : (
        <p>{summary}</p>
      )}
    </section>
  );
}
