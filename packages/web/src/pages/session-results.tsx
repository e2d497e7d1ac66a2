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
import { useEffect, useMemo, useState } from 'react';
import { getMetricSeries } from '../api/endpoints.js';
import type { MetricSeries } from '../api/types.js';
import { flagsWords } from '../format.js';
import { errorMessage } from './form-helpers.js';

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
          No numbers could be computed from this recording: {analysis.error} The recording itself is kept.
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
      {output.quality_flags.length > 0 ? (
        <p className="results__flags">Notes on this recording: {flagsWords(output.quality_flags)}.</p>
      ) : null}
      <p className="results__caution">{CHANGE_CAUTION}</p>
    </section>
  );
}
