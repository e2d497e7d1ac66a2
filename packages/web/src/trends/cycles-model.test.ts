import type { ChangeMetric, TreatmentInput } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../api/types.js';
import { toxinEntry } from '../test/fixtures.js';
import {
  changeWords,
  cycleLengthDays,
  cycleStatements,
  cyclesSummary,
  cycleViews,
  localDayStart,
  longestDay,
  rangeWords,
  toxinInjections,
  type ToxinInjection,
} from './cycles-model.js';

const DAY = 86_400_000;
const HOLD: ChangeMetric = {
  id: 'hold_time_median_ms',
  task: 'typing',
  unit: 'ms',
  direction: 'higher-worse',
  logScale: false,
};
const ms = (value: number) => `${Number(value.toPrecision(3))} ms`;
/** A time's local date, `YYYY-MM-DD`. */
const date = (time: number) => {
  const d = new Date(time);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const FIRST = toxinInjections([
  toxinEntry('a', '2026-03-01', [['flexor-digitorum-superficialis', 'right', 20]]),
]);
const START = FIRST[0]!.time;

/** Sessions at 10:00 on the given days since the injection day, on one setup. */
function series(values: [number, number][], flagged: number[] = []): SeriesPoint[] {
  return values.map(([day, value]) => ({
    recordingId: `d${day}`,
    startedAt: new Date(START + day * DAY + 10 * 3_600_000).toISOString(),
    value,
    flags: flagged.includes(day) ? ['TAB_HIDDEN'] : [],
    excluded: flagged.includes(day),
    segment: 0,
    setupKey: 'laptop',
  }));
}

// before: 10, 12, 14 ms (mean 12, S_w 2, SDC95 = t(0.975, 2)·√(4/3)·2 = 9.93655 ms)
const SDC = 4.302652729749464 * Math.sqrt(4 / 3) * 2;
const PRE: [number, number][] = [
  [-10, 10],
  [-5, 12],
  [-1, 14],
];

describe('toxinInjections', () => {
  it('keeps botulinum-toxin injections, one per day at local midnight, oldest first, adding units per product', () => {
    const found = toxinInjections([
      toxinEntry('b', '2026-06-10', [['flexor-pollicis-longus', 'right', 10]]),
      {
        id: 'c',
        data: { type: 'dbs-settings', date: '2026-05-01', settings: 'x', notes: null } as TreatmentInput,
      },
      toxinEntry('d', '2026-06-10', [
        ['extensor-indicis', 'right', 5],
        ['pronator-teres', 'right', 15],
      ]),
      toxinEntry('e', '2026-06-10', [['supinator', 'right', 100]], 'abobotulinumtoxinA'),
      toxinEntry('a', '2026-03-01', [['flexor-digitorum-superficialis', 'right', 20]]),
    ]);
    expect(found.map((i) => [i.date, i.ids])).toEqual([
      ['2026-03-01', ['a']],
      ['2026-06-10', ['b', 'd', 'e']],
    ]);
    expect(found[1]!.time).toBe(new Date(2026, 5, 10).getTime());
    expect(found[1]!.doses).toEqual([
      { product: 'Botox (onabotulinumtoxinA)', units: 30 },
      { product: 'Dysport (abobotulinumtoxinA)', units: 100 },
    ]);
    expect(found[1]!.muscles.map((m) => m.muscle)).toEqual([
      'Flexor pollicis longus',
      'Extensor indicis (proprius)',
      'Pronator teres',
      'Supinator',
    ]);
    expect(localDayStart('not a date')).toBeNaN();
  });
});

describe('cycleViews and cycleStatements (measures.md 10.2)', () => {
  it('places the sessions on the day axis and says the best effect with its range, the onset and the wearing off', () => {
    const points = series([...PRE, [5, 8], [20, 1], [40, 0], [45, -5], [60, 5], [70, 20]], [45]);
    const [view] = cycleViews(HOLD, points, FIRST);
    expect(view!.counts).toEqual({
      pre: { used: 3, flagged: 0 },
      onset: { used: 1, flagged: 0 },
      peak: { used: 2, flagged: 1 },
      waning: { used: 2, flagged: 0 },
    });
    expect(view!.hasAround).toBe(true);
    expect(view!.points.map((p) => Math.floor(p.day))).toEqual([-10, -5, -1, 5, 20, 40, 45, 60, 70]);
    expect(view!.effects.sdc95).toBeCloseTo(SDC, 10);

    const said = cycleStatements(view!, HOLD, ms, date);
    expect(said.before).toBe(
      `Before the injection: 12 ms, the average of 3 sessions in the 14 days before it. From these, values from ${ms(12 - SDC)} to ${ms(12 + SDC)} are within your day-to-day variation.`,
    );
    // the best is day 40 (−12 ms; the flagged −17 ms on day 45 does not count): −12 ± 9.94 ms
    expect(said.best).toContain(
      `Best session: day 40 (${date(START + 40 * DAY)}, peak), 12 ms lower than before the injection (95 % range from ${ms(12 + SDC)} lower to ${ms(12 - SDC)} lower).`,
    );
    expect(said.best).toContain('a reliable improvement');
    expect(said.best).toContain('the best of 5 sessions');
    expect(said.best).toContain('This rests on 3 sessions before and 5 sessions after the injection.');
    expect(said.onset).toContain(
      'First reliable improvement: day 20 ' +
        `(${date(START + 20 * DAY)}). The session before it, on day 5, did not show one`,
    );
    expect(said.wearingOff).toBe(
      'Back within your day-to-day variation of the level before the injection by day 60; on day 40 it was still reliably better.',
    );
  });

  it('claims no effect when the range includes no change', () => {
    const [view] = cycleViews(HOLD, series([...PRE, [20, 9], [30, 12]]), FIRST);
    const said = cycleStatements(view!, HOLD, ms, date);
    expect(said.best).toContain(
      `3 ms lower than before the injection (95 % range from ${ms(3 + SDC)} lower to ${ms(SDC - 3)} higher)`,
    );
    expect(said.best).toContain('does not show an effect');
    expect(said.best).not.toContain('reliable improvement');
    expect(said.onset).toBe('No reliable improvement after this injection in 2 sessions: no onset to give.');
    expect(said.wearingOff).toBe('Not given: no reliable improvement was measured in this cycle.');
  });

  it('says "not enough sessions to say" with fewer than 3 sessions before the injection', () => {
    const [view] = cycleViews(
      HOLD,
      series(
        [
          [-3, 10],
          [-2, 12],
          [-1, 30],
          [20, 1],
        ],
        [-1],
      ),
      FIRST,
    );
    const said = cycleStatements(view!, HOLD, ms, date);
    expect(said.before).toContain(
      'the average of 2 sessions in the 14 days before it (1 more was left out for quality notes).',
    );
    for (const text of [said.best, said.onset, said.wearingOff])
      expect(text).toBe(
        'Not enough sessions to say: comparing needs at least 3 sessions without quality notes in the 14 days before the injection, and this cycle has 2.',
      );
  });

  it('gives log-scale changes as percentages of the geometric mean', () => {
    const metric: ChangeMetric = { ...HOLD, id: 'hold_time_cv', unit: '1', logScale: true };
    const [view] = cycleViews(
      metric,
      series([
        [-9, 100],
        [-6, 110],
        [-2, 90],
        [30, 50],
      ]),
      FIRST,
    );
    const logs = [100, 110, 90].map(Math.log10);
    const mean = logs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    const limit = 4.302652729749464 * Math.sqrt(4 / 3) * sd;
    const change = Math.log10(50) - mean;
    const pct = (x: number) => Number(Math.abs(100 * (10 ** x - 1)).toPrecision(2));
    const said = cycleStatements(view!, metric, String, date);
    expect(said.best).toContain(
      `${pct(change)} % lower than before the injection (95 % range from ${pct(change - limit)} % lower to ${pct(change + limit)} % lower)`,
    );
    expect(said.best).toContain('a reliable improvement');
    expect(changeWords(0, { logScale: true, formatValue: String })).toBe('no different');
    expect(rangeWords(-0.1, 0.2, { logScale: true, formatValue: String })).toBe(
      'from 50 % lower to 26 % higher',
    );
  });

  it('overlays several cycles: a session before the next injection belongs to both, and the last cycle runs on', () => {
    const injections: ToxinInjection[] = [
      ...FIRST,
      ...toxinInjections([
        toxinEntry('b', date(START + 90 * DAY + 12 * 3_600_000), [['supinator', 'left', 30]]),
      ]),
    ];
    const points = series([...PRE, [20, 1], [80, 11], [85, 13], [88, 12], [95, 2], [120, 4]]);
    const views = cycleViews(HOLD, points, injections);
    expect(views.map((v) => v.points.length)).toEqual([7, 5]);
    expect(views[1]!.counts.pre.used).toBe(3);
    expect(views.map(cycleLengthDays)).toEqual([90, null]);
    expect(Math.round(longestDay(views))).toBe(88);
    const said = cycleStatements(views[1]!, HOLD, ms, date);
    expect(said.best).toContain('Best session: day 5');
    expect(said.wearingOff).toBe(
      'Not back to the level before the injection by the last session, day 30: it was still reliably better.',
    );
    // the first cycle: back within its own before-level's variation on day 80
    expect(cycleStatements(views[0]!, HOLD, ms, date).wearingOff).toBe(
      'Back within your day-to-day variation of the level before the injection by day 80; on day 20 it was still reliably better.',
    );
    const summary = cyclesSummary(views, {
      label: 'Key hold time',
      hand: 'right hand',
      logScale: false,
      date,
      styleWords: (i) => `style ${i}`,
    });
    expect(summary).toContain('around 2 injections');
    expect(summary).toContain(
      `Injection on ${date(START)} (style 0): 3 sessions before and 4 after, up to day 88.`,
    );
    expect(summary).toContain('(style 1): 3 sessions before and 2 after, up to day 30.');
  });
});
