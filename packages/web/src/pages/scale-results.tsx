import * as Plot from '@observablehq/plot';
import {
  analyzeRecording,
  computeChange,
  metricCatalogue,
  recordingSetupKey,
  scaleFromRecording,
  scaleProfile,
  type AnalysisOutput,
  type ChangeResult,
  type Recording,
  type ScaleDirectionProfile,
} from '@dystrack/core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { getMetricSeries } from '../api/endpoints.js';
import type { MetricSeries } from '../api/types.js';
import { errorMessage } from './form-helpers.js';
import { formatMetricValue } from './session-results.js';

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** A MIDI pitch in scientific pitch notation (60 → C4, middle C). */
export function noteName(pitch: number): string {
  return `${NOTE_NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** Milliseconds in words: one decimal below 10 ms, whole numbers above. */
function ms(value: number): string {
  const abs = Math.abs(value);
  return `${abs < 10 ? abs.toFixed(1) : Math.round(abs)} ms`;
}

/** The smallest and largest of many values (no argument spread: a long recording has tens of thousands). */
function range(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/** The index of the largest (or smallest) value. */
function argExtreme(values: readonly number[], sign: 1 | -1): number {
  let best = 0;
  values.forEach((v, k) => {
    if (sign * v > sign * values[best]!) best = k;
  });
  return best;
}

/** "Right hand, going up" / "Going up". */
function groupTitle(profile: ScaleDirectionProfile, withHand: boolean): string {
  const direction = profile.direction === 'up' ? 'going up' : 'going down';
  if (!withHand || !profile.hand) return direction[0]!.toUpperCase() + direction.slice(1);
  return `${profile.hand === 'left' ? 'Left' : 'Right'} hand, ${direction}`;
}

function runsWords(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}

/** Note k of a run in words: "note 8 (C5)". */
function noteWords(profile: ScaleDirectionProfile, k: number): string {
  const pitch = profile.pitches?.[k];
  return `note ${k + 1}${pitch === undefined ? '' : ` (${noteName(pitch)})`}`;
}

/** The text summary of the deviation profile, for everyone (and the screen reader's only view of the plot). */
export function profileSummary(profile: ScaleDirectionProfile, withHand = false): string {
  const title = groupTitle(profile, withHand);
  const { deviation, runs } = profile;
  if (!deviation) return `${title}: no run was played correctly.`;
  const late = argExtreme(deviation.mean, 1);
  const early = argExtreme(deviation.mean, -1);
  const clauses: string[] = [];
  if (deviation.mean[late]! > 0) {
    clauses.push(`most late at ${noteWords(profile, late)}, ${ms(deviation.mean[late]!)}`);
  }
  if (deviation.mean[early]! < 0) {
    clauses.push(`most early at ${noteWords(profile, early)}, ${ms(deviation.mean[early]!)}`);
  }
  const where = clauses.length > 0 ? clauses.join('; ') : 'every note on the steady line';
  const widest = deviation.sd ? argExtreme(deviation.sd, 1) : 0;
  const spread =
    deviation.sd && profile.trialSdMs !== null
      ? ` From run to run your timing varied by ${ms(profile.trialSdMs)} on average, most at ${noteWords(profile, widest)}: ${ms(deviation.sd[widest]!)}.`
      : ' With one run there is no run-to-run variation to show.';
  return `${title}, ${runsWords(runs.length)}: ${where}.${spread}`;
}

/** The text summary of the IOIs. */
export function ioiSummary(
  profile: ScaleDirectionProfile,
  targetMs: number | null,
  withHand = false,
): string {
  const title = groupTitle(profile, withHand);
  const { ioi, runs } = profile;
  if (!ioi || profile.ioiMeanMs === null || profile.ioiSdMs === null) {
    return `${title}: no run was played correctly.`;
  }
  const [shortest, longestIoi] = range(runs.flatMap((r) => r.ioisMs));
  const longest = argExtreme(ioi.mean, 1);
  return (
    `${title}, ${runsWords(runs.length)}: ${ms(profile.ioiMeanMs)} from note to note on average` +
    (targetMs !== null ? ` (the metronome asked for ${ms(targetMs)})` : '') +
    `, between ${ms(shortest)} and ${ms(longestIoi)}; the longest step on average was from ${noteWords(profile, longest)} to the next, ${ms(ioi.mean[longest]!)}.` +
    ` Unevenness within a run (SD of the intervals): ${formatMetricValue(profile.ioiSdMs, 'ms')}.`
  );
}

/** The text summary of the velocities. */
export function velocitySummary(profile: ScaleDirectionProfile, withHand = false): string {
  const title = groupTitle(profile, withHand);
  const { velocity, runs } = profile;
  if (!velocity || profile.velocitySd === null) return `${title}: no run was played correctly.`;
  const [softestV, loudestV] = range(runs.flatMap((r) => r.velocities));
  const loud = argExtreme(velocity.mean, 1);
  const soft = argExtreme(velocity.mean, -1);
  const round = (v: number) => String(Math.round(v));
  return (
    `${title}, ${runsWords(runs.length)}: velocities from ${softestV} to ${loudestV}; ` +
    `loudest on average at ${noteWords(profile, loud)} (${round(velocity.mean[loud]!)}), softest at ${noteWords(profile, soft)} (${round(velocity.mean[soft]!)}).` +
    ` Spread within a run: ${formatMetricValue(profile.velocitySd, 'MIDI velocity')}.`
  );
}

/** Most runs drawn one by one in a plot (the average and the band always use every run). */
const MAX_RUNS_DRAWN = 60;

function drawnRuns<T>(runs: readonly T[]): T[] {
  if (runs.length <= MAX_RUNS_DRAWN) return [...runs];
  const step = runs.length / MAX_RUNS_DRAWN;
  return Array.from({ length: MAX_RUNS_DRAWN }, (_, i) => runs[Math.floor(i * step)]!);
}

/** A colour of the theme (read from the page's CSS variables), or the fallback outside a styled page. */
function themeColor(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

interface PlotSpec {
  /** A short name of the plot (the SVG's label). */
  label: string;
  options: Omit<Plot.PlotOptions, 'width'>;
}

/** Plot options shared by the scale plots: large text, transparent background, the theme's text colour. */
function baseOptions(xLabel: string, yLabel: string, count: number): Omit<Plot.PlotOptions, 'width'> {
  return {
    height: 260,
    marginLeft: 56,
    marginBottom: 44,
    style: { background: 'transparent', fontSize: '14px', overflow: 'visible' },
    x: {
      label: xLabel,
      labelAnchor: 'center',
      labelArrow: 'none',
      domain: [0.5, count + 0.5],
      ticks: Array.from({ length: count }, (_, i) => i + 1),
    },
    y: { label: yLabel, grid: true, labelArrow: 'none' },
  };
}

interface Point {
  k: number;
  value: number;
  run: number;
}

function runPoints(rows: readonly number[][]): Point[] {
  return rows.flatMap((row, run) => row.map((value, k) => ({ k: k + 1, value, run })));
}

function summaryPoints(mean: readonly number[], sd: readonly number[] | null) {
  return mean.map((m, k) => ({ k: k + 1, m, low: m - (sd?.[k] ?? 0), high: m + (sd?.[k] ?? 0) }));
}

/** Average line with a ±1 SD band (when there are 2 runs or more). */
function averageMarks(summary: { mean: number[]; sd: number[] | null }, color: string): Plot.Markish[] {
  const points = summaryPoints(summary.mean, summary.sd);
  return [
    summary.sd ? Plot.areaY(points, { x: 'k', y1: 'low', y2: 'high', fill: color, fillOpacity: 0.18 }) : null,
    Plot.lineY(points, { x: 'k', y: 'm', stroke: color, strokeWidth: 3 }),
    Plot.dot(points, { x: 'k', y: 'm', fill: color, r: 4 }),
  ];
}

function profileSpec(profile: ScaleDirectionProfile, color: string, muted: string): PlotSpec {
  const { deviation } = profile;
  return {
    label: `Timing fingerprint, ${groupTitle(profile, true).toLowerCase()}`,
    options: {
      ...baseOptions('Note of the run', '← early   ms   late →', 15),
      marks: [
        Plot.ruleY([0], { stroke: muted }),
        Plot.dot(runPoints(drawnRuns(profile.runs).map((r) => r.deviationsMs)), {
          x: 'k',
          y: 'value',
          stroke: color,
          strokeOpacity: 0.45,
          r: 2.5,
        }),
        ...(deviation ? averageMarks(deviation, color) : []),
      ],
    },
  };
}

function ioiSpec(
  profile: ScaleDirectionProfile,
  targetMs: number | null,
  color: string,
  muted: string,
): PlotSpec {
  return {
    label: `Time between notes, ${groupTitle(profile, true).toLowerCase()}`,
    options: {
      ...baseOptions('Step (from note k to the next)', 'ms', 14),
      marks: [
        targetMs !== null ? Plot.ruleY([targetMs], { stroke: muted, strokeDasharray: '6 4' }) : null,
        Plot.lineY(runPoints(drawnRuns(profile.runs).map((r) => r.ioisMs)), {
          x: 'k',
          y: 'value',
          z: 'run',
          stroke: color,
          strokeOpacity: 0.35,
          strokeWidth: 1.5,
        }),
        ...(profile.ioi ? averageMarks({ mean: profile.ioi.mean, sd: null }, color) : []),
      ],
    },
  };
}

function velocitySpec(profile: ScaleDirectionProfile, color: string): PlotSpec {
  return {
    label: `Velocity, ${groupTitle(profile, true).toLowerCase()}`,
    options: {
      ...baseOptions('Note of the run', 'velocity (1–127)', 15),
      marks: [
        Plot.dot(runPoints(drawnRuns(profile.runs).map((r) => r.velocities)), {
          x: 'k',
          y: 'value',
          stroke: color,
          strokeOpacity: 0.45,
          r: 2.5,
        }),
        ...(profile.velocity ? averageMarks(profile.velocity, color) : []),
      ],
    },
  };
}

/** One plot in a figure: drawn into the page at the figure's width; the caption is its text summary. */
function PlotFigure({ spec, caption, direction }: { spec: PlotSpec; caption: string; direction: string }) {
  const canvasRef = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const element = canvasRef.current;
    if (!element) return undefined;
    const measure = () => setWidth(Math.round(element.clientWidth / 20) * 20);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = canvasRef.current;
    if (!element) return undefined;
    const plotWidth = Math.min(760, Math.max(300, width || 600));
    const x = spec.options.x ?? {};
    // on a narrow screen every other note is labelled, so that the numbers do not run together
    const ticks = Array.isArray(x.ticks) && plotWidth < 520 ? x.ticks.filter((_, i) => i % 2 === 0) : x.ticks;
    const svg = Plot.plot({ ...spec.options, x: { ...x, ticks }, width: plotWidth, ariaLabel: spec.label });
    // one picture with a name, described by the caption: the marks inside are not read one by one
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-describedby', captionId);
    element.replaceChildren(svg);
    return () => svg.remove();
  }, [spec, width, captionId]);

  return (
    <figure className={`scale-plot scale-plot--${direction}`}>
      <div ref={canvasRef} className="scale-plot__canvas" />
      <figcaption id={captionId}>{caption}</figcaption>
    </figure>
  );
}

type Comparison =
  { state: 'loading' } | { state: 'unavailable'; reason: string } | { state: 'ready'; change: ChangeResult };

/** What each compared metric is called here. */
const COMPARED: Record<string, string> = {
  systematic_profile_rms_ms: 'Size of your timing pattern (average distance of the line from zero)',
  trial_to_trial_sd_ms: 'Run-to-run variation (width of the band)',
  ioi_sd_up_ms: 'Unevenness going up',
  ioi_sd_down_ms: 'Unevenness going down',
  velocity_sd: 'Unevenness of loudness',
};

/**
 * Each metric of `ids` that this recording has a value for, with its comparison with the person's earlier
 * sessions of the same task, hand and setup (the metric series of the server, the core change module),
 * as in the session results.
 */
function useComparisons(
  recording: Recording,
  output: AnalysisOutput | null,
  ids: readonly string[],
  fetchSeries: typeof getMetricSeries,
): Map<string, Comparison> {
  const [state, setState] = useState<{ id: string; byMetric: Record<string, Comparison> }>({
    id: recording.id,
    byMetric: {},
  });
  const key = ids.join(',');
  useEffect(() => {
    if (!output) return undefined;
    const controller = new AbortController();
    const definitions = new Map(metricCatalogue('scale').map((d) => [d.id, d]));
    const current = {
      time: Date.parse(recording.startedAt),
      setupKey: recordingSetupKey(recording),
      flags: [...new Set([...output.quality_flags, ...recording.flags])],
      id: recording.id,
    };
    const settle = (metricId: string, comparison: Comparison) =>
      setState((all) => ({
        id: recording.id,
        byMetric: { ...(all.id === recording.id ? all.byMetric : {}), [metricId]: comparison },
      }));
    for (const metricId of key.split(',').filter(Boolean)) {
      const definition = definitions.get(metricId);
      const value = output.metrics[metricId] ?? null;
      if (!definition || value === null) continue;
      const compare = (series: MetricSeries): Comparison => ({
        state: 'ready',
        change: computeChange(
          definition,
          series.points
            .filter((p) => p.recordingId !== recording.id)
            .map((p) => ({
              id: p.recordingId,
              time: Date.parse(p.startedAt),
              value: p.value,
              flags: p.flags,
              setupKey: p.setupKey,
            })),
          { current: { ...current, value } },
        ),
      });
      fetchSeries(metricId, { task: 'scale', hand: recording.hand }, controller.signal).then(
        (series) => settle(metricId, compare(series)),
        (error: unknown) => {
          if (!controller.signal.aborted)
            settle(metricId, { state: 'unavailable', reason: errorMessage(error) });
        },
      );
    }
    return () => controller.abort();
  }, [recording, output, key, fetchSeries]);
  return new Map(
    ids
      .filter((id) => output?.metrics[id] != null)
      .map((id) => [
        id,
        (state.id === recording.id ? state.byMetric[id] : undefined) ?? { state: 'loading' },
      ]),
  );
}

/** The compared metrics of one section: value, and how it compares with the earlier sessions. */
function Changes({ comparisons, output }: { comparisons: Map<string, Comparison>; output: AnalysisOutput }) {
  if (comparisons.size === 0) return null;
  const units = new Map(metricCatalogue('scale').map((d) => [d.id, d.unit]));
  return (
    <ul className="scale-results__changes">
      {[...comparisons].map(([id, comparison]) => (
        <li key={id} data-metric={id}>
          <strong>{COMPARED[id] ?? id}:</strong>{' '}
          <span className="scale-results__value">
            {formatMetricValue(output.metrics[id] ?? null, units.get(id) ?? 'ms')}
          </span>
          .{' '}
          {comparison.state === 'loading'
            ? 'Comparing with your earlier sessions…'
            : comparison.state === 'unavailable'
              ? `No comparison with your earlier sessions now (${comparison.reason}).`
              : `${comparison.change.wording.summary} ${comparison.change.wording.basis}`}
        </li>
      ))}
    </ul>
  );
}

type ScaleData =
  { error: string } | { output: AnalysisOutput; profiles: ScaleDirectionProfile[]; targetMs: number | null };

/** Ids of the metrics compared in each section. */
const PROFILE_METRICS = ['systematic_profile_rms_ms', 'trial_to_trial_sd_ms'] as const;
const IOI_METRICS = ['ioi_sd_up_ms', 'ioi_sd_down_ms'] as const;
const VELOCITY_METRICS = ['velocity_sd'] as const;

/**
 * The note-by-note results of a scale recording (measures.md 2.3): the timing fingerprint (deviation
 * profile m[k] with the run-to-run spread σ[k]) per direction, the time between notes over the run, and
 * the evenness of the velocities, each as a plot with a text summary and one sentence of what it means,
 * and compared with the person's earlier sessions where the metric series has them. Nothing for a
 * block D passage (the person's own passage holds no scale runs).
 */
export function ScaleResults({
  recording,
  output: given,
  fetchSeries = getMetricSeries,
}: {
  recording: Recording;
  /** The recording's analysis, when the caller has it already (else it is computed here). */
  output?: AnalysisOutput;
  fetchSeries?: typeof getMetricSeries;
}) {
  const data = useMemo<ScaleData>(() => {
    try {
      const output = given ?? analyzeRecording(recording);
      const input = scaleFromRecording(recording);
      return {
        output,
        profiles: scaleProfile(input, recording.hand),
        targetMs: input.tempoBpm !== null && input.tempoBpm > 0 ? 60_000 / (4 * input.tempoBpm) : null,
      };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }, [recording, given]);
  const output = 'output' in data ? data.output : null;
  const profileChanges = useComparisons(recording, output, PROFILE_METRICS, fetchSeries);
  const ioiChanges = useComparisons(recording, output, IOI_METRICS, fetchSeries);
  const velocityChanges = useComparisons(recording, output, VELOCITY_METRICS, fetchSeries);
  const specs = useMemo(() => {
    if (!('profiles' in data)) return [];
    const muted = themeColor('--muted', '#4a5360');
    return data.profiles
      .filter((p) => p.runs.length > 0)
      .map((profile) => {
        const color =
          profile.direction === 'up'
            ? themeColor('--scale-up', '#1a4f8b')
            : themeColor('--scale-down', '#9a3412');
        return {
          profile,
          key: `${profile.hand ?? ''}-${profile.direction}`,
          fingerprint: profileSpec(profile, color, muted),
          ioi: ioiSpec(profile, data.targetMs, color, muted),
          velocity: velocitySpec(profile, color),
        };
      });
  }, [data]);

  // a block D passage is measured against the person's own earlier passages, not against the scale
  if (recording.params.block === 'd-passage') return null;
  if ('error' in data) {
    return (
      <div className="scale-results">
        <h3>Your scale, note by note</h3>
        <p role="status">The note-by-note view could not be made: {data.error}</p>
      </div>
    );
  }
  const { output: analysis, profiles } = data;
  const withHand = recording.hand === 'both';
  const count = (direction: 'up' | 'down') =>
    profiles.filter((p) => p.direction === direction).reduce((n, p) => n + p.runs.length, 0);
  const correct = count('up') + count('down');
  const incorrect = withHand ? null : (analysis.metrics.incorrect_run_count ?? null);

  return (
    <div className="scale-results">
      <h3>Your scale, note by note</h3>
      <dl className="facts facts--compact scale-results__runs">
        <div data-metric="correct_run_count">
          <dt>Runs played correctly</dt>
          <dd>
            {correct} ({count('up')} going up, {count('down')} going down)
          </dd>
        </div>
        {incorrect !== null ? (
          <div data-metric="incorrect_run_count">
            <dt>Runs with a wrong, missing or extra note</dt>
            <dd>{incorrect}</dd>
          </div>
        ) : null}
      </dl>
      {correct === 0 ? (
        <p>
          No run was played exactly as written (two octaves of C major, up or down), so there is no
          note-by-note picture this time. The recording is kept.
        </p>
      ) : (
        <>
          <p>
            Only the runs played correctly are measured. A run counts from one C to the C two octaves away.
          </p>
          <section className="scale-results__section" aria-labelledby="scale-fingerprint-heading">
            <h4 id="scale-fingerprint-heading">Your timing fingerprint</h4>
            <p className="results__meaning">
              Each dot shows how early or late a note came compared with a perfectly steady run; every player
              has their own pattern (such as a small delay where the thumb passes under), and the shaded band
              shows how much it changed from run to run — a narrower band means more consistent playing.
            </p>
            <div className="scale-results__plots">
              {specs.map((s) => (
                <PlotFigure
                  key={s.key}
                  spec={s.fingerprint}
                  caption={profileSummary(s.profile, withHand)}
                  direction={s.profile.direction}
                />
              ))}
            </div>
            <Changes comparisons={profileChanges} output={analysis} />
          </section>
          <section className="scale-results__section" aria-labelledby="scale-ioi-heading">
            <h4 id="scale-ioi-heading">Time between notes</h4>
            <p className="results__meaning">
              Each thin line is one run, from each note to the next, and the thick line their average: an even
              scale gives a flat line{data.targetMs !== null ? ' on the dashed line of the beat' : ''}, and a
              peak shows where you held back.
            </p>
            <div className="scale-results__plots">
              {specs.map((s) => (
                <PlotFigure
                  key={s.key}
                  spec={s.ioi}
                  caption={ioiSummary(s.profile, data.targetMs, withHand)}
                  direction={s.profile.direction}
                />
              ))}
            </div>
            <Changes comparisons={ioiChanges} output={analysis} />
          </section>
          <section className="scale-results__section" aria-labelledby="scale-velocity-heading">
            <h4 id="scale-velocity-heading">Evenness of loudness</h4>
            <p className="results__meaning">
              How hard each key was struck (its velocity, from 1 to 127): the closer the dots lie to one
              level, the more even your touch; keyboards measure velocity differently, so compare only
              sessions on the same instrument.
            </p>
            <div className="scale-results__plots">
              {specs.map((s) => (
                <PlotFigure
                  key={s.key}
                  spec={s.velocity}
                  caption={velocitySummary(s.profile, withHand)}
                  direction={s.profile.direction}
                />
              ))}
            </div>
            <Changes comparisons={velocityChanges} output={analysis} />
          </section>
        </>
      )}
    </div>
  );
}
