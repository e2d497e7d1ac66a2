import {
  dsp,
  metricCatalogue,
  spiralView,
  VIEW_IRREGULAR_FRACTION,
  type AnalysisOutput,
  type Recording,
  type SpiralDrawingView,
  type SpiralView,
} from '@dystrack/core';
import * as Plot from '@observablehq/plot';
import { useCallback, useId, useMemo, useState } from 'react';
import { SpiralPlot } from '../components/spiral-plot.js';
import { errorMessage } from './form-helpers.js';
import { formatMetricValue } from './session-results.js';

/** Spiral measures beyond the headline ones, with what each means in plain words. */
export const MORE_SPIRAL_MEASURES: readonly { id: string; label: string; meaning: string }[] = [
  {
    id: 'tremor_peak_frequency_hz',
    label: 'Rhythm of the shaking',
    meaning:
      'How many times a second the line shook, at its strongest rhythm between 3 and 12 times a second. It only describes a tremor when a clear rhythm stood out.',
  },
  {
    id: 'spiral_tightness_mm_per_turn',
    label: 'Distance between the loops',
    meaning: 'The average distance from one loop of the spiral to the next.',
  },
  {
    id: 'spiral_fit_residue_ratio',
    label: 'Distance from an even spiral',
    meaning:
      'How far the line strayed from an even spiral, relative to its size. 0 is a perfectly even spiral.',
  },
  {
    id: 'ldlj_per_turn_median',
    label: 'Smoothness of the movement',
    meaning: 'How smooth the movement was within each turn. Higher (closer to zero) is smoother.',
  },
  {
    id: 'spiral_turn_count',
    label: 'Turns',
    meaning: 'How many times the line went round the centre.',
  },
  {
    id: 'drawing_time_s',
    label: 'Drawing time',
    meaning: 'From the first touch of the pen to the last, pauses included.',
  },
  {
    id: 'pen_lift_count',
    label: 'Pen lifts',
    meaning: 'How often the pen left the screen in the middle of a drawing.',
  },
  {
    id: 'pressure_mean',
    label: 'Pen pressure',
    meaning: 'How hard the pen pressed, on a scale from 0 to 1, on average.',
  },
  {
    id: 'pressure_cv_pct',
    label: 'Changes in pressure',
    meaning: 'How much the pressure varied, in percent of its average. Lower is steadier.',
  },
];

/** What to say when the screen was not calibrated: no mm, and how to measure the screen. */
export const UNCALIBRATED_WORDS =
  'Your screen was not measured, so sizes in millimetres are not shown: the drawing and the speed are in screen pixels, and the size of the shaking is left out. To measure the screen, start a pen task and, when it asks, hold a bank card flat against the screen and make the outline exactly as wide as the card (instead of pressing “I have no card now”). This is done once on this device, as long as the browser zoom stays the same; your next spirals then show sizes in millimetres.';

const round = (value: number, digits = 2) => Number(value.toPrecision(digits));
const seconds = (s: number) => `${round(s, s < 10 ? 2 : 3)} s`;
const finite = (values: ArrayLike<number>) => Array.from(values).filter((v) => Number.isFinite(v));

function argmax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i]) && (best < 0 || values[i]! > values[best]!)) best = i;
  return best;
}

