import * as Plot from '@observablehq/plot';
import { getQuestionnaire, summarizeQuestionnaire, type QuestionnaireDefinition } from '@dystrack/core';
import { useCallback, useId } from 'react';
import type { Entry, QuestionnaireData } from '../api/records.js';
import { SpiralPlot } from '../components/spiral-plot.js';
import { dateTimeWords } from '../format.js';
import { dayWords } from './scales-entry-parts.js';
import { referenceWords } from './scales-reference.js';

/*
 * A saved questionnaire shown back: the total with its band and what it means, each answer, and the
 * earlier totals of the same questionnaire as a small trend with a text summary.
 */

/** What the range of a questionnaire's total means, in words. */
export function rangeWords(def: QuestionnaireDefinition): string | null {
  if (def.scoring.kind !== 'sum') return null;
  return (
    `The total runs from ${def.scoring.min} to ${def.scoring.max}: 0 means none of these problems, ` +
    'higher means they bothered you more often.'
  );
}

/** The bands of a sum score in words: "0–4 minimal, 5–9 mild, …". */
function bandsWords(def: QuestionnaireDefinition): string | null {
  if (def.scoring.kind !== 'sum') return null;
  return def.scoring.bands.map((band) => `${band.min}–${band.max} ${band.label.toLowerCase()}`).join(', ');
}

/** The headline of a stored response: "Total 12 of 27 (moderate)" or "Overall: Much better". */
export function responseHeadline(data: QuestionnaireData): string {
  const def = getQuestionnaire(data.questionnaireId);
  if (!def) return data.questionnaireId;
  try {
    return summarizeQuestionnaire(def, data.answers).headline;
  } catch {
    // answers stored under an older definition: the stored score still says it
    return data.score.total === null ? 'No total' : `Total ${data.score.total} of ${data.score.max}`;
  }
}

