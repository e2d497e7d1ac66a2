import { describe, expect, it } from 'vitest';
import { computeChange, type ChangeMetric, type ChangeSession } from './change.js';
import { DAY_MS } from './cycles.js';
import { CHANGE_CAUTION } from './wording.js';

const T0 = Date.UTC(2026, 0, 1);
const day = (d: number) => T0 + d * DAY_MS;

/** A linear metric where higher is worse (a time, say). */
const LINEAR: ChangeMetric = {
  id: 'hold_time_median_ms',
  task: 'typing',
  unit: 'ms',
  direction: 'higher-worse',
  logScale: false,
};
/** A log-scale amplitude metric that has a published MDC (0.31 log10). */
const AMPLITUDE: ChangeMetric = {
  id: 'tremor_amplitude_pp_mm',
  task: 'spiral',
  unit: 'mm',
  direction: 'higher-worse',
  logScale: true,
};

function series(
  values: (number | null)[],
  options: { setup?: string; flags?: string[][] } = {},
): ChangeSession[] {
  return values.map((value, i) => ({
    id: `s${i}`,
    time: day(i),
    value,
    flags: options.flags?.[i] ?? [],
    setupKey: options.setup ?? 'laptop',
  }));
}

describe('computeChange: personal baseline (≥ 3 sessions)', () => {
  // baseline 100, 110, 120: mean 110, S_w = 10, SDC95 = t(0.975, 2)·√(4/3)·10 with the closed form
  // t(0.975, 2) = 0.95/√(2·0.975·0.025) = 4.302652729749464
  const SDC = 49.68275423500661;

  it('SDC95 = t(0.975, n − 1)·√(1 + 1/n)·S_w; a change of 40 ms is within it, one of 50 ms is a reliable worsening', () => {
    const within = computeChange(LINEAR, series([100, 110, 120, 150]));
    expect(within.basis).toBe('personal');
    expect(within.baseline).toMatchObject({
      mean: 110,
      value: 110,
      n: 3,
      withinSd: 10,
      sessions: ['s0', 's1', 's2'],
    });
    expect(within.sdc95).toBeCloseTo(SDC, 10);
    expect(within.change).toBe(40);
    expect(within.changeIsReliable).toBe(false);
    expect(within.direction).toBe('no reliable change');
    expect(within.band!.low).toBeCloseTo(110 - SDC, 10);
    expect(within.band!.high).toBeCloseTo(110 + SDC, 10);

    const worse = computeChange(LINEAR, series([100, 110, 120, 160]));
    expect(worse.change).toBe(50);
    expect(worse.changeIsReliable).toBe(true);
    expect(worse.direction).toBe('worse');
    expect(worse.changePct).toBeCloseTo((100 * 50) / 110, 12);
    // RCI = 50/(10·√(4/3)) = 4.330127…, just above t(0.975, 2) = 4.302652…, as |change| is just above SDC95
    expect(worse.rci).toBeCloseTo(4.330127018922193, 12);
    expect(worse.rciCritical).toBeCloseTo(4.302652729749464, 12);

    const better = computeChange(LINEAR, series([100, 110, 120, 60]));
    expect(better.direction).toBe('better');
    expect(better.change).toBe(-50);
  });

  it('is strict at the limit: with S_w = 0 (SDC95 = 0) no change is no reliable change, any change is one', () => {
    const same = computeChange(LINEAR, series([100, 100, 100]), { current: 100 });
    expect(same).toMatchObject({
      sdc95: 0,
      change: 0,
      changeIsReliable: false,
      direction: 'no reliable change',
    });
    const tiny = computeChange(LINEAR, series([100, 100, 100]), { current: 100.5 });
    expect(tiny).toMatchObject({
      sdc95: 0,
      change: 0.5,
      changeIsReliable: true,
      direction: 'worse',
      rci: null,
    });
  });

  it('works on log10 values for log-scale metrics: geometric-mean baseline, log-ratio change', () => {
    // logs 0, 0.1, 0.2: mean 0.1 (geometric mean 10^0.1), S_w 0.1, SDC95 = 0.4968275…
    const values = [1, 10 ** 0.1, 10 ** 0.2];
    const up = computeChange(AMPLITUDE, series([...values, 10 ** 0.6]));
    expect(up.scale).toBe('log10');
    expect(up.baseline.mean).toBeCloseTo(0.1, 12);
    expect(up.baseline.value).toBeCloseTo(10 ** 0.1, 12);
    expect(up.baseline.withinSd).toBeCloseTo(0.1, 12);
    expect(up.sdc95).toBeCloseTo(0.49682754235006615, 12);
    expect(up.change).toBeCloseTo(0.5, 12);
    expect(up.changePct).toBeCloseTo(100 * (10 ** 0.5 - 1), 10);
    expect(up.changeIsReliable).toBe(true);
    expect(up.direction).toBe('worse');
    expect(up.band!.low).toBeCloseTo(10 ** (0.1 - 0.49682754235006615), 12);

    const down = computeChange(AMPLITUDE, series([...values, 10 ** -0.35]));
    expect(down.change).toBeCloseTo(-0.45, 12);
    expect(down.changeIsReliable).toBe(false);
  });

  it('uses the first 5 usable sessions of the setup segment by default (maxBaselineSessions)', () => {
    const result = computeChange(LINEAR, series([10, 20, 30, 40, 50, 1000, 1000, 35]));
    expect(result.baseline.n).toBe(5);
    expect(result.baseline.mean).toBe(30);
    expect(result.baseline.withinSd).toBeCloseTo(Math.sqrt(250), 12);
    const three = computeChange(LINEAR, series([10, 20, 30, 40, 50, 35]), { maxBaselineSessions: 3 });
    expect(three.baseline.mean).toBe(20);
  });

  it('direction follows the metric: lower-worse flips it, neutral metrics say "changed"', () => {
    const lowerWorse = computeChange({ ...LINEAR, direction: 'lower-worse' }, series([100, 110, 120, 160]));
    expect(lowerWorse.direction).toBe('better');
    const neutral = computeChange({ ...LINEAR, direction: 'neutral' }, series([100, 110, 120, 160]));
    expect(neutral.direction).toBe('changed');
    expect(neutral.changeIsReliable).toBe(true);
  });
});

