import { describe, expect, it } from 'vitest';
import { computeChange, type ChangeMetric, type DiaryData, type TreatmentInput } from '@dystrack/core';
import type { SeriesPoint } from '../api/types.js';
import {
  eventsDuring,
  handRatios,
  judgePoints,
  PRACTICE_SESSIONS,
  ratioSummary,
  setupChangeKind,
  setupRuns,
  trendEvents,
  trendSummary,
  type SeriesChange,
} from './trend-model.js';

const holdTime: ChangeMetric = {
  id: 'hold_time_median_ms',
  task: 'typing',
  unit: 'ms',
  direction: 'higher-worse',
  logScale: false,
};
const DESK = 'Mozilla/# (X#; Linux x#_#) Chrome/#|Linux x#_#|';
const PHONE = 'Mozilla/# (iPhone; CPU iPhone OS #) Safari/#|iPhone|';

const day = (d: number) => new Date(Date.UTC(2026, 0, 5 + d, 9)).toISOString();

function point(i: number, value: number | null, extra: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    recordingId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    startedAt: day(i),
    value,
    flags: [],
    excluded: false,
    segment: 0,
    setupKey: DESK,
    ...extra,
  };
}

describe('judgePoints', () => {
  it('judges each session against the baseline before it, as core judges the latest', () => {
    const points = [90, 100, 110, 160, 105].map((v, i) => point(i, v));
    const judged = judgePoints(holdTime, points);
    // three sessions are needed before a change can be called (no published limit for hold time)
    expect(judged.map((p) => p.status)).toEqual(['unjudged', 'unjudged', 'unjudged', 'worse', 'within']);
    // the same result as core's computeChange of the whole series for the 4th session
    const core = computeChange(
      holdTime,
      points
        .slice(0, 3)
        .map((p) => ({ time: Date.parse(p.startedAt), value: p.value, flags: [], setupKey: DESK })),
      { current: { value: 160, time: Date.parse(day(3)), setupKey: DESK } },
    );
    expect(judged[3]!.rci).toBeCloseTo(core.rci!, 12);
    expect(judged[3]!.band).toEqual(core.band);
    expect(judged.map((p) => p.practice)).toEqual([true, true, false, false, false]);
    expect(PRACTICE_SESSIONS).toBe(2);
  });

  it('leaves flagged sessions out of the baseline and never calls them a change', () => {
    const points = [
      point(0, 90),
      point(1, 400, { flags: ['TOO_FEW_EVENTS'], excluded: true }),
      point(2, 100),
      point(3, 110),
      point(4, 500, { flags: ['ABORTED'], excluded: true }),
      point(5, 160),
    ];
    const judged = judgePoints(holdTime, points);
    expect(judged.map((p) => p.status)).toEqual([
      'unjudged',
      'excluded',
      'unjudged',
      'unjudged',
      'excluded',
      'worse',
    ]);
    // the band is that of 90, 100, 110 — the flagged 400 did not widen it
    expect(judged[5]!.band!.low).toBeCloseTo(100 - 49.68, 1);
  });

  it('starts a new baseline on a new setup', () => {
    const points = [
      ...[90, 100, 110, 160].map((v, i) => point(i, v)),
      point(4, 300, { setupKey: PHONE, segment: 1 }),
    ];
    const judged = judgePoints(holdTime, points);
    expect(judged[4]!.status).toBe('unjudged');
    expect(judged[4]!.band).toBeNull();
  });

  it('judges a five-year daily series against the first baseline sessions of its setup', () => {
    const points = Array.from({ length: 1826 }, (_, i) => point(i, 100 + (i % 7)));
    const judged = judgePoints(holdTime, points);
    expect(judged).toHaveLength(1826);
    expect(new Set(judged.slice(5).map((p) => JSON.stringify(p.band))).size).toBe(1);
  });
});

describe('setupRuns', () => {
  it('splits the series where the setup changes and says what changed', () => {
    const points = judgePoints(holdTime, [
      point(0, 90),
      point(1, 100),
      point(2, 80, { setupKey: PHONE, segment: 1 }),
      point(3, 85, { setupKey: `${PHONE}|mode="drill"`, segment: 2 }),
    ]);
    const runs = setupRuns(points);
    expect(runs.map((r) => [r.segment, r.count, r.change])).toEqual([
      [0, 2, null],
      [1, 1, 'device or browser'],
      [2, 1, 'task settings'],
    ]);
    expect(runs[0]!.start).toBe(Date.parse(day(0)));
    expect(runs[0]!.end).toBe(Date.parse(day(1)));
    expect(setupChangeKind(DESK, `${DESK}|mode="copy"`)).toBe('task settings');
  });
});

