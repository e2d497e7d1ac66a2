import { describe, expect, it } from 'vitest';
import type { ChangeMetric, ChangeSession } from './change.js';
import { cycleEffects } from './cycle-effects.js';
import { DAY_MS, alignToCycles, cyclePhase, injectionBefore } from './cycles.js';

const INJECTION = Date.UTC(2026, 2, 1, 9, 30);
const at = (days: number) => INJECTION + days * DAY_MS;

describe('cyclePhase (measures.md 10.2, Correction 18)', () => {
  it('pre is day −14 up to the injection time, exclusive; onset starts at the injection', () => {
    expect(cyclePhase(at(-14) - 1, INJECTION, null)).toBeNull();
    expect(cyclePhase(at(-14), INJECTION, null)).toBe('pre');
    expect(cyclePhase(INJECTION - 1, INJECTION, null)).toBe('pre');
    expect(cyclePhase(INJECTION, INJECTION, null)).toBe('onset');
  });

  it('onset runs to the end of day 14, peak is days 15–56, waning day 57 to the next injection (exclusive)', () => {
    expect(cyclePhase(at(15) - 1, INJECTION, null)).toBe('onset');
    expect(cyclePhase(at(15), INJECTION, null)).toBe('peak');
    expect(cyclePhase(at(57) - 1, INJECTION, null)).toBe('peak');
    expect(cyclePhase(at(57), INJECTION, null)).toBe('waning');
    expect(cyclePhase(at(400), INJECTION, null)).toBe('waning');
    expect(cyclePhase(at(89), INJECTION, at(90))).toBe('waning');
    expect(cyclePhase(at(90), INJECTION, at(90))).toBeNull();
  });
});

describe('alignToCycles', () => {
  it('puts each session in its cycles; one in the two weeks before the next injection is in both', () => {
    const sessions = [-20, -3, 0, 10, 30, 80, 85, 90, 95].map((d) => ({ time: at(d), d }));
    const cycles = alignToCycles(sessions, [at(90), INJECTION, INJECTION]);
    expect(cycles).toHaveLength(2);
    expect(cycles[0]!.points.map((p) => [p.session.d, p.phase])).toEqual([
      [-3, 'pre'],
      [0, 'onset'],
      [10, 'onset'],
      [30, 'peak'],
      [80, 'waning'],
      [85, 'waning'],
    ]);
    expect(cycles[0]!.nextInjectionTime).toBe(at(90));
    expect(cycles[1]!.points.map((p) => [p.session.d, p.phase, p.day])).toEqual([
      [80, 'pre', -10],
      [85, 'pre', -5],
      [90, 'onset', 0],
      [95, 'onset', 5],
    ]);
  });

  it('injectionBefore finds the latest injection at or before a time', () => {
    expect(injectionBefore(at(-1), [INJECTION, at(90)])).toBeNull();
    expect(injectionBefore(INJECTION, [at(90), INJECTION])).toBe(INJECTION);
    expect(injectionBefore(at(100), [INJECTION, at(90)])).toBe(at(90));
  });
});

describe('cycleEffects', () => {
  const METRIC: ChangeMetric = {
    id: 'x_ms',
    task: 'typing',
    unit: 'ms',
    direction: 'higher-worse',
    logScale: false,
  };
  const session = (d: number, value: number, flags: string[] = []): ChangeSession => ({
    id: `d${d}`,
    time: at(d),
    value,
    flags,
    setupKey: 'laptop',
  });

  it('judges each session after the injection against the pre phase: best effect, time to best and duration', () => {
    // pre 10, 12, 14: mean 12, S_w 2, SDC95 = 4.302652729749464·√(4/3)·2 = 9.93655084700132
    const sessions = [
      session(-30, 50),
      session(-10, 10),
      session(-5, 12),
      session(-1, 14),
      session(5, 8),
      session(20, 1),
      session(40, 0),
      session(45, -5, ['TAB_HIDDEN']),
      session(60, 5),
      session(70, 20),
    ];
    const [cycle] = cycleEffects(METRIC, sessions, [INJECTION]);
    expect(cycle!.basis).toBe('personal');
    expect(cycle!.baseline).toMatchObject({ mean: 12, n: 3, sessions: ['d-10', 'd-5', 'd-1'] });
    expect(cycle!.sdc95).toBeCloseTo(9.93655084700132, 10);
    expect(cycle!.points.map((p) => [p.id, p.phase, p.change, p.changeIsReliable])).toEqual([
      ['d5', 'onset', -4, false],
      ['d20', 'peak', -11, true],
      ['d40', 'peak', -12, true],
      ['d45', 'peak', -17, false],
      ['d60', 'waning', -7, false],
      ['d70', 'waning', 8, false],
    ]);
    // the flagged day-45 session (−17) is not the best
    expect(cycle!.best).toEqual({ id: 'd40', day: 40, change: -12, changeIsReliable: true });
    expect(cycle!.timeToBestDays).toBe(40);
    // back within ±SDC95 of the baseline at day 60
    expect(cycle!.durationDays).toBe(60);
  });

  it('has no duration while the effect lasts or when the best is not reliable, and no best for neutral metrics', () => {
    const lasting = cycleEffects(
      METRIC,
      [session(-10, 10), session(-5, 12), session(-1, 14), session(20, 0)],
      [INJECTION],
    )[0]!;
    expect(lasting.best?.changeIsReliable).toBe(true);
    expect(lasting.durationDays).toBeNull();
    const small = cycleEffects(
      METRIC,
      [session(-10, 10), session(-5, 12), session(-1, 14), session(20, 9), session(30, 12)],
      [INJECTION],
    )[0]!;
    expect(small.best).toEqual({ id: 'd20', day: 20, change: -3, changeIsReliable: false });
    expect(small.durationDays).toBeNull();
    const neutral = cycleEffects(
      { ...METRIC, direction: 'neutral' },
      [session(-1, 10), session(20, 0)],
      [INJECTION],
    )[0]!;
    expect(neutral.best).toBeNull();
    expect(neutral.timeToBestDays).toBeNull();
  });
});