describe('computeChange: flagged sessions, missing values and setups', () => {
  it('leaves flagged sessions out of the baseline and counts them; informational flags do not exclude', () => {
    const result = computeChange(
      LINEAR,
      series([100, 500, 110, 120, 999, 130], {
        flags: [[], ['TAB_HIDDEN'], ['DUPLICATE_TIMESTAMPS'], [], ['TOO_FEW_EVENTS'], []],
      }),
    );
    expect(result.baseline.sessions).toEqual(['s0', 's2', 's3']);
    expect(result.baseline.excludedFlagged).toBe(2);
    expect(result.baseline.mean).toBe(110);
    expect(result.change).toBe(20);
  });

  it('counts null values, and values ≤ 0 of log-scale metrics, as missing', () => {
    const result = computeChange(AMPLITUDE, series([1, null, 0, -2, 10, 100, 10]));
    expect(result.baseline.excludedMissing).toBe(3);
    expect(result.baseline.n).toBe(3);
    expect(result.baseline.mean).toBeCloseTo(1, 12);
  });

  it('a flagged current session is compared but never called a reliable change', () => {
    const sessions = series([100, 110, 120, 400], { flags: [[], [], [], ['SAMPLE_GAPS']] });
    const result = computeChange(LINEAR, sessions);
    expect(result.change).toBe(290);
    expect(result.current).toMatchObject({ value: 400, excluded: true, id: 's3' });
    expect(result.changeIsReliable).toBe(false);
    expect(result.direction).toBe('no reliable change');
    expect(result.wording.summary).toMatch(/quality flags/);
  });

  it('PEN_LIFTS excludes a spiral but not a handwriting session; a custom rule can replace the default', () => {
    const flags = [['PEN_LIFTS'], [], [], [], []];
    const spiral = computeChange({ ...LINEAR, task: 'spiral' }, series([1, 2, 3, 4, 5], { flags }));
    expect(spiral.baseline.excludedFlagged).toBe(1);
    const writing = computeChange({ ...LINEAR, task: 'handwriting' }, series([1, 2, 3, 4, 5], { flags }));
    expect(writing.baseline.excludedFlagged).toBe(0);
    const none = computeChange({ ...LINEAR, task: 'spiral' }, series([1, 2, 3, 4, 5], { flags }), {
      excludes: () => false,
    });
    expect(none.baseline.n).toBe(4);
  });

  it('a change of setup starts a new baseline segment: sessions on another setup are left out', () => {
    const sessions: ChangeSession[] = [
      ...series([100, 110, 120], { setup: 'laptop' }),
      { id: 'b0', time: day(10), value: 300, flags: [], setupKey: 'tablet' },
      { id: 'b1', time: day(11), value: 320, flags: [], setupKey: 'tablet' },
      { id: 'b2', time: day(12), value: 310, flags: [], setupKey: 'tablet' },
      { id: 'b3', time: day(13), value: 315, flags: [], setupKey: 'tablet' },
    ];
    const result = computeChange(LINEAR, sessions);
    expect(result.baseline.sessions).toEqual(['b0', 'b1', 'b2']);
    expect(result.baseline.excludedOtherSetup).toBe(3);
    expect(result.baseline.segmentStart).toBe(day(10));
    expect(result.baseline.mean).toBe(310);

    // back on the laptop: its own earlier sessions are its baseline again
    const laptop = { id: 'a9', time: day(20), value: 100, flags: [], setupKey: 'laptop' };
    const back = computeChange(LINEAR, [...sessions, laptop]);
    expect(back.baseline.sessions).toEqual(['s0', 's1', 's2']);
    expect(back.baseline.excludedOtherSetup).toBe(4);
    expect(back.baseline.segmentStart).toBe(day(0));
    expect(back.basis).toBe('personal');
    expect(back.change).toBe(-10);

    // contiguous segmentation: the tablet sessions broke the laptop's run, so there is no baseline
    const contiguous = computeChange(LINEAR, [...sessions, laptop], { segmentation: 'contiguous' });
    expect(contiguous.baseline.n).toBe(0);
    expect(contiguous.baseline.excludedOtherSetup).toBe(7);
    expect(contiguous.basis).toBe('insufficient');
    expect(contiguous.change).toBeNull();
  });

  it('a current value given alone is judged against the latest setup; given with a setup, against that one', () => {
    const sessions = [...series([100, 110, 120], { setup: 'laptop' })];
    expect(computeChange(LINEAR, sessions, { current: 160 }).baseline.n).toBe(3);
    const other = computeChange(LINEAR, sessions, { current: { value: 160, setupKey: 'phone' } });
    expect(other.baseline.n).toBe(0);
    expect(other.baseline.excludedOtherSetup).toBe(3);
  });
});

