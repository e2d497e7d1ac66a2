import { useCallback, useEffect, useMemo, useState } from 'react';
import { SpiralPlot } from '../components/spiral-plot.js';
import { flagsWords, handWords } from '../format.js';
import { errorMessage } from '../pages/form-helpers.js';
import { formatMetricValue } from '../pages/session-results.js';
import type { OverviewItem, TrendSeries } from '../trends/api.js';
import {
  capitalise,
  HANDS,
  metricLabel,
  MetricChooser,
  metricMeaning,
  metricsOf,
  TableToggle,
  useChartWidth,
  type Load,
} from '../trends/choose.js';
import { judgePoints, setupRuns, STATUS_WORDS, trendSummary } from '../trends/trend-model.js';
import { trendPlot } from '../trends/trend-plot.js';
import { patientOverview, patientSeries } from './api.js';
import '../pages/trends.css';
import { dayWords } from './words.js';

/*
 * The patient's trends as the clinician sees them: the trends page's model, chart and words, fed by the
 * overview and series endpoints with `?patient=` (the trends page's hooks read the signed-in user's own
 * data and take no patient, so they are wrapped here rather than changed).
 */

/** One hand's chart with its summary in words and its table. */
function HandChart({ hand, series, width }: { hand: string; series: TrendSeries; width: number }) {
  const { metric, change } = series;
  const label = metricLabel(metric.task, metric.id);
  const points = useMemo(
    () => judgePoints(metric as Parameters<typeof judgePoints>[0], series.points),
    [metric, series.points],
  );
  const runs = useMemo(() => setupRuns(points), [points]);
  const format = useCallback((value: number) => formatMetricValue(value, metric.unit), [metric.unit]);
  const summary = trendSummary({
    label,
    hand: handWords(hand),
    logScale: metric.logScale,
    points,
    runs,
    change,
    events: [],
    format,
    date: (time: number) => dayWords(new Date(time).toISOString()),
    audience: 'clinician',
  });
  const yLabel = `${label}${metric.unit === '1' ? '' : ` (${metric.unit})`}`;
  const make = useCallback(
    () => trendPlot(points, runs, [], { width, logScale: metric.logScale, yLabel }),
    [points, runs, width, metric.logScale, yLabel],
  );
  return (
    <section className="panel trends__hand" aria-label={`${label}, ${handWords(hand)}`}>
      <h3>{capitalise(handWords(hand))}</h3>
      <SpiralPlot
        title={`${label} over time, ${handWords(hand)}`}
        summary={`${summary.shows} ${summary.baseline} ${summary.latest}`}
        make={make}
        className="trends__plot"
      />
      <p className="trends__change">{summary.change}</p>
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
              <th scope="col">Compared with the baseline</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.id}>
                <th scope="row">{dayWords(new Date(point.time).toISOString())}</th>
                <td>{formatMetricValue(point.value, metric.unit)}</td>
                <td>{STATUS_WORDS[point.status]}</td>
                <td>{point.flags.length ? `Quality notes: ${flagsWords(point.flags)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableToggle>
    </section>
  );
}

/** The patient's trends: choose a task and measure, one chart per hand. */
export function PatientOverview({ patientId }: { patientId: string }) {
  const [overview, setOverview] = useState<Load<OverviewItem[]>>({ state: 'loading' });
  const [task, setTask] = useState<string | null>(null);
  const [metricId, setMetricId] = useState<string | null>(null);
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { ref, width } = useChartWidth();

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
        return <HandChart key={hand} hand={hand} series={load.value} width={width} />;
      })}
      <p className="trends__caution">
        These charts compare the patient’s measurements over time; they describe change, not its cause, and
        are not a diagnosis.
      </p>
    </div>
  );
}
