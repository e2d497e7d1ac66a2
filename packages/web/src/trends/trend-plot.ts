import * as Plot from '@observablehq/plot';
import type { HandRatio, JudgedPoint, PointStatus, SetupRun, TrendEvent } from './trend-model.js';

/*
 * The trend charts, drawn with Observable Plot. Every mark has a shape or a line style besides its
 * colour, so that nothing is told by colour alone; the page's legend and text summary say the same.
 */

/** Colour and symbol of each status (legend and chart). */
export const STATUS_STYLE: Readonly<Record<PointStatus, { color: string; symbol: string; hollow: boolean }>> =
  {
    within: { color: '#1d4ed8', symbol: 'circle', hollow: false },
    unjudged: { color: '#1d4ed8', symbol: 'circle', hollow: false },
    better: { color: '#15803d', symbol: 'diamond', hollow: false },
    worse: { color: '#b91c1c', symbol: 'triangle', hollow: false },
    changed: { color: '#6d28d9', symbol: 'square', hollow: false },
    excluded: { color: '#6b7280', symbol: 'circle', hollow: true },
    missing: { color: '#6b7280', symbol: 'circle', hollow: true },
  };

const BAND = '#bfdbfe';
const TREATMENT = '#7e22ce';
const DIARY = '#92400e';
const HALF_DAY = 43_200_000;

/** Chart options: the width it is drawn at and what the axes say. */
export interface TrendPlotOptions {
  width: number;
  logScale: boolean;
  /** The y axis label, e.g. `Key hold time (ms)`. */
  yLabel: string;
}

/**
 * A metric of one hand over time: the baseline band of each setup, the sessions (a line per setup
 * segment, flagged sessions hollow and grey, reliable changes as diamonds, triangles or squares, the
 * practice sessions marked P), dashed rules at setup changes, treatments as purple rules and the
 * diary's severity ratings along the bottom (`events`: those of the series' period, see `eventsDuring`).
 */
