import { useEffect, useMemo, useState } from 'react';
import { handWords } from '../format.js';
import { errorMessage } from '../pages/form-helpers.js';
import type { OverviewItem, TrendSeries } from '../trends/api.js';
import {
  capitalise,
  HANDS,
  metricLabel,
  MetricChooser,
  metricsOf,
  useChartWidth,
  type Load,
} from '../trends/choose.js';
import { HandTrend, TrendLegend, useTrendEvents } from '../trends/hand-trend.js';
import { judgePoints, setupRuns, type TrendEvent } from '../trends/trend-model.js';
import { patientOverview, patientSeries } from './api.js';
import '../pages/trends.css';

/*
 * The patient's trends as the clinician sees them: the trends page's hand chart, legend and events
 * (trends/hand-trend.tsx) in the clinician's words, fed by the overview, series, diary and treatment
 * endpoints with `?patient=`. The trends page's metric choice reads the signed-in user's own overview, so
 * the choice is made here.
 */

/** One hand's chart: the trends page's, read by a clinician. */
function HandChart({
  hand,
  series,
  events,
  width,
}: {
  hand: string;
  series: TrendSeries;
  events: TrendEvent[];
  width: number;
}) {
  const { metric } = series;
  const points = useMemo(
    () => judgePoints(metric as Parameters<typeof judgePoints>[0], series.points),
    [metric, series.points],
  );
  const runs = useMemo(() => setupRuns(points), [points]);
  return (
    <HandTrend
      heading={capitalise(handWords(hand))}
      level={3}
      audience="clinician"
      hand={hand}
      label={metricLabel(metric.task, metric.id)}
      series={series}
      points={points}
      runs={runs}
      events={events}
      width={width}
    />
  );
}

/**
 * The patient's trends: choose a task and measure, one chart per hand, with the diary ratings and
 * treatments marked where the patient shares them.
 */
export function PatientOverview({
  patientId,
  shared,
}: {
  patientId: string;
  /** Whether the patient shares their diary and their treatment log (the charts' events). */
  shared: { diary: boolean; treatments: boolean };
}) {
  const [overview, setOverview] = useState<Load<OverviewItem[]>>({ state: 'loading' });
  const [task, setTask] = useState<string | null>(null);
  const [metricId, setMetricId] = useState<string | null>(null);
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { ref, width } = useChartWidth();
  const { events, problem } = useTrendEvents({ patientId, ...shared });

  useEffect(() => {
    const controller = new AbortController();
    patientOverview(patientId, controller.signal).then(
      (answer) => setOverview({ state: 'ready', value: answer.items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setOverview({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [patientId]);

  const items = useMemo(() => (overview.state === 'ready' ? overview.value : []), [overview]);
  const tasks = useMemo(() => [...new Set(items.map((i) => i.task))], [items]);
  const chosenTask = task !== null && tasks.includes(task) ? task : (tasks[0] ?? null);
  const metrics = useMemo(() => (chosenTask ? metricsOf(items, chosenTask) : []), [items, chosenTask]);
  const chosenMetric = metricId !== null && metrics.includes(metricId) ? metricId : (metrics[0] ?? null);
  const hands = useMemo(
    () =>
      HANDS.filter((hand) =>
        items.some((i) => i.task === chosenTask && i.metricId === chosenMetric && i.hand === hand),
      ),
    [items, chosenTask, chosenMetric],
  );

  useEffect(() => {
    if (!chosenTask || !chosenMetric) return undefined;
    const controller = new AbortController();
    for (const hand of hands) {
      const key = `${chosenTask}/${chosenMetric}/${hand}`;
      patientSeries(patientId, chosenMetric, { task: chosenTask, hand }, controller.signal).then(
        (value) => setSeries((all) => ({ ...all, [key]: { state: 'ready', value } })),
        (error: unknown) => {
          if (!controller.signal.aborted)
            setSeries((all) => ({ ...all, [key]: { state: 'error', message: errorMessage(error) } }));
        },
      );
    }
    return () => controller.abort();
  }, [patientId, chosenTask, chosenMetric, hands]);

  if (overview.state === 'loading') return <p role="status">Loading the measurements…</p>;
  if (overview.state === 'error')
    return (
      <p className="notice notice--error" role="alert">
        The measurements could not be loaded: {overview.message}
      </p>
    );
  if (!chosenTask || !chosenMetric) return <p>No measurements yet: the patient has not recorded a task.</p>;

  return (
    <div className="trends clinic__overview" ref={ref}>
      <MetricChooser
        name="clinic-trends"
        tasks={tasks}
        task={chosenTask}
        onTask={(value) => {
          setTask(value);
          setMetricId(null);
        }}
        metrics={metrics}
        metric={chosenMetric}
        onMetric={setMetricId}
        handChoices={[]}
        hand="each"
        onHand={() => undefined}
      />
      <TrendLegend audience="clinician" shows={shared} />
      {problem ? <p className="notice">{problem}</p> : null}
      {!shared.diary || !shared.treatments ? (
        <p className="field__hint">
          {!shared.diary && !shared.treatments
            ? 'The patient shares neither their diary nor their treatment log, so the charts show no diary ratings or treatments.'
            : !shared.diary
              ? 'The patient does not share their diary, so the charts show no diary ratings.'
              : 'The patient does not share their treatment log, so the charts show no treatments.'}
        </p>
      ) : null}
      {hands.map((hand) => {
        const load = series[`${chosenTask}/${chosenMetric}/${hand}`];
        if (!load || load.state === 'loading')
          return (
            <p key={hand} role="status">
              Loading the {handWords(hand)}…
            </p>
          );
        if (load.state === 'error')
          return (
            <p key={hand} className="notice notice--error" role="alert">
              The trend of the {handWords(hand)} could not be loaded: {load.message}
            </p>
          );
        return <HandChart key={hand} hand={hand} series={load.value} events={events} width={width} />;
      })}
      <p className="trends__caution">
        These charts compare the patient’s measurements over time; they describe change, not its cause, and
        are not a diagnosis.
      </p>
    </div>
  );
}