describe('computeChange: fewer than 3 baseline sessions', () => {
  it('uses the published MDC (|log10 ratio| > 0.31) for spiral tremor amplitude', () => {
    // baseline logs 0 and 0.1: mean 0.05
    const reliable = computeChange(AMPLITUDE, series([1, 10 ** 0.1, 10 ** 0.4]));
    expect(reliable.basis).toBe('published');
    expect(reliable.sdc95).toBe(0.31);
    expect(reliable.change).toBeCloseTo(0.35, 12);
    expect(reliable.changeIsReliable).toBe(true);
    expect(reliable.rci).toBeCloseTo((0.35 * 1.96) / 0.31, 12);
    expect(reliable.rciCritical).toBe(1.96);
    expect(reliable.published.citation).toMatch(/Elble/);

    const within = computeChange(AMPLITUDE, series([1, 10 ** 0.1, 10 ** 0.3]));
    expect(within.change).toBeCloseTo(0.25, 12);
    expect(within.changeIsReliable).toBe(false);
    expect(within.basis).toBe('published');
  });

  it('with one baseline session, published MDC too; with none, insufficient', () => {
    expect(computeChange(AMPLITUDE, series([1, 3])).basis).toBe('published');
    const none = computeChange(AMPLITUDE, series([3]));
    expect(none.basis).toBe('insufficient');
    expect(none.baseline.n).toBe(0);
    expect(none.wording.summary).toBe('There is nothing to compare yet.');
  });

  it('says "insufficient" for metrics without a published MDC (typing, tremor frequency)', () => {
    const typing = computeChange(LINEAR, series([100, 110, 500]));
    expect(typing.basis).toBe('insufficient');
    expect(typing.sdc95).toBeNull();
    expect(typing.band).toBeNull();
    expect(typing.change).toBe(395);
    expect(typing.changeIsReliable).toBe(false);
    expect(typing.direction).toBe('no reliable change');
    expect(typing.published.log10Threshold).toBeNull();
    expect(typing.wording.basis).toMatch(/No published limit/);

    const frequency = computeChange(
      { id: 'tremor_peak_frequency_hz', task: 'tremor', unit: 'Hz', direction: 'neutral', logScale: false },
      series([6, 6.5, 9]),
    );
    expect(frequency.basis).toBe('insufficient');
    expect(frequency.published.note).toMatch(/group differences/);
  });

  it('an empty series has no baseline and no current session', () => {
    const result = computeChange(LINEAR, []);
    expect(result).toMatchObject({
      basis: 'insufficient',
      change: null,
      current: null,
      changeIsReliable: false,
    });
  });
});

