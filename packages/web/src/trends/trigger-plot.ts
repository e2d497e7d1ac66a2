import * as Plot from '@observablehq/plot';

/*
 * The triggers chart, drawn with Observable Plot: one row per compared trigger, a dot at the estimated
 * difference and a line across its corrected interval, and a dashed line at "no difference". The page
 * says the same in words and in a table.
 */

/** One compared trigger as the chart draws it: the difference and its interval, in the chart's unit. */
export interface TriggerPlotRow {
  label: string;
  estimate: number;
  low: number;
  high: number;
  /** The interval leaves out "no difference" (drawn filled; hollow otherwise). */
  clear: boolean;
}

export interface TriggerPlotOptions {
  width: number;
  /** The x axis label, e.g. `Difference (%)`. */
  xLabel: string;
}

const COLOR = '#1d4ed8';

/** Differences with their intervals, one row per trigger, and the no-difference line at 0. */
export function triggerPlot(rows: readonly TriggerPlotRow[], options: TriggerPlotOptions): Element {
  const narrow = options.width < 560;
  const extent = Math.max(1, ...rows.flatMap((r) => [Math.abs(r.low), Math.abs(r.high)]));
  return Plot.plot({
    width: options.width,
    height: 70 + rows.length * 44,
    marginLeft: narrow ? 136 : 170,
    marginRight: 24,
    marginBottom: 48,
    style: { fontSize: narrow ? '13px' : '15px', background: 'transparent' },
    x: {
      label: options.xLabel,
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: 40,
      domain: [-extent * 1.05, extent * 1.05],
      grid: true,
      ticks: narrow ? 4 : 8,
    },
    y: { label: null, domain: rows.map((r) => r.label), padding: 0.4 },
    marks: [
      Plot.ruleX([0], { stroke: '#111827', strokeWidth: 2, strokeDasharray: '6,4' }),
      Plot.ruleY(rows, { y: 'label', x1: 'low', x2: 'high', stroke: COLOR, strokeWidth: 3 }),
      Plot.tickX(rows, { y: 'label', x: 'low', stroke: COLOR, strokeWidth: 3 }),
      Plot.tickX(rows, { y: 'label', x: 'high', stroke: COLOR, strokeWidth: 3 }),
      Plot.dot(rows, {
        y: 'label',
        x: 'estimate',
        r: 7,
        stroke: COLOR,
        strokeWidth: 2.5,
        fill: (r: TriggerPlotRow) => (r.clear ? COLOR : 'white'),
      }),
    ],
  });
}