/** The text summaries of one drawing's charts (what a screen reader says instead of the pictures). */
export function spiralSummaries(
  drawing: SpiralDrawingView,
  unit: SpiralView['unit'],
): { drawing: string; speed: string; pressure: string | null; shaking: string } {
  const n = drawing.tS.length;
  const radius = Math.max(...Array.from(drawing.x, (x, i) => Math.hypot(x, drawing.y[i]!)));
  const irregularCount = drawing.irregular.reduce((sum, v) => sum + v, 0);
  const peak = argmax(drawing.tremorPp);
  const parts = [
    `The line has ${n} pen samples over ${seconds(drawing.tS[n - 1] ?? 0)}, about ${round(2 * radius)} ${unit} across` +
      (drawing.loopSpacing !== null
        ? `, with loops about ${round(drawing.loopSpacing)} ${unit} apart.`
        : '.'),
  ];
  if (peak >= 0) {
    parts.push(
      unit === 'mm'
        ? `Its colour shows the shaking: the largest was ${round(drawing.tremorPp[peak]!)} mm from side to side, at ${seconds(drawing.tS[peak]!)}.`
        : `Its colour shows the shaking, largest at ${seconds(drawing.tS[peak]!)}.`,
    );
  } else {
    parts.push('The pen lines were too short to measure shaking along them.');
  }
  if (!drawing.spiralLike) {
    parts.push(
      'The line does not go evenly round a centre (less than one turn, or not like a spiral), so it is not compared with an even spiral.',
    );
  } else if (irregularCount === 0) {
    parts.push('No part of the line strayed far from an even spiral.');
  } else {
    const times = Array.from(drawing.tS).filter((_, i) => drawing.irregular[i] === 1);
    parts.push(
      `Rings mark where the line strayed more than a quarter of the loop distance from an even spiral: ${Math.round((100 * irregularCount) / n)} % of the line, between ${seconds(times[0]!)} and ${seconds(times.at(-1)!)}.`,
    );
  }
  const speeds = finite(drawing.speed.value);
  let speed = 'The speed could not be computed (the pen lines were too short).';
  if (speeds.length > 0) {
    const [p10, p50, p90] = dsp.quantiles(speeds, [0.1, 0.5, 0.9]);
    const slowest = drawing.speed.tS[argmax(drawing.speed.value.map((v) => -v))]!;
    speed = `The pen moved at ${round(p50!)} ${unit}/s in the middle of its range, mostly between ${round(p10!)} and ${round(p90!)} ${unit}/s; slowest at ${seconds(slowest)}.`;
  }
  let pressure: string | null = null;
  if (drawing.pressure) {
    const values = finite(drawing.pressure);
    const [p10, p90] = dsp.quantiles(values, [0.1, 0.9]);
    const most = drawing.tS[argmax(drawing.pressure)]!;
    pressure = `Pressure on a scale from 0 to 1: ${round(dsp.mean(values))} on average, mostly between ${round(p10!)} and ${round(p90!)}; hardest at ${seconds(most)}.`;
  }
  const sizes = finite(drawing.tremorPp);
  let shaking = 'The shaking could not be measured along these lines.';
  if (sizes.length > 0) {
    const typical = dsp.median(sizes);
    shaking = `The size of the shaking from side to side: typically ${round(typical)} ${unit}, largest ${round(Math.max(...sizes))} ${unit} at ${seconds(drawing.tS[peak]!)}.`;
  }
  return { drawing: parts.join(' '), speed, pressure, shaking };
}

/** Rows for the charts: one object per sample. */
function sampleRows(d: SpiralDrawingView) {
  return Array.from(d.tS, (t, i) => ({
    t,
    x: d.x[i]!,
    y: d.y[i]!,
    segment: d.segment[i]!,
    pp: Number.isFinite(d.tremorPp[i]) ? d.tremorPp[i]! : null,
    pressure: d.pressure ? d.pressure[i]! : null,
    irregular: d.irregular[i] === 1,
  }));
}

/** The colour scale of the shaking: yellow none, dark red the largest of this drawing, at least 1 mm (4 px). */
function shakingColor(maxPp: number, unit: SpiralView['unit']): Plot.ScaleOptions {
  return {
    type: 'linear',
    scheme: 'YlOrRd',
    domain: [0, Math.max(maxPp, unit === 'mm' ? 1 : 4)],
    unknown: '#9ca3af',
  };
}

/**
 * The drawing coloured by the size of the shaking, with rings where it strayed from an even spiral,
 * under a colour key (drawn as SVG bars: Plot's ramp legend needs a canvas).
 */