describe('handRatios', () => {
  it('pairs the hands by day and leaves out flagged sessions and days with one hand', () => {
    const left = judgePoints(holdTime, [point(0, 200), point(1, 300), point(2, 999, { excluded: true })]);
    const right = judgePoints(holdTime, [point(0, 100), point(2, 100), point(3, 100)]);
    const ratios = handRatios(left, right);
    expect(ratios.map((r) => r.ratio)).toEqual([2]);
    expect(ratioSummary(ratios, 'left hand', 'right hand', () => 'the day')).toMatch(
      /On 1 day with both hands, the value of the left hand was on average 2 times that of the right hand/,
    );
    expect(ratioSummary([], 'left hand', 'right hand', String)).toMatch(/no day yet/);
  });
});

describe('trendEvents', () => {
  it('draws diary severity and treatments, and leaves out entries without a rating', () => {
    const diary = [
      { at: '2026-01-07T08:00:00Z', data: { severity: { writing: 3, typing: 6 } } as unknown as DiaryData },
      { at: '2026-01-08T08:00:00Z', data: { severity: {} } as unknown as DiaryData },
    ];
    const treatments = [
      { data: { type: 'botulinum-toxin', date: '2026-01-06' } as unknown as TreatmentInput },
    ];
    expect(trendEvents(diary, treatments).map((e) => [e.kind, e.label, e.short])).toEqual([
      ['treatment', 'Botulinum toxin injection', 'Toxin'],
      ['diary', 'Severity 6/10', '6'],
    ]);
  });
});

describe('trendSummary', () => {
  it('states the baseline, the band, the latest value and the reliable change in words', () => {
    const judged = judgePoints(
      holdTime,
      [90, 100, 110, 160].map((v, i) => point(i, v)),
    );
    const change: SeriesChange = {
      basis: 'personal',
      baseline: { value: 100, n: 3 },
      band: judged[3]!.band,
      current: { value: 160, time: day(3), excluded: false },
      changeIsReliable: true,
      wording: {
        summary: '60 ms higher than the baseline: a reliable change.',
        basis: 'Three sessions.',
        caution: '',
      },
    };
    const input: Parameters<typeof trendSummary>[0] = {
      label: 'Key hold time',
      hand: 'right hand',
      logScale: false,
      points: judged,
      runs: setupRuns(judged),
      change,
      events: [],
      format: (v) => `${Math.round(v)} ms`,
      date: (t) => new Date(t).toISOString().slice(0, 10),
    };
    const summary = trendSummary(input);
    expect(summary.shows).toBe(
      'Key hold time, right hand: 4 sessions with a value from 2026-01-05 to 2026-01-08.',
    );
    expect(summary.baseline).toBe(
      'Baseline: 100 ms, the average of 3 sessions on the current device and browser. Values from 50 ms to 150 ms are within your usual day-to-day variation (the shaded band).',
    );
    expect(summary.latest).toBe('Latest session judged (2026-01-08): 160 ms.');
    expect(summary.change).toBe('60 ms higher than the baseline: a reliable change. Three sessions.');
    expect(summary.marks[0]).toBe(
      '1 session was reliably different from the baseline before it: 1 worse (triangles).',
    );
    // a clinician reads about the patient, not "your"
    const forClinician = trendSummary({ ...input, audience: 'clinician' });
    expect(forClinician.baseline).toContain('are within the patient’s usual day-to-day variation');
    expect(forClinician.baseline).not.toContain('your');
  });
});

describe('eventsDuring', () => {
  it('keeps the events from two weeks before the first session to the day of the last', () => {
    const points = judgePoints(holdTime, [point(20, 100), point(30, 100)]);
    const at = (d: number) => ({
      kind: 'treatment' as const,
      time: Date.parse(day(d)),
      label: `day ${d}`,
      short: `${d}`,
      severity: null,
    });
    expect(eventsDuring([at(0), at(6), at(25), at(31), at(32)], points).map((e) => e.label)).toEqual([
      'day 6',
      'day 25',
      'day 31',
    ]);
    expect(eventsDuring([at(6)], [])).toEqual([]);
  });
});

describe('trendSummary on a log scale', () => {
  it('says the scale is logarithmic and the baseline a geometric mean', () => {
    const spread: ChangeMetric = { ...holdTime, id: 'hold_time_iqr_ms', logScale: true };
    const judged = judgePoints(
      spread,
      [10, 20, 40].map((v, i) => point(i, v)),
    );
    const summary = trendSummary({
      label: 'Spread of hold times',
      hand: 'left hand',
      logScale: true,
      points: judged,
      runs: setupRuns(judged),
      change: {
        basis: 'insufficient',
        baseline: { value: 20, n: 2 },
        band: null,
        current: { value: 40, time: day(2), excluded: false },
        changeIsReliable: false,
        wording: { summary: 'S.', basis: 'B.', caution: '' },
      },
      events: [],
      format: (v) => `${v} ms`,
      date: (t) => new Date(t).toISOString().slice(0, 10),
    });
    expect(summary.shows).toMatch(/The scale is logarithmic: equal steps are equal percentages\.$/);
    expect(summary.baseline).toBe(
      'Baseline: 20 ms, the typical value (geometric mean) of 2 sessions on the current device and browser.',
    );
    expect(summary.marks).not.toContain('No session was reliably different from its baseline.');
  });
});
