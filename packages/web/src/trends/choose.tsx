import { HEADLINE_METRICS, type TaskId } from '@dystrack/core';
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { RadioGroup } from '../components/form.js';
import { handWords } from '../format.js';
import { errorMessage } from '../pages/form-helpers.js';
import { taskTitle } from '../pages/recordings.js';
import { getMetricsOverview, type MetricInfo, type OverviewItem } from './api.js';

/*
 * What the pages about measurements over time share: choosing a task, a measure and a hand from the
 * metrics overview, the measure's name and meaning in plain words, and the width a chart is drawn at.
 */

/** The order hands are shown in. */
export const HANDS = ['left', 'right', 'both'];

export type Load<T> =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A metric's label in plain words: the headline label where there is one, else its id spelled out. */
export function metricLabel(task: string, metricId: string): string {
  const headline = HEADLINE_METRICS[task as TaskId]?.find((h) => h.id === metricId);
  if (headline) return headline.label;
  const words = metricId.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the metric measures and which way is easier for the hand. */
export function metricMeaning(metric: MetricInfo): string {
  return (
    HEADLINE_METRICS[metric.task as TaskId]?.find((h) => h.id === metric.id)?.meaning ?? metric.definition
  );
}

/** The task's metrics with data: its headline metrics first, in their order, then the rest by label. */
export function metricsOf(items: readonly OverviewItem[], task: string): string[] {
  const ids = [...new Set(items.filter((i) => i.task === task).map((i) => i.metricId))];
  const headline = (HEADLINE_METRICS[task as TaskId] ?? []).map((h) => h.id);
  const rank = (id: string) => (headline.includes(id) ? headline.indexOf(id) : headline.length);
  return ids.sort((a, b) => rank(a) - rank(b) || metricLabel(task, a).localeCompare(metricLabel(task, b)));
}

/** The width a chart is drawn at: the width of the page's content (at most 1100 px), followed on resize. */
export function useChartWidth(): { ref: (element: HTMLElement | null) => void; width: number } {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    if (!element) return undefined;
    // less the panel's padding and border (2 × 1.5 rem + 2 px)
    const measure = () => setWidth(Math.max(280, Math.min(1100, Math.floor(element.clientWidth - 52))));
    measure();
    globalThis.addEventListener('resize', measure);
    return () => globalThis.removeEventListener('resize', measure);
  }, [element]);
  return { ref: setElement, width };
}

/** The metrics overview and the chosen task and measure (the first of each until one is chosen). */
export function useMetricChoice() {
  const [overview, setOverview] = useState<Load<OverviewItem[]>>({ state: 'loading' });
  const [task, setTask] = useState<string | null>(null);
  const [metricId, setMetricId] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    getMetricsOverview(controller.signal).then(
      (answer) => setOverview({ state: 'ready', value: answer.items }),
      (error: unknown) => {
        if (!controller.signal.aborted) setOverview({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, []);

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
  return {
    overview,
    tasks,
    chosenTask,
    metrics,
    chosenMetric,
    hands,
    /** Chooses a task, and its first measure. */
    chooseTask: (value: string) => {
      setTask(value);
      setMetricId(null);
    },
    chooseMetric: setMetricId,
  };
}

/** The task, measure and hand choosers (the hand only when there is more than one choice). */
export function MetricChooser({
  name,
  tasks,
  task,
  onTask,
  metrics,
  metric,
  onMetric,
  handChoices,
  hand,
  onHand,
}: {
  /** Prefix of the radio groups' names, unique on the page. */
  name: string;
  tasks: readonly string[];
  task: string;
  onTask: (task: string) => void;
  metrics: readonly string[];
  metric: string;
  onMetric: (metric: string) => void;
  handChoices: readonly { value: string; label: string }[];
  hand: string;
  onHand: (hand: string) => void;
}) {
  const metricSelectId = useId();
  return (
    <form className="trends__choose" onSubmit={(event) => event.preventDefault()}>
      <RadioGroup
        legend="Task"
        name={`${name}-task`}
        choices={tasks.map((t) => ({ value: t, label: taskTitle(t) }))}
        value={task}
        onChange={onTask}
      />
      <div className="field">
        <label htmlFor={metricSelectId}>Measure</label>
        <select
          id={metricSelectId}
          className="trends__select"
          value={metric}
          onChange={(event) => onMetric(event.target.value)}
        >
          {metrics.map((id) => (
            <option key={id} value={id}>
              {metricLabel(task, id)}
            </option>
          ))}
        </select>
      </div>
      {handChoices.length > 1 ? (
        <RadioGroup
          legend="Hand"
          name={`${name}-hand`}
          choices={[...handChoices]}
          value={hand}
          onChange={onHand}
        />
      ) : null}
    </form>
  );
}

/**
 * A "Show as table" button and, when it is pressed, the chart's data as a table (for screen-reader and
 * keyboard users, and anyone who would rather read the numbers); the table is rendered only when open.
 */
export function TableToggle({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((shown) => !shown)}
      >
        {open ? 'Hide the table' : 'Show as table'}
      </button>
      <div id={id} hidden={!open} className="trends__table-scroll">
        {open ? children : null}
      </div>
    </>
  );
}

/** What a page shows while a measure's series loads, if it fails, and then `children(value)`. */
export function SeriesLoad<T>({
  load,
  children,
}: {
  load: Load<T> | undefined;
  children: (value: T) => ReactNode;
}) {
  if (!load || load.state === 'loading') return <p role="status">Loading…</p>;
  if (load.state === 'error')
    return (
      <p className="notice notice--error" role="alert">
        This measure could not be loaded: {load.message}
      </p>
    );
  return <>{children(load.value)}</>;
}

/** The hand choices of a chooser, the affected hand named as such. */
export function handChoices(hands: readonly string[], affected: string | null | undefined) {
  return hands.map((hand) => ({
    value: hand,
    label: `${capitalise(handWords(hand))}${hand === affected ? ' (affected)' : ''}`,
  }));
}