export function trendPlot(
  points: readonly JudgedPoint[],
  runs: readonly SetupRun[],
  events: readonly TrendEvent[],
  options: TrendPlotOptions,
): Element {
  const usable = points.filter((p) => p.value !== null && (!options.logScale || p.value > 0));
  const kept = usable.filter((p) => !p.excluded);
  const first = points[0]?.time ?? 0;
  const last = points.at(-1)?.time ?? 0;
  const treatments = events.filter((e) => e.kind === 'treatment');
  // diary ratings at least 18 px apart, so that the numbers stay readable on a narrow screen
  // the x domain as Plot will find it (sessions, bands and events), to place labels before drawing
  const times = [first - HALF_DAY, last + HALF_DAY, ...events.map((e) => e.time)];
  const lo = Math.min(...times);
  const pxPerMs = (options.width - 76) / Math.max(1, Math.max(...times) - lo);
  const diary: TrendEvent[] = [];
  for (const e of events)
    if (e.kind === 'diary' && (diary.length === 0 || (e.time - diary.at(-1)!.time) * pxPerMs >= 18))
      diary.push(e);
  const big = options.width < 560 ? 5 : 7;
  // a treatment's label runs right of its rule where it fits, else left (about 7.5 px a character); on a
  // narrow chart where neither fits, its short form
  const labels = treatments.map((e) => {
    const x = 56 + (e.time - lo) * pxPerMs;
    const fits = (text: string, anchor: 'start' | 'end') =>
      anchor === 'start' ? x + 4 + text.length * 7.5 <= options.width : x - 4 - text.length * 7.5 >= 56;
    const text = fits(e.label, 'start') || fits(e.label, 'end') ? e.label : e.short;
    return { time: e.time, text, anchor: fits(text, 'start') ? ('start' as const) : ('end' as const) };
  });
  const bands = runs.flatMap((run) =>
    run.band ? [{ x1: new Date(run.start - HALF_DAY), x2: new Date(run.end + HALF_DAY), ...run.band }] : [],
  );
  const byStatus = (statuses: readonly PointStatus[]) => usable.filter((p) => statuses.includes(p.status));
  const dots = (statuses: PointStatus[], r: number) => {
    const style = STATUS_STYLE[statuses[0]!];
    return Plot.dot(byStatus(statuses), {
      x: (p: JudgedPoint) => new Date(p.time),
      y: 'value',
      r,
      symbol: style.symbol,
      fill: style.hollow ? 'white' : style.color,
      stroke: style.color,
      strokeWidth: style.hollow ? 2 : 1,
    });
  };
  return Plot.plot({
    width: options.width,
    height: Math.round(Math.min(380, Math.max(260, options.width * 0.45))),
    marginLeft: 56,
    marginBottom: 44,
    marginTop: 28,
    style: { fontSize: '13px' },
    x: { type: 'time', label: null, ticks: Math.max(2, Math.floor(options.width / 120)) },
    y: { type: options.logScale ? 'log' : 'linear', label: options.yLabel, grid: true, nice: true },
    marks: [
      Plot.rect(bands, { x1: 'x1', x2: 'x2', y1: 'low', y2: 'high', fill: BAND, fillOpacity: 0.6 }),
      Plot.ruleX(
        runs.filter((run) => run.change),
        { x: (run: SetupRun) => new Date(run.start - HALF_DAY), stroke: '#111827', strokeDasharray: '6,4' },
      ),
      Plot.ruleX(treatments, { x: (e: TrendEvent) => new Date(e.time), stroke: TREATMENT, strokeWidth: 2 }),
      ...(['start', 'end'] as const).map((anchor) =>
        Plot.text(
          labels.filter((label) => label.anchor === anchor),
          {
            x: (label: { time: number }) => new Date(label.time),
            text: 'text',
            frameAnchor: 'top',
            dy: -16,
            textAnchor: anchor,
            dx: anchor === 'start' ? 4 : -4,
            fill: TREATMENT,
            fontWeight: 'bold',
          },
        ),
      ),
      Plot.line(kept, {
        x: (p: JudgedPoint) => new Date(p.time),
        y: 'value',
        z: 'segment',
        stroke: '#1d4ed8',
        strokeOpacity: 0.55,
        strokeWidth: 1.5,
      }),
      dots(['excluded'], 4),
      dots(['within', 'unjudged'], 4),
      dots(['better'], big),
      dots(['worse'], big),
      dots(['changed'], big - 1),
      Plot.text(
        usable.filter((p) => p.practice),
        {
          x: (p: JudgedPoint) => new Date(p.time),
          y: 'value',
          text: () => 'P',
          dy: -13,
          fontWeight: 'bold',
          fill: '#111827',
        },
      ),
      Plot.text(diary, {
        x: (e: TrendEvent) => new Date(e.time),
        text: (e: TrendEvent) => String(e.severity),
        frameAnchor: 'bottom',
        dy: -6,
        fill: DIARY,
        fontWeight: 'bold',
      }),
    ],
  });
}

/** The affected hand's value over the other hand's per day, on a log scale around 1 (hands alike). */
export function ratioPlot(ratios: readonly HandRatio[], options: { width: number; yLabel: string }): Element {
  return Plot.plot({
    width: options.width,
    height: Math.round(Math.min(320, Math.max(220, options.width * 0.35))),
    marginLeft: 56,
    marginBottom: 36,
    style: { fontSize: '13px' },
    x: { type: 'time', label: null, ticks: Math.max(2, Math.floor(options.width / 120)) },
    y: { type: 'log', label: options.yLabel, grid: true },
    marks: [
      Plot.ruleY([1], { stroke: '#111827', strokeDasharray: '6,4' }),
      Plot.line(ratios, { x: (r: HandRatio) => new Date(r.time), y: 'ratio', stroke: '#1d4ed8' }),
      Plot.dot(ratios, { x: (r: HandRatio) => new Date(r.time), y: 'ratio', fill: '#1d4ed8', r: 4 }),
    ],
  });
}