function drawingChart(d: SpiralDrawingView, unit: SpiralView['unit']): Element {
  const rows = sampleRows(d);
  const radius = 1.05 * Math.max(1, ...rows.map((r) => Math.max(Math.abs(r.x), Math.abs(r.y))));
  const maxPp = Math.max(0, ...rows.map((r) => r.pp ?? 0));
  const color = shakingColor(maxPp, unit);
  const top = (color.domain as number[])[1]!;
  const steps = Array.from({ length: 24 }, (_, i) => ({
    x1: (i * top) / 24,
    x2: ((i + 1) * top) / 24,
    v: ((i + 0.5) * top) / 24,
  }));
  const key = Plot.plot({
    width: 300,
    height: 48,
    marginTop: 4,
    marginLeft: 20,
    marginRight: 20,
    x: { domain: [0, top], label: `Shaking, ${unit} from side to side →`, ticks: 4 },
    y: { axis: null, domain: [0, 1] },
    color,
    marks: [Plot.rectX(steps, { x1: 'x1', x2: 'x2', y1: 0, y2: 1, fill: 'v' })],
  });
  const chart = Plot.plot({
    width: 420,
    height: 420,
    margin: 40,
    x: { domain: [-radius, radius], label: `${unit} →` },
    y: { domain: [-radius, radius], reverse: true, label: `↓ ${unit}` },
    color,
    marks: [
      // the colour in 24 steps, so that the line is split only where its colour changes
      Plot.line(rows, {
        x: 'x',
        y: 'y',
        z: 'segment',
        stroke: (r: (typeof rows)[number]) =>
          r.pp === null ? null : (Math.min(23, Math.floor((24 * r.pp) / top)) + 0.5) * (top / 24),
        strokeWidth: 2.5,
      }),
      Plot.dot(
        rows.filter((r) => r.irregular),
        { x: 'x', y: 'y', r: 5, stroke: '#1d4ed8', strokeWidth: 1.5, fill: 'none' },
      ),
      Plot.dot([{ x: 0, y: 0 }], { x: 'x', y: 'y', r: 3, fill: '#16a34a' }),
    ],
  });
  const both = document.createElement('div');
  both.className = 'spiral-plot__drawing';
  both.append(key, chart);
  return both;
}

/** A quantity over time (speed, pressure, shaking), one line per pen-down segment. */
function timeChart(
  rows: readonly { t: number; v: number | null; segment: number }[],
  label: string,
  color: string,
): Element {
  return Plot.plot({
    width: 640,
    height: 170,
    marginLeft: 50,
    x: { label: 'Time, s →' },
    y: { label: `↑ ${label}`, grid: true, zero: true },
    marks: [
      Plot.ruleY([0]),
      Plot.line(
        rows.filter((r) => r.v !== null && Number.isFinite(r.v)),
        { x: 't', y: 'v', z: 'segment', stroke: color },
      ),
    ],
  });
}

function DrawingCharts({ drawing, unit }: { drawing: SpiralDrawingView; unit: SpiralView['unit'] }) {
  const summaries = useMemo(() => spiralSummaries(drawing, unit), [drawing, unit]);
  const makeDrawing = useCallback(() => drawingChart(drawing, unit), [drawing, unit]);
  const makeSpeed = useCallback(
    () =>
      timeChart(
        Array.from(drawing.speed.tS, (t, i) => ({
          t,
          v: drawing.speed.value[i]!,
          segment: drawing.speed.segment[i]!,
        })),
        `Speed, ${unit}/s`,
        '#2563eb',
      ),
    [drawing, unit],
  );
  const makePressure = useCallback(
    () =>
      timeChart(
        sampleRows(drawing).map((r) => ({ t: r.t, v: r.pressure, segment: r.segment })),
        'Pressure, 0–1',
        '#7c3aed',
      ),
    [drawing],
  );
  const makeShaking = useCallback(
    () =>
      timeChart(
        sampleRows(drawing).map((r) => ({ t: r.t, v: r.pp, segment: r.segment })),
        `Shaking, ${unit}`,
        '#dc2626',
      ),
    [drawing, unit],
  );
  return (
    <div className="spiral-results__charts">
      <SpiralPlot
        className="spiral-plot--drawing"
        title="Your spiral, coloured by shaking"
        summary={summaries.drawing}
        make={makeDrawing}
      />
      <div className="spiral-results__time">
        <SpiralPlot title="Speed over time" summary={summaries.speed} make={makeSpeed} />
        {summaries.pressure ? (
          <SpiralPlot title="Pressure over time" summary={summaries.pressure} make={makePressure} />
        ) : (
          <p className="spiral-results__note">This pen or screen gave no pressure, so none is shown.</p>
        )}
        <SpiralPlot title="Shaking over time" summary={summaries.shaking} make={makeShaking} />
      </div>
    </div>
  );
}

