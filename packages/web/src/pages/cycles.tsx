import { CHANGE_CAUTION, type ChangeMetric, type TreatmentInput } from '@dystrack/core';
import { useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { treatments as treatmentsApi } from '../api/records.js';
import { SpiralPlot } from '../components/spiral-plot.js';
import { useTitle } from '../components/use-title.js';
import { handWords } from '../format.js';
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
  SeriesLoad,
  handChoices,
} from '../trends/choose.js';
import {
  changeWords,
  cycleLengthDays,
  cycleStatements,
  cyclesSummary,
  cycleViews,
  effectOf,
  PHASE_SHORT,
  PHASE_WORDS,
  PHASES,
  toxinInjections,
  wholeDay,
  type CycleView,
  type ToxinInjection,
} from '../trends/cycles-model.js';
import { cycleStyle, cyclesPlot, PHASE_FILL } from '../trends/cycles-plot.js';
import { errorMessage } from './form-helpers.js';
import { formatMetricValue } from './session-results.js';
import './trends.css';
import './cycles.css';

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateWords = (time: number) => dateOnly.format(new Date(time));

/** The botulinum-toxin injections in the treatment log. */
function useInjections(): Load<ToxinInjection[]> {
  const [load, setLoad] = useState<Load<ToxinInjection[]>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    treatmentsApi.list({ limit: 500, type: 'botulinum-toxin' }, controller.signal).then(
      (page) =>
        setLoad({
          state: 'ready',
          value: toxinInjections(
            page.items.map((item) => ({ id: item.id, data: item.data as TreatmentInput })),
          ),
        }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoad({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, []);
  return load;
}

/** The hand shown first: the side of the latest injection, else the affected hand, else the first. */
function preferredHand(
  hands: readonly string[],
  injections: readonly ToxinInjection[],
  affected: string | null,
): string | null {
  const sides = [...new Set(injections.at(-1)?.muscles.map((m) => m.side) ?? [])];
  if (sides.length === 1 && hands.includes(sides[0]!)) return sides[0]!;
  if (affected && hands.includes(affected)) return affected;
  return hands[0] ?? null;
}

function Shell({ children }: { children: ReactNode }) {
  return (
    <div className="page trends cycles">
      <h1>Injection cycles</h1>
      {children}
    </div>
  );
}

/**
 * Botulinum-toxin cycles of one measure and hand overlaid on days since the injection, with each
 * cycle's onset, best effect and wearing off in words (measures.md 10.2).
 */
export function CyclesPage() {
  useTitle('Injection cycles');
  const { profile } = useSession();
  const choice = useMetricChoice();
  const { overview, tasks, chosenTask, metrics, chosenMetric, hands } = choice;
  const injections = useInjections();
  const [handChoice, setHandChoice] = useState<string | null>(null);
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { ref: pageRef, width } = useChartWidth();

  const affected =
    profile?.affectedHands === 'left' || profile?.affectedHands === 'right' ? profile.affectedHands : null;
  const logged = injections.state === 'ready' ? injections.value : [];
  const hand =
    handChoice !== null && hands.includes(handChoice) ? handChoice : preferredHand(hands, logged, affected);
  const key = `${chosenTask}/${chosenMetric}/${hand}`;

  useEffect(() => {
    if (!chosenTask || !chosenMetric || !hand || logged.length === 0) return undefined;
    const controller = new AbortController();
    getTrendSeries(chosenMetric, { task: chosenTask, hand }, controller.signal).then(
      (value) => setSeries((all) => ({ ...all, [key]: { state: 'ready', value } })),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setSeries((all) => ({ ...all, [key]: { state: 'error', message: errorMessage(error) } }));
      },
    );
    return () => controller.abort();
  }, [chosenTask, chosenMetric, hand, key, logged.length]);

  if (overview.state === 'loading' || injections.state === 'loading')
    return (
      <Shell>
        <p role="status">Loading your measurements and treatments…</p>
      </Shell>
    );
  const failed =
    overview.state === 'error' ? overview.message : injections.state === 'error' ? injections.message : null;
  if (failed !== null)
    return (
      <Shell>
        <div className="notice notice--error" role="alert">
          <p>Your injection cycles could not be loaded: {failed}</p>
          <p>Nothing you recorded is lost. Please try again later.</p>
        </div>
      </Shell>
    );
  if (logged.length === 0 || !chosenTask || !chosenMetric || !hand)
    return <EmptyCycles injections={logged.length} />;

  const load = series[key];
  const label = metricLabel(chosenTask, chosenMetric);
  return (
    <div className="page trends cycles" ref={pageRef}>
      <h1>Injection cycles</h1>
      <p>
        How a measure of your hand changed around each botulinum-toxin injection. Day 0 is the injection day;
        sessions on that day count as after the injection. Each cycle is compared with its own 14 days before
        the injection.
      </p>
      <p>
        <Link href="/trends">All your measurements over time</Link>
      </p>
      <MetricChooser
        name="cycles"
        tasks={tasks}
        task={chosenTask}
        onTask={choice.chooseTask}
        metrics={metrics}
        metric={chosenMetric}
        onMetric={choice.chooseMetric}
        handChoices={handChoices(hands, affected)}
        hand={hand}
        onHand={setHandChoice}
      />
      <SeriesLoad load={load}>
        {(value) => <Cycles series={value} label={label} hand={hand} injections={logged} width={width} />}
      </SeriesLoad>
      <p className="trends__caution">
        {CHANGE_CAUTION} Whether and how to continue a treatment is decided with your doctor; these
        measurements can help that conversation.
      </p>
    </div>
  );
}

/** What the page needs before it can show a cycle. */
function EmptyCycles({ injections }: { injections: number }) {
  return (
    <Shell>
      <section className="panel trends__empty" aria-labelledby="cycles-empty-heading">
        <h2 id="cycles-empty-heading">No injection cycles yet</h2>
        <p>
          This page compares your measurements before and after each botulinum-toxin injection. It needs two
          things:
        </p>
        <ol>
          <li>
            The injection in your treatment log.{' '}
            {injections === 0 ? 'No injection is logged yet.' : `${injections} logged so far.`}
          </li>
          <li>
            Recordings of the same task before and after it: at least 3 sessions in the 14 days before your
            next injection, and sessions in the weeks after it, with the same device and browser.
          </li>
        </ol>
        <p className="cycles__actions">
          <Link href="/treatments" className="button button--primary button--large">
            Log an injection
          </Link>
          <Link href="/" className="button button--secondary button--large">
            Choose a task to record
          </Link>
        </p>
      </section>
    </Shell>
  );
}

/** The chart, its summary and table, and one card per cycle. */
function Cycles({
  series,
  label,
  hand,
  injections,
  width,
}: {
  series: TrendSeries;
  label: string;
  hand: string;
  injections: readonly ToxinInjection[];
  width: number;
}) {
  const { metric } = series;
  const views = useMemo(
    () => cycleViews(metric as ChangeMetric, series.points, injections),
    [metric, series, injections],
  );
  const shown = useMemo(() => views.filter((v) => v.points.length > 0), [views]);
  const format = useCallback((value: number) => formatMetricValue(value, metric.unit), [metric.unit]);
  const yLabel = `${label}${metric.unit === '1' ? '' : ` (${metric.unit})`}`;
  const make = useCallback(
    () => cyclesPlot(shown, { width, logScale: metric.logScale, yLabel }),
    [shown, width, metric.logScale, yLabel],
  );

  if (!views.some((v) => v.hasAround))
    return (
      <section className="panel" aria-labelledby="cycles-none-heading">
        <h2 id="cycles-none-heading">Not enough sessions around an injection</h2>
        <p>
          None of your {injections.length === 1 ? 'injection' : `${injections.length} injections`} has a
          session of {label.toLowerCase()} with the {handWords(hand)} both in the 14 days before it and after
          it. Choose another task, measure or hand above, or record this task before and after your next
          injection: at least 3 sessions in the 14 days before it, and then every few days.
        </p>
      </section>
    );

  const summary = cyclesSummary(views, {
    label,
    hand: handWords(hand),
    logScale: metric.logScale,
    date: dateWords,
    styleWords: (index) => cycleStyle(index).words,
  });
  return (
    <>
      <section className="panel cycles__chart" aria-label={`${label}, ${handWords(hand)}, cycles overlaid`}>
        <h2>Cycles overlaid</h2>
        <CycleLegend views={shown} />
        <SpiralPlot
          title={`${label} by days since each injection, ${handWords(hand)}`}
          summary={summary}
          make={make}
          className="trends__plot"
        />
        <p className="trends__meaning">
          <strong>What this measures:</strong> {metricMeaning(metric)}
        </p>
        <TableToggle>
          <CyclesTable views={shown} label={label} hand={hand} logScale={metric.logScale} format={format} />
        </TableToggle>
      </section>
      <h2 className="cycles__cards-heading">Each injection</h2>
      {views.map((view) => (
        <CycleCard key={view.injection.date} view={view} metric={metric} format={format} />
      ))}
    </>
  );
}

/** Each cycle's line and symbol with its injection date, and the phase shading. */
function CycleLegend({ views }: { views: readonly CycleView[] }) {
  const symbol = (shape: string, color: string) => {
    if (shape === 'square') return <rect x="20" y="5" width="10" height="10" fill={color} />;
    if (shape === 'triangle') return <path d="M25 4 L31 15 L19 15 Z" fill={color} />;
    if (shape === 'diamond') return <path d="M25 3 L31 10 L25 17 L19 10 Z" fill={color} />;
    if (shape === 'star')
      return <path d="M25 3 L27 8 L32 8 L28 11 L30 16 L25 13 L20 16 L22 11 L18 8 L23 8 Z" fill={color} />;
    if (shape === 'cross') return <path d="M23 4 h4 v4 h4 v4 h-4 v4 h-4 v-4 h-4 v-4 h4 Z" fill={color} />;
    return <circle cx="25" cy="10" r="5" fill={color} />;
  };
  return (
    <div className="cycles__legend">
      <ul aria-label="Cycles">
        {views.map((view) => {
          const style = cycleStyle(view.index);
          return (
            <li key={view.injection.date}>
              <svg width="50" height="20" viewBox="0 0 50 20" aria-hidden="true" focusable="false">
                <line
                  x1="0"
                  y1="10"
                  x2="50"
                  y2="10"
                  stroke={style.color}
                  strokeWidth="3"
                  strokeDasharray={style.dash ?? undefined}
                />
                {symbol(style.symbol, style.color)}
              </svg>
              Injection on {dateWords(view.injection.time)}
            </li>
          );
        })}
      </ul>
      <ul aria-label="Phases">
        {PHASES.map((phase) => (
          <li key={phase}>
            <span
              className="cycles__phase-swatch"
              style={{ background: PHASE_FILL[phase] }}
              aria-hidden="true"
            />
            {capitalise(PHASE_WORDS[phase])}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every session of every cycle, by cycle. */
function CyclesTable({
  views,
  label,
  hand,
  logScale,
  format,
}: {
  views: readonly CycleView[];
  label: string;
  hand: string;
  logScale: boolean;
  format: (value: number) => string;
}) {
  return (
    <table className="trends__table">
      <caption>
        {label}, {handWords(hand)}: every session around each injection
      </caption>
      <thead>
        <tr>
          <th scope="col">Injection</th>
          <th scope="col">Session</th>
          <th scope="col">Day</th>
          <th scope="col">Phase</th>
          <th scope="col">Value</th>
          <th scope="col">Compared with before the injection</th>
        </tr>
      </thead>
      <tbody>
        {views.flatMap((view) =>
          view.points.map((point) => {
            const effect = effectOf(view, point);
            let compared: string;
            if (point.excluded) compared = 'Left out of the statistics (quality notes)';
            else if (point.phase === 'pre') compared = 'Part of the level before the injection';
            else if (!effect || effect.change === null || view.effects.basis === 'insufficient')
              compared = 'Too few sessions before the injection to compare';
            else
              compared = `${capitalise(changeWords(effect.change, { logScale, formatValue: format }))}: ${
                effect.changeIsReliable
                  ? `reliable change, ${effect.direction}`
                  : 'within day-to-day variation'
              }`;
            return (
              <tr key={`${view.index}-${point.id}`}>
                <td>{dateWords(view.injection.time)}</td>
                <th scope="row">{dateWords(point.time)}</th>
                <td>{String(wholeDay(point.day)).replace('-', '−')}</td>
                <td>{PHASE_SHORT[point.phase]}</td>
                <td>{format(point.value)}</td>
                <td>{compared}</td>
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}

/** One injection: what was injected, the sessions per phase, and what they show in words. */
function CycleCard({
  view,
  metric,
  format,
}: {
  view: CycleView;
  metric: TrendSeries['metric'];
  format: (value: number) => string;
}) {
  const statements = cycleStatements(view, metric as ChangeMetric, format, dateWords);
  const { injection, counts } = view;
  const headingId = useId();
  const length = cycleLengthDays(view);
  const style = cycleStyle(view.index);
  const flagged = PHASES.reduce((sum, phase) => sum + counts[phase].flagged, 0);
  return (
    <section className="panel cycles__card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <svg width="40" height="14" viewBox="0 0 40 14" aria-hidden="true" focusable="false">
          <line
            x1="0"
            y1="7"
            x2="40"
            y2="7"
            stroke={style.color}
            strokeWidth="3"
            strokeDasharray={style.dash ?? undefined}
          />
        </svg>
        Injection on {dateWords(injection.time)}
      </h3>
      <dl className="cycles__facts">
        <dt>Product</dt>
        <dd>{injection.products.join('; ')}</dd>
        <dt>Total dose</dt>
        <dd>
          {injection.doses.map((d) => `${Number(d.units.toPrecision(6))} units of ${d.product}`).join('; ')}
          {injection.doses.length > 1 ? ' (units of different products cannot be added up)' : ''}
        </dd>
        <dt>Muscles</dt>
        <dd>
          <ul className="cycles__muscles">
            {injection.muscles.map((m, i) => (
              <li key={i}>
                {m.muscle}, {m.side}: {Number(m.units.toPrecision(6))} units
              </li>
            ))}
          </ul>
        </dd>
        <dt>Cycle</dt>
        <dd>
          {length === null
            ? 'Your latest injection: the cycle is still running.'
            : `${length} days until the next injection.`}
        </dd>
        <dt>Sessions</dt>
        <dd>
          {PHASES.map((phase) => `${PHASE_SHORT[phase]}: ${counts[phase].used}`).join(', ')}
          {flagged ? `; ${flagged} more left out for quality notes` : ''}.
        </dd>
      </dl>
      <h4>What the sessions show</h4>
      <dl className="cycles__statements">
        <dt>Before the injection</dt>
        <dd>{statements.before}</dd>
        <dt>Best effect</dt>
        <dd>{statements.best}</dd>
        <dt>Onset</dt>
        <dd>{statements.onset}</dd>
        <dt>Wearing off</dt>
        <dd>{statements.wearingOff}</dd>
      </dl>
    </section>
  );
}
