import {
  analyzeRecording,
  CHANGE_CAUTION,
  computeChange,
  HEADLINE_METRICS,
  metricCatalogue,
  recordingSetupKey,
  type AnalysisOutput,
  type ChangeResult,
  type Recording,
} from '@dystrack/core';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { getMetricSeries } from '../api/endpoints.js';
import type { MetricSeries } from '../api/types.js';
import { flagsWords } from '../format.js';
import { errorMessage } from './form-helpers.js';

/** The spiral drawing and its charts: loaded only for spiral recordings (Observable Plot stays out of other results). */
const SpiralResults = lazy(async () => ({ default: (await import('./spiral-results.js')).SpiralResults }));
/** The scale's note-by-note plots: loaded only for scale recordings. */
const ScaleResults = lazy(async () => ({ default: (await import('./scale-results.js')).ScaleResults }));
/** What a tremor position measured and its further measures: loaded only for tremor recordings. */
const TremorResults = lazy(async () => ({ default: (await import('./tremor-results.js')).TremorResults }));

/** How a value is shown: three significant digits, whole numbers for counts, with its unit. */
export function formatMetricValue(value: number | null, unit: string): string {
  if (value === null) return 'not available';
  if (unit === 'count') return String(Math.round(value));
  const abs = Math.abs(value);
  const number = abs >= 1000 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  if (unit === '1') return number;
  if (unit === '%') return `${number} %`;
  return `${number} ${unit}`;
}

/** A number of ms in words: `0.005 ms`, `1 ms`, `8 ms`. */
function msWords(ms: number): string {
  return `${Number(ms.toPrecision(2))} ms`;
}

/**
 * What the person should know about how precisely this device and browser timed the session
 * (measures.md 9.5), in plain sentences: the clock's resolution, a page that was not isolated, a page
 * that went to the background, and the keyboard's polling. Empty when nothing limited the precision.
 */
export function setupNotes(recording: Pick<Recording, 'timing'>): string[] {
  const { resolutionMs, crossOriginIsolated, hiddenCount, hiddenMs, pollingEstimateHz } = recording.timing;
  const notes: string[] = [];
  if (resolutionMs === null) {
    notes.push('The browser’s clock could not be checked, so the precision of the times is not known.');
  } else if (resolutionMs >= 1) {
    notes.push(
      `This browser gives times only to the nearest ${msWords(resolutionMs)} (a privacy setting can cause this), so hold times and intervals are less precise than usual.`,
    );
  } else if (!crossOriginIsolated && resolutionMs >= 0.1) {
    notes.push(
      `The page ran without its usual isolation, so the browser gave times to ${msWords(resolutionMs)} instead of a few thousandths of a millisecond; that is still precise enough for these results.`,
    );
  }
  if (hiddenCount > 0) {
    notes.push(
      `The page went to the background ${hiddenCount === 1 ? 'once' : `${hiddenCount} times`} (${Math.round(hiddenMs / 100) / 10} s in all) during the task; the browser may have delayed events then, so compare this session with care.`,
    );
  }
  if (pollingEstimateHz !== null && pollingEstimateHz <= 250) {
    const period = 1000 / pollingEstimateHz;
    notes.push(
      `Your keyboard reports keys about every ${msWords(period)} (${pollingEstimateHz} times a second), so each key time can be up to ${msWords(period)} late; small changes from one session to the next may come from this, and using the same keyboard every time keeps results comparable.`,
    );
  }
  return notes;
}