/**
 * The spiral part of the session results (loaded only for spiral recordings): each kept spiral drawn
 * from the recording's pen samples (mm when the screen was calibrated, else screen px) and coloured by
 * the size of the shaking (the 3–12 Hz band of the distance from the fitted spiral), with rings where
 * the line strayed from an even spiral; speed, pressure and shaking over time; and the spiral measures
 * beyond the headline ones, with what each means. Every chart has a text summary.
 */
export function SpiralResults({ recording, output }: { recording: Recording; output: AnalysisOutput }) {
  const view = useMemo((): { view: SpiralView } | { error: string } => {
    try {
      return { view: spiralView(recording) };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }, [recording]);
  const [chosen, setChosen] = useState(0);
  const groupId = useId();
  const units = useMemo(() => new Map(metricCatalogue('spiral').map((d) => [d.id, d.unit])), []);
  const more = MORE_SPIRAL_MEASURES.filter((m) => output.metrics[m.id] != null);
  const noClearPeak = output.quality_flags.includes('NO_TREMOR_PEAK');

  return (
    <section className="spiral-results" aria-labelledby={`${groupId}-heading`}>
      <h3 id={`${groupId}-heading`}>Your spiral</h3>
      {'error' in view ? (
        <p role="status">The drawing cannot be shown: {view.error}</p>
      ) : (
        <>
          {!view.view.calibrated ? (
            <p className="spiral-results__uncalibrated" role="note">
              {UNCALIBRATED_WORDS}
            </p>
          ) : null}
          {view.view.drawings.length === 0 ? (
            <p role="status">There is too little drawing in this recording to show.</p>
          ) : null}
          {view.view.drawings.length > 1 ? (
            <fieldset className="spiral-results__choice">
              <legend>Which spiral?</legend>
              {view.view.drawings.map((d, i) => (
                <label key={i}>
                  <input
                    type="radio"
                    name={`${groupId}-spiral`}
                    checked={chosen === i}
                    onChange={() => setChosen(i)}
                  />{' '}
                  Spiral {d.trial ?? i + 1}
                </label>
              ))}
            </fieldset>
          ) : null}
          {view.view.drawings[chosen] ? (
            <DrawingCharts drawing={view.view.drawings[chosen]} unit={view.view.unit} />
          ) : null}
          <p className="spiral-results__legend">
            Yellow to red: how much the line shook at that point (its regular wobble, 3 to 12 times a second).
            Blue rings: where the line was more than {VIEW_IRREGULAR_FRACTION * 100} % of the loop distance
            away from an even spiral. The green dot is the spiral’s centre.
          </p>
        </>
      )}
      {more.length > 0 ? (
        <>
          <h3>More about your spirals</h3>
          <dl className="results__list spiral-results__more">
            {more.map((m) => (
              <div className="results__item" key={m.id} data-metric={m.id}>
                <dt>{m.label}</dt>
                <dd>
                  <p className="results__value">
                    {formatMetricValue(output.metrics[m.id] ?? null, units.get(m.id) ?? '1')}
                  </p>
                  <p className="results__meaning">
                    {m.meaning}
                    {m.id === 'tremor_peak_frequency_hz' && noClearPeak
                      ? ' In this recording no clear rhythm stood out, so this number says little.'
                      : ''}
                  </p>
                </dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}
