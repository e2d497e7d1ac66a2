import { CHANGE_CAUTION } from '@dystrack/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { SpiralPlot } from '../components/spiral-plot.js';
import { useTitle } from '../components/use-title.js';
import { handWords } from '../format.js';
import { useSession } from '../session/session.js';
import { getTrendSeries, type TrendSeries } from '../trends/api.js';
import {
  capitalise,
  metricLabel,
  MetricChooser,
  useChartWidth,
  useMetricChoice,
  type Load,
} from '../trends/choose.js';
import { dateWords, HandTrend, TrendLegend, useTrendEvents } from '../trends/hand-trend.js';
import {
  handRatios,
  judgePoints,
  ratioSummary,
  setupRuns,
  type JudgedPoint,
  type SetupRun,
} from '../trends/trend-model.js';
import { ratioPlot } from '../trends/trend-plot.js';
import { errorMessage } from './form-helpers.js';
import './trends.css';

/** Every metric over time per hand, with baseline band, reliable-change markers and diary/treatment events. */
export function TrendsPage() {
  useTitle('Trends');
  const { profile } = useSession();
  const { overview, tasks, chosenTask, metrics, chosenMetric, hands, chooseTask, chooseMetric } =
    useMetricChoice();
  const [handChoice, setHandChoice] = useState<string>('each');
  // the series by task/metric/hand; a missing key is still loading
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { events, problem } = useTrendEvents();
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
      <TrendLegend />
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
