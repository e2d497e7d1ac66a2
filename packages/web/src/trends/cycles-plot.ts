import * as Plot from '@observablehq/plot';
import { longestDay, PHASE_DAYS, PHASE_SHORT, PHASES, type CycleView } from './cycles-model.js';

/*
 * The injection cycles overlaid on one chart, drawn with Observable Plot: x = days since the injection,
 * one line per cycle told apart by colour, dash pattern and symbol together (never colour alone), the
 * phases shaded and named along the top.
 */

/** Each cycle's look, by its index (repeating after six). */
export const CYCLE_STYLES: readonly { color: string; dash: string | null; symbol: string; words: string }[] =
  [
    { color: '#1d4ed8', dash: null, symbol: 'circle', words: 'solid blue line, circles' },
    { color: '#b45309', dash: '9,5', symbol: 'square', words: 'dashed orange line, squares' },
    { color: '#047857', dash: '2,4', symbol: 'triangle', words: 'dotted green line, triangles' },
    { color: '#7e22ce', dash: '12,4,3,4', symbol: 'diamond', words: 'dash-dot purple line, diamonds' },
    { color: '#be123c', dash: '5,3', symbol: 'star', words: 'short-dashed red line, stars' },
    { color: '#111827', dash: '1,3', symbol: 'cross', words: 'dotted black line, crosses' },
  ];

export const cycleStyle = (index: number) => CYCLE_STYLES[index % CYCLE_STYLES.length]!;

/** Shading of each phase (light, so that the lines stay readable). */
export const PHASE_FILL: Readonly<Record<(typeof PHASES)[number], string>> = {
  pre: '#e5e7eb',
  onset: '#fef3c7',
  peak: '#dcfce7',
  waning: '#e0e7ff',
};

export interface CyclesPlotOptions {
  width: number;
  logScale: boolean;
  /** The y axis label, e.g. `Key hold time (ms)`. */
  yLabel: string;
}

/**
 * The cycles overlaid: the phases shaded from day −14 to the longest cycle's last session, day 0 marked,
 * each cycle's sessions joined by its line (sessions with quality notes hollow and not joined).
 */
export function cyclesPlot(views: readonly CycleView[], options: CyclesPlotOptions): Element {
  const end = Math.max(longestDay(views), 14) + 1;
  const phases = PHASES.map((phase) => ({
    phase,
    from: PHASE_DAYS[phase].from,
    to: Math.min(PHASE_DAYS[phase].to, end),
  })).filter((p) => p.to > p.from);
  const narrow = options.width < 560;
  const points = views.flatMap((v) => v.points);
  const marks: Plot.Markish[] = [
    Plot.rectX(phases, {
      x1: 'from',
      x2: 'to',
      fill: (p: { phase: (typeof PHASES)[number] }) => PHASE_FILL[p.phase],
      fillOpacity: 0.8,
    }),
    Plot.text(phases, {
      x: (p: { from: number; to: number }) => (p.from + p.to) / 2,
      text: (p: { phase: (typeof PHASES)[number]; from: number; to: number }) =>
        // a phase too narrow for its name keeps its first letter
        (p.to - p.from) * ((options.width - 76) / (end + 14)) < PHASE_SHORT[p.phase].length * 7.5
          ? PHASE_SHORT[p.phase].charAt(0)
          : PHASE_SHORT[p.phase],
      frameAnchor: 'top',
      dy: -14,
      fill: 'currentColor',
      fontWeight: 'bold',
    }),
    Plot.ruleX([0], { stroke: '#111827', strokeWidth: 2 }),
    Plot.text([0], { x: 0, text: () => 'Day 0', frameAnchor: 'bottom', dy: -4, dx: 4, textAnchor: 'start' }),
  ];
  for (const view of views) {
    const style = cycleStyle(view.index);
    const kept = view.points.filter((p) => !p.excluded);
    marks.push(
      Plot.line(kept, {
        x: 'day',
        y: 'value',
        stroke: style.color,
        strokeWidth: 2.5,
        ...(style.dash ? { strokeDasharray: style.dash } : {}),
      }),
      Plot.dot(kept, {
        x: 'day',
        y: 'value',
        symbol: style.symbol,
        r: narrow ? 4 : 5,
        fill: style.color,
        stroke: 'white',
        strokeWidth: 1,
      }),
      Plot.dot(
        view.points.filter((p) => p.excluded),
        {
          x: 'day',
          y: 'value',
          symbol: style.symbol,
          r: 4,
          fill: 'white',
          stroke: style.color,
          strokeWidth: 2,
        },
      ),
    );
  }
  return Plot.plot({
    width: options.width,
    height: Math.round(Math.min(420, Math.max(280, options.width * 0.5))),
    marginLeft: 60,
    marginRight: 16,
    marginBottom: 44,
    marginTop: 30,
    style: { fontSize: '13px' },
    x: {
      domain: [-14, end],
      label: 'Days since the injection →',
      labelAnchor: 'right',
      ticks: narrow ? 5 : 10,
    },
    y: {
      type: options.logScale ? 'log' : 'linear',
      label: options.yLabel,
      grid: true,
      nice: true,
      ...(points.length ? {} : { domain: [1, 10] }),
    },
    marks,
  });
}