describe('computeChange: botulinum-toxin cycles', () => {
  it("after an injection, the baseline is that cycle's pre phase (day −14 up to the injection, exclusive)", () => {
    const injection = day(100);
    const sessions: ChangeSession[] = [
      { id: 'early', time: day(10), value: 1000, flags: [], setupKey: 'laptop' },
      { id: 'too-early', time: injection - 14 * DAY_MS - 1, value: 1000, flags: [], setupKey: 'laptop' },
      { id: 'p1', time: injection - 14 * DAY_MS, value: 100, flags: [], setupKey: 'laptop' },
      { id: 'p2', time: day(95), value: 110, flags: [], setupKey: 'laptop' },
      { id: 'p3', time: injection - 1, value: 120, flags: [], setupKey: 'laptop' },
      { id: 'at', time: injection, value: 105, flags: [], setupKey: 'laptop' },
      { id: 'now', time: day(130), value: 50, flags: [], setupKey: 'laptop' },
    ];
    const result = computeChange(LINEAR, sessions, { injections: [injection] });
    expect(result.baseline.source).toBe('injection-pre');
    expect(result.baseline.injectionTime).toBe(injection);
    // a session at the injection time is in onset, not in pre (Correction 18)
    expect(result.baseline.sessions).toEqual(['p1', 'p2', 'p3']);
    expect(result.baseline.mean).toBe(110);
    expect(result.change).toBe(-60);
    expect(result.direction).toBe('better');
    expect(result.wording.basis).toMatch(/two weeks before the injection/);

    // without the injection, the first sessions of the segment are the baseline
    const plain = computeChange(LINEAR, sessions);
    expect(plain.baseline.sessions).toEqual(['early', 'too-early', 'p1', 'p2', 'p3']);
  });

  it('a session before every injection uses the segment-start rule', () => {
    const result = computeChange(LINEAR, series([100, 110, 120, 130]), { injections: [day(50)] });
    expect(result.baseline.source).toBe('segment-start');
    expect(result.baseline.n).toBe(3);
  });
});

describe('wording', () => {
  const DIAGNOSTIC =
    /dystonia|disease|diagnos|symptom|improv|deteriorat|progress|treatment (works|worked)|healthy|normal|abnormal/i;

  it('is neutral: no condition, diagnosis or treatment claim in the summary and basis, and the caution every time', () => {
    const cases = [
      computeChange(LINEAR, series([100, 110, 120, 160])),
      computeChange(LINEAR, series([100, 110, 120, 60])),
      computeChange(LINEAR, series([100, 110, 120, 125])),
      computeChange(LINEAR, series([100, 110])),
      computeChange(AMPLITUDE, series([1, 10 ** 0.4])),
      computeChange({ ...LINEAR, direction: 'neutral' }, series([100, 110, 120, 160])),
      computeChange(LINEAR, []),
    ];
    for (const result of cases) {
      expect(result.wording.summary).not.toMatch(DIAGNOSTIC);
      expect(result.wording.basis).not.toMatch(DIAGNOSTIC);
      expect(result.wording.caution).toBe(CHANGE_CAUTION);
    }
    expect(CHANGE_CAUTION).toMatch(/not a diagnosis/);
    expect(CHANGE_CAUTION).toMatch(/see one/);
  });

  it("states the size of the change in the metric's unit, or in percent for log-scale metrics", () => {
    expect(computeChange(LINEAR, series([100, 110, 120, 160])).wording.summary).toBe(
      '50 ms higher than the baseline: more than day-to-day variation explains, a reliable change; for this measure that is the direction counted as worse.',
    );
    expect(computeChange(LINEAR, series([100, 110, 120, 125])).wording.summary).toBe(
      '15 ms higher than the baseline: within the usual day-to-day variation, so no reliable change.',
    );
    // 10^0.35 − 1 = 123.9 %
    expect(computeChange(AMPLITUDE, series([1, 10 ** 0.1, 10 ** 0.4])).wording.summary).toMatch(
      /^124 % higher/,
    );
  });
});