/** One saved response: score, band, meaning, note and every answer. */
export function QuestionnaireResult({
  data,
  headingLevel = 2,
}: {
  data: QuestionnaireData;
  headingLevel?: 2 | 3;
}) {
  const def = getQuestionnaire(data.questionnaireId);
  const titleId = useId();
  if (!def)
    return <p>This questionnaire ({data.questionnaireId}) is not known to this version of Dystrack.</p>;
  const summary = summarizeQuestionnaire(def, data.answers);
  const { score } = data;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="result" aria-labelledby={titleId}>
      <Heading id={titleId}>{def.title}</Heading>
      <p className="muted">Completed {dateTimeWords(data.completedAt)}</p>
      {data.reference ? <p>Compared with {referenceWords(data.reference)}</p> : null}
      <div className="score">
        {score.total === null ? (
          <p className="score__headline">No total: {score.noTotalReason}</p>
        ) : def.scoring.kind === 'sum' ? (
          <>
            <p className="score__headline">
              <span className="score__number">{score.total}</span>{' '}
              <span className="score__of">
                of {score.max}
                {score.prorated ? ' (estimated: one question was not answered)' : ''}
              </span>
            </p>
            {score.band ? (
              <p className="score__band">
                {score.band.label}{' '}
                <span className="muted">
                  (the range {score.band.min} to {score.band.max})
                </span>
              </p>
            ) : null}
            <p>{rangeWords(def)}</p>
          </>
        ) : (
          <p className="score__headline">{summary.headline}</p>
        )}
        {score.band ? <p className="score__meaning">{score.band.meaning}</p> : null}
        {def.scoring.kind === 'sum' ? (
          <p className="score__note">
            <strong>This is a screening score, not a diagnosis.</strong> If these answers worry you, or they
            stay like this, talk to your doctor.
          </p>
        ) : null}
        <p className="muted">{def.resultNote}</p>
        {def.scoring.kind === 'sum' ? <p className="muted">The ranges: {bandsWords(def)}.</p> : null}
      </div>
      <h3>Each answer</h3>
      <p className="muted">{def.stem}</p>
      <ol className="review">
        {summary.items.map((item) => (
          <li key={item.linkId} className="review__item">
            <p className="review__question">{item.prefix ? `${item.prefix}. ${item.text}` : item.text}</p>
            <p className={item.answer === null ? 'review__answer review__answer--none' : 'review__answer'}>
              {item.answer ?? 'Not answered'}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The totals of one questionnaire over time, oldest first, with their dates. */
function totalsOf(entries: readonly Entry<QuestionnaireData>[]): { date: Date; total: number }[] {
  return entries
    .filter((entry) => entry.data.score.total !== null)
    .map((entry) => ({ date: new Date(entry.data.completedAt), total: entry.data.score.total! }))
    .sort((a, b) => a.date.getTime() - b.date.getTime());
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A text summary of the trend, for everyone (the chart says the same). */
export function trendWords(
  def: QuestionnaireDefinition,
  entries: readonly Entry<QuestionnaireData>[],
): string {
  const totals = totalsOf(entries);
  if (totals.length === 0) return 'No total yet.';
  const max = def.scoring.kind === 'sum' ? def.scoring.max : 0;
  const first = totals[0]!;
  const latest = totals.at(-1)!;
  const latestBand =
    def.scoring.kind === 'sum'
      ? def.scoring.bands.find((band) => latest.total >= band.min && latest.total <= band.max)
      : undefined;
  const latestText = `latest ${latest.total} of ${max}${latestBand ? ` (${latestBand.label.toLowerCase()})` : ''}`;
  if (totals.length === 1)
    return `One total so far: ${latest.total} of ${max}${latestBand ? ` (${latestBand.label.toLowerCase()})` : ''}.`;
  const values = totals.map((t) => t.total);
  const list = totals.length <= 8 ? `: ${values.join(', ')}` : '';
  return (
    `${totals.length} totals from ${dayWords(localDay(first.date))} to ${dayWords(localDay(latest.date))}${list}; ` +
    `${latestText}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}. Higher means the problems ` +
    'bothered you more often.'
  );
}

/** The totals over time as a small chart (two totals or more) with its text summary. */
export function TotalsTrend({
  def,
  entries,
}: {
  def: QuestionnaireDefinition;
  entries: readonly Entry<QuestionnaireData>[];
}) {
  const scoring = def.scoring;
  const totals = totalsOf(entries);
  const key = totals.map((t) => `${t.date.getTime()}:${t.total}`).join(',');
  const make = useCallback(() => {
    if (scoring.kind !== 'sum') throw new Error('no totals');
    const points = key.split(',').map((pair) => {
      const [t, total] = pair.split(':');
      return { date: new Date(Number(t)), total: Number(total) };
    });
    const bandStarts = scoring.bands.slice(1);
    return Plot.plot({
      width: 640,
      height: 220,
      marginLeft: 48,
      marginRight: 130,
      marginBottom: 40,
      style: { background: 'transparent', fontSize: '14px' },
      x: { type: 'utc', label: null, ticks: 4 },
      y: { domain: [scoring.min, scoring.max], label: 'Total', grid: false, labelArrow: 'none' },
      marks: [
        Plot.ruleY(bandStarts, {
          y: (band: { min: number }) => band.min - 0.5,
          stroke: '#9aa3ae',
          strokeDasharray: '4 4',
        }),
        Plot.text(scoring.bands, {
          frameAnchor: 'right',
          dx: 125,
          y: (band: { min: number; max: number }) => (band.min + band.max) / 2,
          text: (band: { label: string }) => band.label,
          textAnchor: 'end',
          fill: '#4a5360',
        }),
        Plot.lineY(points, { x: 'date', y: 'total', stroke: '#1a4f8b', strokeWidth: 3 }),
        Plot.dot(points, { x: 'date', y: 'total', fill: '#1a4f8b', r: 5 }),
      ],
    });
  }, [key, scoring]);
  if (scoring.kind !== 'sum') return null;
  if (totals.length < 2) return <p>{trendWords(def, entries)}</p>;
  return (
    <SpiralPlot
      className="trend"
      title={`${def.id.toUpperCase()} totals over time`}
      summary={trendWords(def, entries)}
      make={make}
    />
  );
}