/** The analysis of a recording in the browser, or why it could not be made. */
function useAnalysis(recording: Recording): { output: AnalysisOutput } | { error: string } {
  return useMemo(() => {
    try {
      return { output: analyzeRecording(recording) };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }, [recording]);
}

type Comparison =
  { state: 'loading' } | { state: 'unavailable'; reason: string } | { state: 'ready'; change: ChangeResult };

/** The timing self-check of the session, in words, when the setup limited its precision. */
function SetupNotes({ recording }: { recording: Recording }) {
  const notes = setupNotes(recording);
  return (
    <div className="results__setup">
      <h3>How precisely this device measured</h3>
      {notes.length === 0 ? (
        <p>
          The browser timed every key and touch to {msWords(recording.timing.resolutionMs ?? 0)} or better;
          nothing on this device limited the precision.
        </p>
      ) : (
        <ul>
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The results of a session, right after it: the task's headline metrics computed in the browser by the
 * one analysis core (the server computes the same from the stored recording), each with what it means,
 * and compared with the person's earlier sessions of the same task and hand by the core's change module.
 */
export function SessionResults({
  recording,
  fetchSeries = getMetricSeries,
}: {
  recording: Recording;
  fetchSeries?: typeof getMetricSeries;
}) {
  const analysis = useAnalysis(recording);
  // the headline metrics this recording has a value for (no beat spread without a metronome, …); a
  // comparison of the hands only for a run with both hands
  const headlines = useMemo(
    () =>
      'output' in analysis
        ? HEADLINE_METRICS[recording.taskId].filter(
            (h) => analysis.output.metrics[h.id] != null && (!h.bothHandsOnly || recording.hand === 'both'),
          )
        : [],
    [analysis, recording.taskId, recording.hand],
  );
  const definitions = useMemo(
    () => new Map(metricCatalogue(recording.taskId).map((d) => [d.id, d])),
    [recording.taskId],
  );
  // the comparisons of this recording (those of an earlier recording are not shown)
  const [comparisons, setComparisons] = useState<{ id: string; byMetric: Record<string, Comparison> }>({
    id: recording.id,
    byMetric: {},
  });

  useEffect(() => {
    if (!('output' in analysis)) return undefined;
    const controller = new AbortController();
    const current = {
      value: null as number | null,
      time: Date.parse(recording.startedAt),
      setupKey: recordingSetupKey(recording),
      flags: [...new Set([...analysis.output.quality_flags, ...recording.flags])],
      id: recording.id,
    };
    const settle = (metricId: string, comparison: Comparison) =>
      setComparisons((all) => ({
        id: recording.id,
        byMetric: { ...(all.id === recording.id ? all.byMetric : {}), [metricId]: comparison },
      }));
    for (const headline of headlines) {
      const definition = definitions.get(headline.id);
      if (!definition) continue;
      const compare = (series: MetricSeries): Comparison => {
        const sessions = series.points
          .filter((p) => p.recordingId !== recording.id)
          .map((p) => ({
            id: p.recordingId,
            time: Date.parse(p.startedAt),
            value: p.value,
            flags: p.flags,
            setupKey: p.setupKey,
          }));
        const value = analysis.output.metrics[headline.id] ?? null;
        return {
          state: 'ready',
          change: computeChange(definition, sessions, { current: { ...current, value } }),
        };
      };
      fetchSeries(headline.id, { task: recording.taskId, hand: recording.hand }, controller.signal).then(
        (series) => settle(headline.id, compare(series)),
        (error: unknown) => {
          if (!controller.signal.aborted)
            settle(headline.id, { state: 'unavailable', reason: errorMessage(error) });
        },
      );
    }
    return () => controller.abort();
  }, [analysis, recording, headlines, definitions, fetchSeries]);

  if ('error' in analysis) {
    return (
      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">Your results</h2>
        <p role="status">
          No numbers could be computed from this recording: {analysis.error.replace(/([^.!?])$/, '$1.')} The
          recording itself is kept.
        </p>
      </section>
    );
  }
  const { output } = analysis;
  return (
    <section className="panel results" aria-labelledby="results-heading">
      <h2 id="results-heading">Your results</h2>
      {headlines.length === 0 ? (
        <p role="status">This recording has too little in it for the usual numbers.</p>
      ) : null}
      <dl className="results__list">
        {headlines.map((headline) => {
          const definition = definitions.get(headline.id);
          const value = output.metrics[headline.id] ?? null;
          const comparison =
            (comparisons.id === recording.id ? comparisons.byMetric[headline.id] : undefined) ??
            ({ state: 'loading' } as Comparison);
          return (
            <div className="results__item" key={headline.id} data-metric={headline.id}>
              <dt>{headline.label}</dt>
              <dd>
                <p className="results__value">{formatMetricValue(value, definition?.unit ?? '1')}</p>
                <p className="results__meaning">{headline.meaning}</p>
                <p className="results__change">
                  {comparison.state === 'loading'
                    ? 'Comparing with your earlier sessions…'
                    : comparison.state === 'unavailable'
                      ? `No comparison with your earlier sessions now (${comparison.reason}).`
                      : `${comparison.change.wording.summary} ${comparison.change.wording.basis}`}
                </p>
              </dd>
            </div>
          );
        })}
      </dl>
      {recording.taskId === 'spiral' ? (
        <Suspense fallback={<p role="status">Drawing your spiral…</p>}>
          <SpiralResults recording={recording} output={output} />
        </Suspense>
      ) : null}
      {recording.taskId === 'scale' ? (
        <Suspense fallback={<p role="status">Drawing your scale…</p>}>
          <ScaleResults recording={recording} output={output} fetchSeries={fetchSeries} />
        </Suspense>
      ) : null}
      {recording.taskId === 'tremor' ? (
        <Suspense fallback={<p role="status">Reading your position…</p>}>
          <TremorResults recording={recording} output={output} fetchSeries={fetchSeries} />
        </Suspense>
      ) : null}
      <SetupNotes recording={recording} />
      {output.quality_flags.length > 0 ? (
        <p className="results__flags">Notes on this recording: {flagsWords(output.quality_flags)}.</p>
      ) : null}
      {output.quality_flags.includes('LATENCY_UNCALIBRATED') ? (
        <p className="results__sound-check">
          To see how far ahead of the beat you tap, run the{' '}
          <Link href="/sound-check">sound timing check</Link> once on this device before your next session.
        </p>
      ) : null}
      <p className="results__caution">{CHANGE_CAUTION}</p>
    </section>
  );
}
