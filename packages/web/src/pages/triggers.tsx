import {
  CONTEXT_AFTER_MS,
  CONTEXT_BEFORE_MS,
  triggerAssociations,
  type TriggerAssociation,
  type TriggerAssociations,
} from '@dystrack/core';
import { useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { listAllDiaryEntries, type DiaryEntry } from '../api/diary.js';
import { SpiralPlot } from '../components/spiral-plot.js';
import { useTitle } from '../components/use-title.js';
import { handWords } from '../format.js';
import { useSession } from '../session/session.js';
import { getTrendSeries, type MetricInfo, type TrendSeries } from '../trends/api.js';
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
import { triggerPlot, type TriggerPlotRow } from '../trends/trigger-plot.js';
import { errorMessage } from './form-helpers.js';
import './trends.css';
import './triggers.css';

const TITLE = 'Triggers and your measurements';

/** A number of percent in words, rounded to whole percent (one decimal below 1 %). */
function percent(value: number): string {
  const abs = Math.abs(value);
  return `${abs < 1 && abs > 0 ? abs.toFixed(1) : Math.round(abs)} %`;
}

/** The chart and table value of one compared trigger: % difference (log-scaled metrics) or the metric's unit. */
function shownInterval(association: TriggerAssociation): { estimate: number; low: number; high: number } {
  const e = association.estimate!;
  if (e.ratio)
    return {
      estimate: (e.ratio.estimate - 1) * 100,
      low: (e.ratio.low - 1) * 100,
      high: (e.ratio.high - 1) * 100,
    };
  return { estimate: e.difference, low: e.low, high: e.high };
}

/** An amount of a difference in the metric's unit, to 3 significant digits ("0.432 Hz", "3.5"). */
function amountWords(value: number, metric: MetricInfo): string {
  if (metric.logScale) return percent(value);
  const number = String(Number(Math.abs(value).toPrecision(3)));
  return metric.unit === '1' || metric.unit === 'count' ? number : `${number} ${metric.unit}`;
}

/** The difference rounds to nothing. */
const isZero = (value: number, metric: MetricInfo) => Number(amountWords(value, metric).split(' ')[0]) === 0;

/** A signed difference in words: "8 % higher", "0.4 Hz lower", "0". */
function differenceWords(value: number, metric: MetricInfo): string {
  if (isZero(value, metric)) return '0';
  return `${amountWords(value, metric)} ${value > 0 ? 'higher' : 'lower'}`;
}

/** An interval in words: "2 % to 15 % higher", "3 % lower to 15 % higher", "0 to 4 higher". */
function intervalWords(low: number, high: number, metric: MetricInfo): string {
  if (low > 0 && !isZero(low, metric))
    return `${amountWords(low, metric)} to ${differenceWords(high, metric)}`;
  if (high < 0 && !isZero(high, metric))
    return `${amountWords(high, metric)} to ${differenceWords(low, metric)}`;
  return `${differenceWords(low, metric)} to ${differenceWords(high, metric)}`;
}

/** The interval's label: "95 % interval, corrected for 7 triggers". */
function levelWords(result: TriggerAssociations): string {
  const family = `${Math.round(result.familyLevel * 100)} % interval`;
  return result.compared > 1 ? `${family}, corrected for ${result.compared} triggers` : family;
}

/** Which way is harder for the hand, said beside every difference. */
const DIRECTION_WORDS: Readonly<Record<MetricInfo['direction'], string>> = {
  'higher-worse': 'Higher values mean more difficulty for the hand.',
  'lower-worse': 'Lower values mean more difficulty for the hand.',
  neutral: 'Neither higher nor lower values are counted as better.',
};

const sessionsWords = (n: number) => `${n} session${n === 1 ? '' : 's'}`;

/** One compared trigger in a sentence, with what its interval means. */
function associationSentence(
  association: TriggerAssociation,
  result: TriggerAssociations,
  label: string,
  metric: MetricInfo,
): { finding: string; meaning: string } {
  const shown = shownInterval(association);
  const finding =
    `On days you noted ${association.trigger.presentWords}, your result for ${label.toLowerCase()} was ` +
    `${isZero(shown.estimate, metric) ? 'about the same as' : `${differenceWords(shown.estimate, metric)} than`} on days with ${association.trigger.absentWords} ` +
    `(${levelWords(result)}: ${intervalWords(shown.low, shown.high, metric)}), ` +
    `from ${sessionsWords(association.nPresent)} with it and ${sessionsWords(association.nAbsent)} without.`;
  const meaning = association.estimate!.excludesNoDifference
    ? 'The whole interval is on one side of "no difference": a difference this large is unlikely to be chance alone. It still does not show that this trigger causes it.'
    : 'The interval includes "no difference": with the sessions so far, this could be chance.';
  return { finding, meaning };
}

/** What a trigger without enough data still needs, in words. */
function neededWords(association: TriggerAssociation, minPerGroup: number): string {
  const { trigger, nPresent, nAbsent } = association;
  if (nPresent === 0 && nAbsent === 0)
    return `${capitalise(trigger.presentWords)}: not yet noted in your diary near a session. Needs at least ${minPerGroup} sessions with it and ${minPerGroup} without.`;
  const needs: string[] = [];
  if (nPresent < minPerGroup) needs.push(`${minPerGroup - nPresent} more with ${trigger.presentWords}`);
  if (nAbsent < minPerGroup) needs.push(`${minPerGroup - nAbsent} more with ${trigger.absentWords}`);
  return (
    `${capitalise(trigger.presentWords)}: ${sessionsWords(nPresent)} with it, ${sessionsWords(nAbsent)} without. ` +
    `Needs at least ${minPerGroup} of each: ${needs.join(' and ')}.`
  );
}

/** The diary entries (up to 2000), for pairing with sessions. */
function useDiary(): Load<DiaryEntry[]> {
  const [diary, setDiary] = useState<Load<DiaryEntry[]>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    listAllDiaryEntries({ maxPages: 4 }, controller.signal).then(
      (answer) => setDiary({ state: 'ready', value: answer.entries }),
      (error: unknown) => {
        if (!controller.signal.aborted) setDiary({ state: 'error', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, []);
  return diary;
}

/** The association of diary triggers with a chosen measure: sentences, an interval chart and a table. */
export function TriggersPage() {
  useTitle(TITLE);
  const { profile } = useSession();
  const choice = useMetricChoice();
  const { overview, tasks, chosenTask, metrics, chosenMetric, hands } = choice;
  const diary = useDiary();
  const [handChoice, setHandChoice] = useState<string | null>(null);
  const [series, setSeries] = useState<Record<string, Load<TrendSeries>>>({});
  const { ref: pageRef, width } = useChartWidth();

  const affected = profile?.affectedHands;
  const chosenHand =
    handChoice !== null && hands.includes(handChoice)
      ? handChoice
      : affected && hands.includes(affected)
        ? affected
        : (hands[0] ?? null);
  const key = `${chosenTask}/${chosenMetric}/${chosenHand}`;

  useEffect(() => {
    if (!chosenTask || !chosenMetric || !chosenHand) return undefined;
    const controller = new AbortController();
    getTrendSeries(chosenMetric, { task: chosenTask, hand: chosenHand }, controller.signal).then(
      (value) => setSeries((all) => ({ ...all, [key]: { state: 'ready', value } })),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setSeries((all) => ({ ...all, [key]: { state: 'error', message: errorMessage(error) } }));
      },
    );
    return () => controller.abort();
  }, [chosenTask, chosenMetric, chosenHand, key]);

  if (overview.state === 'loading' || diary.state === 'loading')
    return (
      <Frame>
        <p role="status">Loading your measurements and diary…</p>
      </Frame>
    );
  if (overview.state === 'error' || diary.state === 'error')
    return (
      <Frame>
        <div className="notice notice--error" role="alert">
          <p>
            Your {overview.state === 'error' ? 'measurements' : 'diary'} could not be loaded:{' '}
            {overview.state === 'error' ? overview.message : diary.state === 'error' ? diary.message : ''}
          </p>
          <p>Nothing you recorded is lost. Please try again later.</p>
        </div>
      </Frame>
    );
  if (!chosenTask || !chosenMetric || !chosenHand)
    return (
      <Frame>
        <EmptyState heading="No measurements yet">
          <p>
            This page compares your measurements on days with and without the triggers you note in your diary
            (stress, tiredness, sleep, caffeine, cold and others). It needs recorded sessions of a task, and
            diary entries on the same days.
          </p>
          <p>
            <Link href="/" className="button button--primary button--large">
              Choose a task to record
            </Link>
          </p>
        </EmptyState>
      </Frame>
    );
  if (diary.value.length === 0)
    return (
      <Frame>
        <EmptyState heading="No diary entries yet">
          <p>
            This page compares your measurements on days with and without the triggers you note in your diary.
            Your diary has no entries yet. Note your stress, tiredness, sleep, caffeine and the other triggers
            on the days you record a task; after some weeks there is enough to compare.
          </p>
          <p>
            <Link href="/diary" className="button button--primary button--large">
              Open the diary
            </Link>
          </p>
        </EmptyState>
      </Frame>
    );

  const load = series[key];
  return (
    <Frame pageRef={pageRef}>
      <MetricChooser
        name="triggers"
        tasks={tasks}
        task={chosenTask}
        onTask={choice.chooseTask}
        metrics={metrics}
        metric={chosenMetric}
        onMetric={choice.chooseMetric}
        handChoices={handChoices(hands, affected)}
        hand={chosenHand}
        onHand={setHandChoice}
      />
      <SeriesLoad load={load}>
        {(value) => (
          <TriggerResults
            series={value}
            diary={diary.value}
            label={metricLabel(chosenTask, chosenMetric)}
            hand={chosenHand}
            width={width}
          />
        )}
      </SeriesLoad>
      <Method />
    </Frame>
  );
}

/** The page's heading, introduction and caution around its content. */
function Frame({
  children,
  pageRef,
}: {
  children: ReactNode;
  pageRef?: (element: HTMLElement | null) => void;
}) {
  return (
    <div className="page trends triggers" ref={pageRef}>
      <h1>{TITLE}</h1>
      <p>
        Whether a measure of your hand was different on days you noted a trigger in your diary, such as high
        stress or short sleep, than on days without it.
      </p>
      <section className="notice notice--care triggers__caution" aria-labelledby="triggers-caution-heading">
        <h2 id="triggers-caution-heading">An association is not a cause</h2>
        <p>
          These comparisons show what went together in your own records, not what causes what. Other things
          change on the same days: a stressful week may also bring less sleep, more coffee and more writing.
        </p>
        <p>Talk to your doctor or therapist before you change a treatment or a medicine because of them.</p>
      </section>
      {children}
    </div>
  );
}

function EmptyState({ heading, children }: { heading: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel triggers__empty" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {children}
    </section>
  );
}

/** The comparisons for one measure and hand. */
function TriggerResults({
  series,
  diary,
  label,
  hand,
  width,
}: {
  series: TrendSeries;
  diary: readonly DiaryEntry[];
  label: string;
  hand: string;
  width: number;
}) {
  const { metric } = series;
  const result = useMemo(
    () =>
      triggerAssociations(
        series.points
          .filter((p) => !p.excluded && p.value !== null)
          .map((p) => ({ time: Date.parse(p.startedAt), value: p.value! })),
        diary.map((entry) => ({ at: entry.at, context: entry.data.context })),
        { logScale: metric.logScale },
      ),
    [series, diary, metric.logScale],
  );
  const compared = result.triggers.filter((t) => t.estimate);
  const waiting = result.triggers.filter((t) => !t.estimate);
  const rows = useMemo(
    (): TriggerPlotRow[] =>
      result.triggers
        .filter((t) => t.estimate)
        .map((t) => ({
          label: t.trigger.shortWords,
          ...shownInterval(t),
          clear: t.estimate!.excludesNoDifference,
        })),
    [result],
  );
  const xLabel = metric.logScale
    ? 'Difference (%)'
    : `Difference${metric.unit === '1' || metric.unit === 'count' ? '' : ` (${metric.unit})`}`;
  const make = useCallback(() => triggerPlot(rows, { width, xLabel }), [rows, width, xLabel]);
  const sentences = compared.map((t) => ({ t, ...associationSentence(t, result, label, metric) }));
  const clear = compared.filter((t) => t.estimate!.excludesNoDifference);
  const used = `${sessionsWords(result.pairedSessions)} of your ${handWords(hand)} had a diary note from the day before to two hours after them${
    result.unpairedSessions
      ? `; ${sessionsWords(result.unpairedSessions)} had none and ${result.unpairedSessions === 1 ? 'is' : 'are'} not used`
      : ''
  }.`;

  return (
    <section className="panel triggers__results" aria-labelledby="triggers-results-heading">
      <h2 id="triggers-results-heading">
        {label}, {handWords(hand)}
      </h2>
      <p>{used}</p>
      <p className="trends__meaning">
        <strong>What this measures:</strong> {metricMeaning(metric)} {DIRECTION_WORDS[metric.direction]}
      </p>
      {compared.length === 0 ? (
        <p className="triggers__none">
          No trigger can be compared yet: each needs at least {result.minPerGroup} sessions on days with it
          and {result.minPerGroup} on days without it. The list below says what each still needs.
        </p>
      ) : (
        <>
          <h3>What went together</h3>
          <ul className="triggers__list">
            {sentences.map(({ t, finding, meaning }) => (
              <li key={t.trigger.field}>
                <p className="triggers__finding">{finding}</p>
                <p className="triggers__meaning">{meaning}</p>
              </li>
            ))}
          </ul>
          <SpiralPlot
            title={`${label}: difference on days with each trigger (${levelWords(result)})`}
            summary={
              `Each row is a trigger: the dot is the difference on days with it, the line its interval, and the dashed line "no difference"; a filled dot's interval does not cross that line, a hollow dot's does. ` +
              (clear.length
                ? `The interval of ${clear.map((t) => t.trigger.shortWords.toLowerCase()).join(', ')} does not cross the dashed line.`
                : 'Every interval crosses the dashed line: no difference stands out from chance so far.')
            }
            make={make}
            className="trends__plot triggers__plot"
          />
          <TableToggle>
            <table className="trends__table">
              <caption>
                {label}, {handWords(hand)}: difference on days with each trigger, {levelWords(result)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Trigger</th>
                  <th scope="col">Sessions with / without</th>
                  <th scope="col">Difference</th>
                  <th scope="col">Interval</th>
                </tr>
              </thead>
              <tbody>
                {compared.map((t) => {
                  const shown = shownInterval(t);
                  return (
                    <tr key={t.trigger.field}>
                      <th scope="row">{capitalise(t.trigger.presentWords)}</th>
                      <td>
                        {t.nPresent} / {t.nAbsent}
                      </td>
                      <td>
                        {isZero(shown.estimate, metric)
                          ? 'About the same'
                          : differenceWords(shown.estimate, metric)}
                      </td>
                      <td>{intervalWords(shown.low, shown.high, metric)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableToggle>
        </>
      )}
      {waiting.length ? (
        <>
          <h3>Not enough data yet</h3>
          <ul className="triggers__waiting">
            {waiting.map((t) => (
              <li key={t.trigger.field}>{neededWords(t, result.minPerGroup)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** How the comparisons are worked out, behind a disclosure. */
function Method() {
  const hours = (ms: number) => ms / 3_600_000;
  return (
    <details className="panel triggers__method">
      <summary>How this is worked out</summary>
      <ul>
        <li>
          Each session takes the triggers from your diary: for each trigger, the latest value you noted from{' '}
          {hours(CONTEXT_BEFORE_MS)} hours before the session to {hours(CONTEXT_AFTER_MS)} hours after it.
          Sessions left out for quality notes are not used.
        </li>
        <li>
          For each trigger the sessions are split in two: with the trigger (for example stress 6 of 10 or
          more, or less than 6 hours of sleep) and without it. A trigger is compared only when each group has
          at least 5 sessions.
        </li>
        <li>
          The difference is between the averages of the two groups. For measures of variability and size,
          which change by proportion, the averages are geometric and the difference is a percentage.
        </li>
        <li>
          The interval comes from Welch&apos;s t-test. Because several triggers are compared at once, each
          interval is widened (Bonferroni correction) so that all of them together hold the true differences
          with 95 % probability. The more triggers are compared, the wider each interval.
        </li>
        <li>
          Sessions on the same day share a diary note, so they are not fully independent, and triggers often
          come together. Both can make a difference look clearer than it is.
        </li>
      </ul>
    </details>
  );
}
